using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Judge.Silo.EndToEndTests;

/// <summary>How the silo host is set up around Orleans.</summary>
public class SiloHostTests
{
    [Theory]
    [InlineData(null, 15)]
    [InlineData("00:00:40", 40)]
    public async Task The_host_waits_for_the_drain_and_the_silo_leaving_before_it_gives_up_a_stop(string? drainTimeout, int drainSeconds)
    {
        // Past ShutdownTimeout the host cancels the stop and the process ends abnormally (exit code 134), so it must
        // outlast the drain that gives running judgings Judge:Recovery:DrainTimeout.
        var builder = WebApplication.CreateBuilder(
        [
            $"--urls=http://127.0.0.1:{Ports.Free()}",
            $"--Judge:Problems:Root={Repository.ExampleProblems}",
            .. drainTimeout is null ? Array.Empty<string>() : [$"--Judge:Recovery:DrainTimeout={drainTimeout}"],
        ]);
        builder.Logging.SetMinimumLevel(LogLevel.Critical);
        builder.AddJudgeSilo();
        await using var app = builder.Build();
        var host = app.Services.GetRequiredService<IOptions<HostOptions>>().Value;
        Assert.Equal(TimeSpan.FromSeconds(drainSeconds) + JudgeSiloHostingExtensions.SiloStopMargin, host.ShutdownTimeout);
    }
}
