using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Judge.Cluster.EndToEndTests;

/// <summary>One silo as production runs it: <c>dotnet Judge.Silo.dll</c> in its own process as an unprivileged user (no
/// capabilities), talking to its own sandbox daemon (root, on a Unix socket), configured by environment and arguments,
/// with its own HTTP, silo and gateway ports, sandbox uids and work directory. Restartable on the same ports; the daemon
/// stays up across restarts, as a sidecar or a systemd unit does.</summary>
public sealed class SiloProcess(string name, string connectionString, string clusterId, int index, string workRoot,
    string toolchains = "python3", IReadOnlyList<string>? extraArguments = null) : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> log = new();
    private Process? process;
    private SandboxDaemonProcess? sandbox;

    public string Name { get; } = name;
    public int HttpPort { get; } = Ports.Free();
    public int SiloPort { get; } = Ports.Free();
    public int GatewayPort { get; } = Ports.Free();
    public HttpClient Http { get; private set; } = null!;

    private static readonly string? LogDirectory = System.Environment.GetEnvironmentVariable("JUDGE_TEST_SILO_LOGS") is { Length: > 0 } dir
        ? Directory.CreateDirectory(dir).FullName
        : null;

    /// <summary>Arguments for silos of tests that kill or stop a silo and wait for its work to come back: a worker reports
    /// every second and a submission gives up an attempt after 4 s of silence (production: every 2 s, 10 s), which is
    /// what an activation that inherited the attempt of a dead worker waits for. Failure detection is production's.</summary>
    public static readonly IReadOnlyList<string> SoonerRecovery =
    [
        "--Judge:Recovery:Heartbeat=00:00:01",
        "--Judge:Recovery:StallTimeout=00:00:04",
    ];

    /// <summary>The problems directory (<c>Judge:Problems:Root</c>); default: the bundled examples.</summary>
    public string? ProblemsRoot { get; init; }

    /// <summary>The silo's process id while it runs.</summary>
    public int? ProcessId => process is { HasExited: false } ? process.Id : null;

    /// <summary>The exit code of the silo process, once it has exited.</summary>
    public int? ExitCode => process is { HasExited: true } ? process.ExitCode : null;

    /// <summary>The address part other silos know this one by, as in <c>judged_by</c>: <c>S127.0.0.1:&lt;port&gt;:</c>.</summary>
    public string AddressPrefix => $"S127.0.0.1:{SiloPort}:";

    /// <summary>Whether one of the silo's last output lines contains <paramref name="text"/>.</summary>
    public bool LogContains(string text) => log.Any(line => line.Contains(text, StringComparison.Ordinal));

    /// <summary>More environment for the silo (configuration as <c>Judge__...</c>), applied at the next start.</summary>
    public Dictionary<string, string> Environment { get; } = [];

    /// <summary>The silo's last output lines, for failure messages.</summary>
    public string RecentLog => string.Join('\n', log.TakeLast(60));

    /// <summary>The built silo next to this test's build: src/Silo/bin/&lt;configuration&gt;/net10.0/Judge.Silo.dll.</summary>
    public static string SiloAssembly
    {
        get
        {
            var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/'));
            var configuration = framework.Parent!.Name;
            var path = Path.Combine(Repository.Root, "src", "Silo", "bin", configuration, framework.Name, "Judge.Silo.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException("the silo is not built", path);
        }
    }

    /// <summary>The silo's sandbox daemon; started with the silo's first start.</summary>
    public string SandboxSocket => Path.Combine(Path.GetDirectoryName(workRoot)!, $"{Name}-sandbox.sock");

    public void Start()
    {
        var silo = Unprivileged.Readable(Path.GetDirectoryName(SiloAssembly)!);
        if (sandbox is null)
        {
            Unprivileged.Traversable(workRoot);
            sandbox = SandboxDaemonProcess.StartAsync(Path.Combine(silo, "judge-sandbox"), SandboxSocket, workRoot,
                101000 + 256 * index, pool: 4, Unprivileged.Uid).GetAwaiter().GetResult();
        }
        var start = Unprivileged.Start("dotnet",
        [
            Path.Combine(silo, Path.GetFileName(SiloAssembly)),
            $"--urls=http://127.0.0.1:{HttpPort}",
            $"--Judge:Silo:Port={SiloPort}",
            $"--Judge:Silo:GatewayPort={GatewayPort}",
            "--Judge:Silo:AdvertisedIp=127.0.0.1",
            $"--Judge:Cluster:Id={clusterId}",
            $"--Judge:Problems:Root={Unprivileged.Readable(ProblemsRoot ?? Repository.ExampleProblems)}",
            // By default only the fast-probing language, one judging slot: three silos share a small machine.
            $"--Judge:Toolchains={toolchains}",
            "--Judge:Slots=1",
            $"--Judge:Sandbox:Socket={SandboxSocket}",
            $"--Judge:WorkRoot={workRoot}",
            .. extraArguments ?? [],
        ]);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.WorkingDirectory = silo;
        // Else the embedded default: one silo, in-memory state. A silo pools its connections, as in production (Npgsql's
        // default), although the harness's own connection strings turn pooling off: a silo that opened a new PostgreSQL
        // backend for every query would spend the server's CPU on forks, and would never meet a pooled connection that
        // a server restart broke.
        if (connectionString.Length > 0)
            start.Environment["ConnectionStrings__Judge"] = connectionString.TrimEnd(';') + ";Pooling=true"; // the last value of a key wins
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        // What a silo says while it shuts down, for the graceful-shutdown test.
        start.Environment["Logging__LogLevel__Judge.Grains.Workers.JudgeDrain"] = "Information";
        // JUDGE_TEST_SILO_LOGS=<dir>: each silo's whole output, with judging at Information, in <dir>/<name>.log.
        if (LogDirectory is not null)
            start.Environment["Logging__LogLevel__Judge"] = "Information";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in Environment)
            start.Environment[key] = value;

        process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => Record(e.Data);
        process.ErrorDataReceived += (_, e) => Record(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        Http?.Dispose();
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{HttpPort}"), Timeout = TimeSpan.FromMinutes(6) };
    }

    private void Record(string? line)
    {
        if (line is null)
            return;
        log.Enqueue($"[{Name}] {line}");
        if (LogDirectory is not null)
        {
            lock (log)
                File.AppendAllText(Path.Combine(LogDirectory, Name + ".log"), $"{DateTime.UtcNow:HH:mm:ss.fff} {line}\n");
        }
        while (log.Count > 400)
            log.TryDequeue(out _);
    }

    /// <summary>Waits until <c>/ready</c> answers 200 (bounded generously: the machine is shared and slow).</summary>
    public async Task WaitReadyAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(4);
        while (DateTime.UtcNow < deadline)
        {
            if (process is { HasExited: true })
                throw new InvalidOperationException($"{Name} exited with {process.ExitCode} before it was ready:\n{RecentLog}");
            try
            {
                using var response = await Http.GetAsync("/ready");
                if (response.StatusCode == HttpStatusCode.OK)
                    return;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"{Name} was not ready in time:\n{RecentLog}");
    }

    /// <summary>Stops the silo as an orchestrator does: SIGTERM, then waits for it to leave the cluster and exit.</summary>
    public async Task StopAsync()
    {
        if (process is null || process.HasExited)
            return;
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString()]))
            await kill.WaitForExitAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    /// <summary>Kills the silo with SIGKILL, as a crash or an OOM kill would: no shutdown, nothing handed over.</summary>
    public async Task KillAsync()
    {
        if (process is null || process.HasExited)
            return;
        process.Kill(entireProcessTree: false);
        await process.WaitForExitAsync();
    }

    public async Task<JsonElement> GetJsonAsync(string path) => await Http.GetFromJsonAsync<JsonElement>(path);

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        process?.Dispose();
        Http?.Dispose();
        if (sandbox is not null)
            await sandbox.DisposeAsync();
    }
}
