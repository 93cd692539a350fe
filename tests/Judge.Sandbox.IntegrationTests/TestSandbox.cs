using Judge.Engine.Sandbox;
using Judge.Engine.Sandbox.Process;

namespace Judge.Sandbox.IntegrationTests;

/// <summary>The sandbox the hostile suite attacks: one place to switch it to the isolating Linux sandbox.</summary>
public static class TestSandbox
{
    /// <summary>Whether <see cref="Create"/> returns a sandbox that isolates (namespaces, cgroups, seccomp). Cases marked
    /// <c>dangerous_unsandboxed</c> only run when it does.</summary>
    public static bool IsIsolating => false;

    /// <summary>The sandbox under test. For now the unisolated <see cref="ProcessSandbox"/>; the integrator switches it to LinuxSandbox.</summary>
    public static ISandbox Create() => new ProcessSandbox();
}
