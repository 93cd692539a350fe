using System.Diagnostics;
using System.Text.Json;
using Judge.Engine.Sandbox.Linux;

namespace Judge.Cluster.EndToEndTests;

/// <summary>The sandbox daemon of one silo host, as its unit or container starts it: as root, on its own, serving a Unix
/// socket to the silo's unprivileged uid only (<c>judge-sandbox --listen ... --client-uid ...</c>). It outlives its silo's
/// restarts, as a sidecar or a systemd unit does.</summary>
public sealed class SandboxDaemonProcess : IAsyncDisposable
{
    private readonly Process process;

    private SandboxDaemonProcess(Process process, string socketPath)
    {
        this.process = process;
        SocketPath = socketPath;
    }

    /// <summary>The socket the silo connects to (<c>Judge:Sandbox:Socket</c>).</summary>
    public string SocketPath { get; }

    /// <summary>Starts the daemon (next to the built silo) and waits for its ready line.</summary>
    public static async Task<SandboxDaemonProcess> StartAsync(string binary, string socketPath, string workRoot, int uidBase, int pool, int clientUid)
    {
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment.Clear();
        foreach (var argument in (string[])["--listen", socketPath, "--client-uid", clientUid.ToString(), "--work-root", workRoot,
            "--uid-base", uidBase.ToString(), "--pool", pool.ToString()])
            start.ArgumentList.Add(argument);
        foreach (var argument in LinuxSandboxOptions.ReadOnlyBindArguments(LinuxSandboxOptions.DefaultReadOnlyPaths))
            start.ArgumentList.Add(argument);
        var process = Process.Start(start)!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
        using var ready = JsonDocument.Parse(line ?? "{}");
        if (!ready.RootElement.TryGetProperty("ready", out var ok) || ok.ValueKind != JsonValueKind.True)
        {
            process.Kill();
            throw new InvalidOperationException($"the sandbox daemon did not start: {line}");
        }
        return new SandboxDaemonProcess(process, socketPath);
    }

    /// <summary>Stops the daemon as its unit would: SIGTERM (every run killed, the socket removed).</summary>
    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString()]))
                await kill.WaitForExitAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill();
            }
        }
        process.Dispose();
    }
}
