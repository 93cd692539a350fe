using System.Runtime.InteropServices;

namespace Microsoft.Extensions.Hosting;

/// <summary>Who this process runs as, from the kernel (not from the environment, which a caller controls).</summary>
internal static class ProcessIdentity
{
    /// <summary>Whether the effective uid is 0.</summary>
    public static bool IsRoot => OperatingSystem.IsLinux() && NativeMethods.geteuid() == 0;

    private static class NativeMethods
    {
        [DllImport("libc", ExactSpelling = true)]
        public static extern uint geteuid();
    }
}

/// <summary>Stops a silo of a cluster from starting as root: registered before Orleans, so it fails the host's start
/// before anything else of the silo runs.</summary>
internal sealed class NotAsRoot : IHostedService
{
    /// <summary>What the silo says when it refuses.</summary>
    public const string Message =
        "A judge silo of a cluster (ConnectionStrings:Judge is set) must not run as root: run it as an unprivileged user " +
        "(the images and units use 'judge', uid 10001) with Judge:Sandbox:Socket pointing at a judge-sandbox daemon started " +
        "as root on its own (judge-sandbox --listen PATH --client-uid UID; see deploy/sandbox/README.md). Only the embedded " +
        "default (no connection string) may run as root and start the daemon itself.";

    public Task StartAsync(CancellationToken cancellationToken) =>
        ProcessIdentity.IsRoot ? throw new InvalidOperationException(Message) : Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
