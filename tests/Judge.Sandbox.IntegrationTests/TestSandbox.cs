using Judge.Engine.Sandbox;
using Judge.Engine.Sandbox.Linux;

namespace Judge.Sandbox.IntegrationTests;

/// <summary>The sandbox the engine level of the package suite judges with (the hostile cases attack it): the isolating Linux sandbox, one daemon for the whole test run.</summary>
public static class TestSandbox
{
    /// <summary>The judge's work root for the suite; the sandbox shows programs only what lies beneath it.</summary>
    public static string WorkRoot { get; } = Path.Combine(Path.GetTempPath(), "judge-hostile-work");

    private static readonly Lazy<LinuxSandbox> Shared = new(() =>
        LinuxSandbox.StartAsync(new LinuxSandboxOptions { WorkRoot = WorkRoot, Pool = 2 }).GetAwaiter().GetResult());

    /// <summary>The sandbox under test (the daemon exits when this test process does: its standard input closes).</summary>
    public static ISandbox Create() => Shared.Value;
}
