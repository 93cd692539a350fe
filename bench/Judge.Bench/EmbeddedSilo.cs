using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Judge.Bench;

/// <summary>The embedded silo (in-memory state, the real sandbox daemon) started in the benchmark's process, as <c>./run.sh</c>
/// starts it, with an HTTP client for it; shared by the throughput, languages and growth modes.</summary>
internal sealed class EmbeddedSilo : IAsyncDisposable
{
    private readonly WebApplication app;

    private EmbeddedSilo(WebApplication app, HttpClient http)
    {
        this.app = app;
        Http = http;
    }

    /// <summary>The client of the silo's HTTP API.</summary>
    public HttpClient Http { get; }

    /// <summary>The silo's services.</summary>
    public IServiceProvider Services => app.Services;

    /// <summary>Starts a silo on free loopback ports with <paramref name="settings"/> (<c>--Judge:Key=value</c>); no
    /// submit rate limit and no bound on unfinished submissions, so that the benchmark measures judging, not admission.</summary>
    public static async Task<EmbeddedSilo> StartAsync(string problems, string workRoot, IEnumerable<string> settings)
    {
        var httpPort = Ports.Free();
        var builder = WebApplication.CreateBuilder(
        [
            $"--urls=http://127.0.0.1:{httpPort}",
            $"--Judge:Silo:Port={Ports.Free()}",
            $"--Judge:Silo:GatewayPort={Ports.Free()}",
            $"--Judge:Problems:Root={problems}",
            $"--Judge:WorkRoot={workRoot}",
            "--Judge:Auth:SubmitsPerMinute=100000000",
            "--Judge:Http:MaxUnfinishedSubmissions=1000000",
            "--Judge:Http:MaxConcurrentRequests=256",
            "--Judge:Http:RequestQueueLimit=10000",
            .. settings,
        ]);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddJudgeSilo();
        var app = builder.Build();
        app.MapJudgeSilo();
        await app.StartAsync();
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromMinutes(30) };
        return new EmbeddedSilo(app, http);
    }

    /// <summary>Posts a submission and, with <paramref name="wait"/>, waits for its verdict; throws on any answer but the
    /// expected one (<paramref name="expected"/>, when given).</summary>
    public async Task<JsonElement> SubmitAsync(string problem, string language, string source, bool wait = true, string? expected = "AC", string? id = null)
    {
        var path = wait ? "/api/submissions?wait=true&timeout=600" : "/api/submissions";
        using var response = await Http.PostAsJsonAsync(path, id is null ? new { problem, language, source } : (object)new { id, problem, language, source });
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.Accepted))
            throw new InvalidOperationException($"POST {language} to {problem} answered {(int)response.StatusCode}: {body}");
        var submission = JsonDocument.Parse(body).RootElement.Clone();
        if (wait && expected is not null && submission.GetProperty("verdict").GetString() != expected)
            throw new InvalidOperationException($"expected {expected} for {language} on {problem}: {body}");
        return submission;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
    }
}

