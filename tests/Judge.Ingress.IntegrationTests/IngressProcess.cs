using System.Collections.Concurrent;
using System.Diagnostics;

namespace Judge.Ingress.IntegrationTests;

/// <summary>The ingress as production runs it on its own: <c>dotnet Judge.Ingress.dll</c>, an Orleans client joining the
/// test silo through its gateway, reading one queue. Killable with SIGKILL.</summary>
public sealed class IngressProcess(int gatewayPort, string queueUrl, string serviceUrl) : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> log = new();
    private Process? process;

    /// <summary>More environment for the ingress (e.g. <c>ConnectionStrings__Judge</c> to join a PostgreSQL cluster).</summary>
    public Dictionary<string, string> Environment { get; } = [];

    /// <summary>The loopback port of the ingress host's <c>/health</c>, <c>/ready</c> and <c>/metrics</c> (<c>Judge:Http:Urls</c>).</summary>
    public int HttpPort { get; } = Ports.Free();

    /// <summary>The ingress last output lines, for failure messages.</summary>
    public string RecentLog => string.Join('\n', log.TakeLast(40));

    /// <summary>The built ingress next to this test's build: src/Ingress/bin/&lt;configuration&gt;/net10.0/Judge.Ingress.dll.</summary>
    internal static string Assembly
    {
        get
        {
            var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/'));
            var path = Path.Combine(Repository.Root, "src", "Ingress", "bin", framework.Parent!.Name, framework.Name, "Judge.Ingress.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException("the ingress is not built", path);
        }
    }

    public void Start()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Repository.Root,
        };
        foreach (var argument in (string[])
        [
            Assembly,
            $"--Judge:Silo:GatewayPort={gatewayPort}",
            $"--Judge:Http:Urls=http://127.0.0.1:{HttpPort}",
            $"--Judge:Sqs:QueueUrl={queueUrl}",
            $"--Judge:Sqs:ServiceUrl={serviceUrl}",
            $"--Judge:Sqs:Region={SqsEmulator.Region}",
            "--Judge:Sqs:WaitTimeSeconds=1",
            "--Judge:Sqs:MaxInFlight=8",
        ])
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["AWS_ACCESS_KEY_ID"] = SqsEmulator.AccessKey;
        start.Environment["AWS_SECRET_ACCESS_KEY"] = SqsEmulator.SecretKey;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Logging__LogLevel__Judge"] = "Information";
        start.Environment["Logging__LogLevel__Orleans"] = "Warning";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in Environment)
            start.Environment[key] = value;
        process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => Record(e.Data);
        process.ErrorDataReceived += (_, e) => Record(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public bool HasExited => process is { HasExited: true };

    private void Record(string? line)
    {
        if (line is null)
            return;
        log.Enqueue(line);
        while (log.Count > 200)
            log.TryDequeue(out _);
    }

    /// <summary>SIGKILL, as a crash or an OOM kill would end it: no shutdown, nothing flushed.</summary>
    public async Task KillAsync()
    {
        if (process is null || process.HasExited)
            return;
        process.Kill(entireProcessTree: false);
        await process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        process?.Dispose();
    }
}
