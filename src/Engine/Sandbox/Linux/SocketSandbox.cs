namespace Judge.Engine.Sandbox.Linux;

/// <summary>The isolating sandbox of an unprivileged silo: a connection to a <c>judge-sandbox</c> daemon that runs on its
/// own and serves a Unix socket. When the daemon restarts (a new container of the pod, <c>systemctl restart</c>), the next
/// run connects again; runs in flight when it went away answer an internal error, never the program's fault.</summary>
public sealed class SocketSandbox : ISandbox, IAsyncDisposable, IDisposable
{
    private readonly string path;
    private readonly TimeSpan timeout;
    private readonly SemaphoreSlim connecting = new(1, 1);
    private LinuxSandbox current;
    private bool disposed;
    private long lastFailedAttempt;

    private static readonly TimeSpan ReconnectTimeout = TimeSpan.FromSeconds(5);

    private SocketSandbox(string path, TimeSpan timeout, LinuxSandbox first)
    {
        this.path = path;
        this.timeout = timeout;
        current = first;
    }

    /// <summary>The socket this sandbox talks to.</summary>
    public string SocketPath => path;

    /// <summary>The cgroup hierarchy the daemon uses (<c>v1</c> or <c>v2</c>).</summary>
    public string Cgroup => current.Cgroup;

    /// <summary>Why no run can be sent now (the daemon went away and has not come back yet), or null.</summary>
    public string? Failure => current.Failure;

    /// <summary>Connects to the daemon at <paramref name="socketPath"/>, waiting up to <paramref name="timeout"/> for it.</summary>
    /// <exception cref="SandboxUnavailableException">No daemon answered in time, or it refused this process.</exception>
    public static async Task<SocketSandbox> ConnectAsync(string socketPath, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        new(socketPath, timeout, await LinuxSandbox.ConnectAsync(socketPath, timeout, cancellationToken));

    public async Task<SandboxResult> RunAsync(SandboxRequest request, CancellationToken cancellationToken = default) =>
        await UsableAsync(cancellationToken) is { } sandbox
            ? await sandbox.RunAsync(request, cancellationToken)
            : SandboxResult.Internal(Failure ?? "the sandbox daemon is gone");

    public async Task<ConnectedResult> RunConnectedAsync(SandboxRequest first, SandboxRequest second, CancellationToken cancellationToken = default) =>
        await UsableAsync(cancellationToken) is { } sandbox
            ? await sandbox.RunConnectedAsync(first, second, cancellationToken)
            : ConnectedResult.Internal(Failure ?? "the sandbox daemon is gone");

    /// <summary>The live connection, connecting again first when the daemon went away; null when it is still gone.</summary>
    private async Task<LinuxSandbox?> UsableAsync(CancellationToken cancellationToken)
    {
        var sandbox = Volatile.Read(ref current);
        if (sandbox.Failure is null)
            return sandbox;
        await connecting.WaitAsync(cancellationToken);
        try
        {
            if (current.Failure is null)
                return current;
            // At most one attempt a second, each short: runs queued behind a dead daemon answer at once, not one by one.
            if (disposed || Environment.TickCount64 - lastFailedAttempt < 1000)
                return null;
            LinuxSandbox next;
            try
            {
                next = await LinuxSandbox.ConnectAsync(path, timeout < ReconnectTimeout ? timeout : ReconnectTimeout, cancellationToken);
            }
            catch (SandboxUnavailableException)
            {
                lastFailedAttempt = Environment.TickCount64;
                return null;
            }
            var old = current;
            Volatile.Write(ref current, next);
            await old.DisposeAsync();
            return next;
        }
        finally
        {
            connecting.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await connecting.WaitAsync();
        try
        {
            disposed = true;
            await current.DisposeAsync();
        }
        finally
        {
            connecting.Release();
        }
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
