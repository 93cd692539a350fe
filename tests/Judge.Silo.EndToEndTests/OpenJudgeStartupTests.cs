using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Judge.Silo.EndToEndTests;

/// <summary>A judge without keys is open, so it may listen only on loopback unless the operator opts in (issue 11).</summary>
public class OpenJudgeStartupTests
{
    private static WebApplication Build(params string[] args)
    {
        var builder = WebApplication.CreateBuilder([
            $"--Judge:Silo:Port={Ports.Free()}",
            $"--Judge:Silo:GatewayPort={Ports.Free()}",
            $"--Judge:Problems:Root={Repository.ExampleProblems}",
            .. args]);
        builder.AddJudgeSilo();
        return builder.Build();
    }

    [Theory]
    [InlineData("--urls=http://0.0.0.0:{0}")]
    [InlineData("--urls=http://[::]:{0}")]
    [InlineData("--urls=http://127.0.0.1:{0};http://*:{0}")]
    [InlineData("--urls=http://judge.example.org:{0}")]
    [InlineData("--urls=http://192.168.1.20:{0}")]
    [InlineData("--Judge:Http:Urls=http://0.0.0.0:{0}")]
    [InlineData("--http_ports={0}")]
    public async Task Without_keys_a_judge_on_a_non_loopback_address_refuses_to_start(string arg)
    {
        await using var app = Build(string.Format(arg, Ports.Free()));
        var error = Assert.Throws<OptionsValidationException>(() => app.MapJudgeSilo());
        Assert.Contains("Judge:Auth:Keys", error.Message);
        Assert.Contains("Judge:Auth:AllowAnonymous=true", error.Message);
    }

    [Fact]
    public async Task With_AllowAnonymous_a_judge_on_a_non_loopback_address_is_set_up()
    {
        // Built and mapped, not started: the tests listen on loopback only.
        await using var app = Build($"--urls=http://0.0.0.0:{Ports.Free()}", "--Judge:Auth:AllowAnonymous=true");
        app.MapJudgeSilo();
    }

    [Fact]
    public async Task With_keys_a_judge_on_a_non_loopback_address_is_set_up()
    {
        await using var app = Build($"--urls=http://0.0.0.0:{Ports.Free()}", "--Judge:Auth:Keys:0:Name=ops", "--Judge:Auth:Keys:0:Key=ops-key-0123456789abcdef", "--Judge:Auth:Keys:0:Scopes=read");
        app.MapJudgeSilo();
    }

    [Theory]
    [InlineData("--urls=http://127.0.0.1:{0}")]
    [InlineData("--urls=http://localhost:{0}")]
    [InlineData("--urls=http://[::1]:{0}")]
    [InlineData("--Judge:Http:Urls=http://127.0.0.1:{0}")]
    public async Task Without_keys_a_judge_on_loopback_is_set_up(string arg)
    {
        await using var app = Build(string.Format(arg, Ports.Free()));
        app.MapJudgeSilo();
    }

    [Fact]
    public async Task The_embedded_default_on_127_0_0_1_needs_no_key()
    {
        await using var app = Build();
        app.MapJudgeSilo();
    }

    [Fact]
    public void An_invalid_key_stops_the_silo_at_start_naming_the_key()
    {
        var builder = WebApplication.CreateBuilder(["--Judge:Auth:Keys:0:Name=ops", "--Judge:Auth:Keys:0:Key=short", "--Judge:Auth:Keys:0:Scopes=read,fly"]);
        var error = Assert.Throws<OptionsValidationException>(() => builder.AddJudgeSilo());
        Assert.Contains("Judge:Auth:Keys:0:Key must be at least 16 characters", error.Message);
        Assert.Contains("Judge:Auth:Keys:0:Scopes has the unknown scope 'fly'", error.Message);
    }
}