/// <summary>Small helpers shared by the benchmark modes.</summary>
internal static class Measure
{
    /// <summary>The value at rank <paramref name="p"/> (0..1), interpolated.</summary>
    public static double Percentile(IReadOnlyCollection<double> values, double p)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0)
            return double.NaN;
        var rank = p * (sorted.Count - 1);
        int low = (int)Math.Floor(rank), high = (int)Math.Ceiling(rank);
        return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
    }

    public static double Median(IReadOnlyCollection<double> values) => Percentile(values, 0.5);

    /// <summary>The 1-minute load average.</summary>
    public static string LoadAverage => File.ReadAllText("/proc/loadavg").Split(' ')[0];

    /// <summary>CPU time of this process in ms (the silo and the benchmark's clients; not the daemon or the programs).</summary>
    public static double ProcessCpu()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime.TotalMilliseconds;
    }

    /// <summary>Busy and total jiffies of the whole machine (/proc/stat), for the share of the cores in use.</summary>
    public static (long Busy, long Total) MachineCpu()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        var idle = fields[3] + fields[4]; // idle + iowait
        var total = fields.Take(8).Sum(); // user nice system idle iowait irq softirq steal
        return (total - idle, total);
    }

    /// <summary>CPU time (user + system, ms) of process <paramref name="pid"/> and its reaped children, from /proc.</summary>
    public static double ProcessTreeCpu(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // fields[11..14]: utime stime cutime cstime (fields 14-17 of proc(5))
        var ticks = Enumerable.Range(11, 4).Sum(i => long.Parse(fields[i], CultureInfo.InvariantCulture));
        return ticks * 1000.0 / 100; // USER_HZ is 100 on Linux
    }

    /// <summary>CPU time (user + system, ms) of this process and every process below it (the sandbox daemon, its slots),
    /// each with its reaped children (the programs they ran, the bare loop's runs): everything the benchmark made the
    /// machine do, not other jobs on it. A measure of work that the machine's load does not stretch, unlike wall time.</summary>
    public static double TreeCpu()
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
                continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                parents[pid] = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
                // ended meanwhile
            }
        }
        var self = Environment.ProcessId;
        double sum = 0;
        foreach (var pid in parents.Keys)
        {
            var p = pid;
            while (p > 1 && p != self && parents.TryGetValue(p, out var parent))
                p = parent;
            if (p != self)
                continue;
            try
            {
                sum += ProcessTreeCpu(pid);
            }
            catch (IOException)
            {
                // ended meanwhile: its time is in its parent's reaped children once reaped
            }
        }
        return sum;
    }

    /// <summary>Writes a problem of <paramref name="count"/> A+B tests with time limit <paramref name="timeLimit"/> s; returns the inputs.</summary>
    public static List<string> WriteAPlusB(string problems, string id, int count, double timeLimit = 1)
    {
        var secret = Path.Combine(problems, id, "data", "secret");
        Directory.CreateDirectory(secret);
        File.WriteAllText(Path.Combine(problems, id, "problem.yaml"),
            string.Create(CultureInfo.InvariantCulture, $"name: A+B, {count} tests\nlimits:\n  time_limit: {timeLimit}\n  memory: 256\n"));
        var random = new Random(count);
        var inputs = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            long a = random.Next(-1_000_000, 1_000_000), b = random.Next(-1_000_000, 1_000_000);
            var name = Path.Combine(secret, i.ToString("D5", CultureInfo.InvariantCulture));
            File.WriteAllText(name + ".in", string.Create(CultureInfo.InvariantCulture, $"{a} {b}\n"));
            File.WriteAllText(name + ".ans", string.Create(CultureInfo.InvariantCulture, $"{a + b}\n"));
            inputs.Add(name + ".in");
        }
        return inputs;
    }

    public static void Exec(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program);
        foreach (var a in args)
            start.ArgumentList.Add(a);
        using var p = Process.Start(start)!;
        p.WaitForExit();
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"{program} failed with exit code {p.ExitCode}");
    }

    /// <summary>Runs <paramref name="program"/> with stdin from <paramref name="stdinPath"/> and stdout to <paramref name="stdoutPath"/>.</summary>
    public static void ExecTo(string program, string stdinPath, string stdoutPath)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardInput = true, RedirectStandardOutput = true };
        using var p = Process.Start(start)!;
        var output = p.StandardOutput.ReadToEndAsync();
        p.StandardInput.Write(File.ReadAllText(stdinPath));
        p.StandardInput.Close();
        File.WriteAllText(stdoutPath, output.GetAwaiter().GetResult());
        p.WaitForExit();
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"{program} failed with exit code {p.ExitCode}");
    }

    public static string F(double value, string format = "0.0") => value.ToString(format, CultureInfo.InvariantCulture);
}
