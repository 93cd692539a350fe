using Judge.Cluster.EndToEndTests;
using Judge.Engine.Sandbox;
using Judge.Engine.Sandbox.Linux;

namespace Judge.Sandbox.IntegrationTests;

/// <summary>The silo's side of socket mode (<see cref="SocketSandbox"/>): connecting to a daemon that runs on its own, being
/// refused by one that serves another uid, and coming back after the daemon restarts.</summary>
public sealed class SocketSandboxTests : IDisposable
{
    private static readonly SandboxLimits Limits = new() { CpuTime = TimeSpan.FromSeconds(2), MemoryBytes = 128L << 20 };
    private readonly string root = Directory.CreateTempSubdirectory("judge-socket-sandbox-").FullName;

    private string Socket => Path.Combine(root, "sandbox.sock");
    private string WorkRoot => Path.Combine(root, "work");
    private static string Daemon => Path.Combine(AppContext.BaseDirectory, LinuxSandbox.HelperFileName);

    // The test runs as root, so the daemon's client here is uid 0; the silo's own tests run it as an unprivileged uid.
    private Task<SandboxDaemonProcess> StartDaemonAsync(int clientUid = 0) =>
        SandboxDaemonProcess.StartAsync(Daemon, Socket, WorkRoot, uidBase: 103000, pool: 1, clientUid);

    private async Task<SandboxResult> EchoAsync(ISandbox sandbox, string text)
    {
        var work = Directory.CreateDirectory(Path.Combine(WorkRoot, Guid.NewGuid().ToString("N"))).FullName;
        var stdout = Path.Combine(WorkRoot, Guid.NewGuid().ToString("N") + ".out");
        var result = await sandbox.RunAsync(new SandboxRequest { Argv = ["/bin/echo", text], WorkingDirectory = work, StdoutPath = stdout, Limits = Limits });
        if (result.Status == SandboxStatus.Ok)
            Assert.Equal(text + "\n", await File.ReadAllTextAsync(stdout));
        return result;
    }

    [Fact]
    public async Task A_silo_runs_programs_through_a_daemon_on_a_socket_and_comes_back_after_it_restarts()
    {
        var daemon = await StartDaemonAsync();
        await using var sandbox = await SocketSandbox.ConnectAsync(Socket, TimeSpan.FromSeconds(30));
        Assert.Equal(SandboxStatus.Ok, (await EchoAsync(sandbox, "first")).Status);

        await daemon.DisposeAsync(); // SIGTERM: the unit or the sidecar restarts
        var during = await EchoAsync(sandbox, "while it is down");
        Assert.Equal(SandboxStatus.InternalError, during.Status);
        Assert.Contains(Socket, during.Message);

        await using var restarted = await StartDaemonAsync();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        SandboxResult after;
        while ((after = await EchoAsync(sandbox, "after")).Status != SandboxStatus.Ok && DateTime.UtcNow < deadline)
            await Task.Delay(200);
        Assert.Equal(SandboxStatus.Ok, after.Status);
    }

    [Fact]
    public async Task A_daemon_serving_another_uid_refuses_the_silo_with_a_clear_reason()
    {
        await using var daemon = await StartDaemonAsync(clientUid: 64321);
        var refused = await Assert.ThrowsAsync<SandboxUnavailableException>(() => SocketSandbox.ConnectAsync(Socket, TimeSpan.FromSeconds(10)));
        Assert.Contains("may not use this sandbox", refused.Message);
        Assert.Contains("64321", refused.Message);
    }

    [Fact]
    public async Task No_daemon_on_the_socket_is_a_clear_error_after_the_start_timeout()
    {
        var missing = await Assert.ThrowsAsync<SandboxUnavailableException>(() => SocketSandbox.ConnectAsync(Socket, TimeSpan.FromSeconds(2)));
        Assert.Contains(Socket, missing.Message);
        Assert.Contains("within 2 s", missing.Message);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException) { }
    }
}
