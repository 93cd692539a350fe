namespace Judge.Silo.EndToEndTests;

/// <summary>The silo as its unit runs it (<c>dotnet Judge.Silo.dll</c>): a configuration it cannot run with ends it
/// before anything starts, with one line per problem naming the key and exit code 2, not an unhandled exception.</summary>
public class ProgramTests
{
    [Theory]
    [InlineData("--Judge:FanOut=maybe", "Failed to convert configuration value 'maybe' at 'Judge:FanOut' to type 'System.Boolean'")]
    [InlineData("--Judge:Recovery:DrainTimeout=soon", "Failed to convert configuration value 'soon' at 'Judge:Recovery:DrainTimeout'")]
    [InlineData("--Judge:Slots=-3", "Judge:Slots must be at least 1")]
    [InlineData("--Judge:Silo:Port=abc", "Judge:Silo:Port must be a port number")]
    [InlineData("--Judge:Cluster:ProbeTimeout=00:00:00.1", "Judge:Cluster:ProbeTimeout must be 00:00:00.5 to 00:01:00, not 00:00:00.1")]
    [InlineData("--Judge:Http:JudgeToken=short", "Judge:Http:JudgeToken must be at least 16 characters")]
    public async Task An_invalid_setting_stops_the_silo_with_exit_code_2_and_a_line_naming_the_key(string setting, string expected)
    {
        HostCommand.AssertRefused("judge-silo", await RunSiloAsync(setting), expected);
    }

    [Fact]
    public async Task Every_invalid_setting_is_named_at_once()
    {
        var (exit, output) = await RunSiloAsync("--Judge:Auth:Keys:0:Name=ops", "--Judge:Auth:Keys:0:Key=short", "--Judge:Auth:Keys:0:Scopes=read,fly");

        Assert.True(exit == 2, $"exit code {exit}:\n{output}");
        Assert.Contains("judge-silo: invalid configuration: Judge:Auth:Keys:0:Key must be at least 16 characters", output);
        Assert.Contains("judge-silo: invalid configuration: Judge:Auth:Keys:0:Scopes has the unknown scope 'fly'", output);
        Assert.DoesNotContain("Unhandled exception", output);
        Assert.DoesNotContain("   at ", output);
    }

    [Fact]
    public void The_silo_runs_its_thread_pool_without_spinning_and_compiles_each_method_once()
    {
        // What `dotnet Judge.Silo.dll` reads (src/Silo/JudgeHostRuntime.props): idle thread-pool threads sleep at once
        // instead of yielding the judging host's cores for a while, and no background compiler recompiles hot methods
        // for minutes after start.
        using var config = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Judge.Silo.runtimeconfig.json")));
        var properties = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.True(properties.TryGetProperty("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit", out var spin), properties.ToString());
        Assert.Equal(0, spin.GetInt32());
        Assert.True(properties.TryGetProperty("System.Runtime.TieredCompilation", out var tiered), properties.ToString());
        Assert.False(tiered.GetBoolean());
    }

    /// <summary>Runs the built silo with the test's own ports and <paramref name="settings"/>.</summary>
    private static Task<(int Exit, string Output)> RunSiloAsync(params string[] settings) => HostCommand.RunAsync(
        Path.Combine(AppContext.BaseDirectory, "Judge.Silo.dll"),
        [
            $"--urls=http://127.0.0.1:{Ports.Free()}",
            $"--Judge:Silo:Port={Ports.Free()}",
            $"--Judge:Silo:GatewayPort={Ports.Free()}",
            $"--Judge:Problems:Root={Repository.ExampleProblems}",
            .. settings,
        ]);
}
