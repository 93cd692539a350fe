using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Judge.Silo.EndToEndTests;

/// <summary>The silo refuses to start rather than judge without isolation by accident.</summary>
public class SandboxStartupTests
{
    private static async Task<Exception> StartFailsAsync(string environment, params string[] settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = environment,
            Args =
            [
                $"--urls=http://127.0.0.1:{Ports.Free()}",
                $"--Judge:Silo:Port={Ports.Free()}",
                $"--Judge:Silo:GatewayPort={Ports.Free()}",
                $"--Judge:Problems:Root={Repository.ExampleProblems}",
                .. settings,
            ],
        });
        builder.Logging.SetMinimumLevel(LogLevel.Critical);
        builder.AddJudgeSilo();
        await using var app = builder.Build();
        app.MapJudgeSilo();
        return await Assert.ThrowsAnyAsync<Exception>(() => app.StartAsync());
    }

    [Fact]
    public async Task Unsafe_mode_outside_development_stops_the_silo_with_the_key_to_fix()
    {
        var error = await StartFailsAsync("Production", "--Judge:Sandbox:Mode=Unsafe");
        Assert.Contains("Judge:Sandbox:Mode=Unsafe", error.GetBaseException().Message);
        Assert.Contains("Development", error.GetBaseException().Message);
    }

    [Fact]
    public async Task Invalid_sandbox_settings_stop_the_silo_naming_the_key()
    {
        var error = await StartFailsAsync("Production", "--Judge:Sandbox:Cgroup=v3");
        Assert.Contains("Judge:Sandbox:Cgroup", error.GetBaseException().Message);
    }

    [Fact]
    public async Task A_problems_directory_that_does_not_exist_stops_the_silo_naming_the_key()
    {
        var error = await StartFailsAsync("Production", "--Judge:Problems:Root=/nonexistent/problems");
        Assert.Contains("Judge:Problems:Root", error.GetBaseException().Message);
    }
}
