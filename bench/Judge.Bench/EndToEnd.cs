using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Judge.Engine.Sandbox;
using Judge.Grains.Options;
using Judge.Grains.Workers;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Judge.Bench;

/// <summary>The judge's per-test cost end to end (issue 14, goal 1): C++ A+B posted over HTTP with <c>?wait=true</c> to an
/// embedded silo in this process, against generated problems of 1 and N small tests, interleaved with the bare
/// posix_spawn/waitpid loop over the same static binary and the same N inputs, and with the same binary run N times through
/// the silo's own sandbox (as the judge runs a test, without the judge around it).</summary>
internal static class EndToEnd
{
    private const string Source = "#include <cstdio>\nint main(){long long a,b;if(scanf(\"%lld %lld\",&a,&b)!=2)return 1;printf(\"%lld\\n\",a+b);}\n";

    // The judge's cpp17 flags with -static added (Judge:Languages:cpp17:Flags), so both sides run the same static binary.
    private static readonly string[] Flags = ["-std=gnu++17", "-O2", "-DONLINE_JUDGE", "-pipe", "-static"];

    public static async Task<int> RunAsync(string[] args)
    {
        var tests = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200;
        var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10;
        var root = Path.Combine(Path.GetTempPath(), "judge-bench-e2e");
        if (Directory.Exists(root))
            Directory.Delete(root, recursive: true);
        var problems = Path.Combine(root, "problems");
        var inputs = WriteProblem(problems, "pertest-n", tests);
        WriteProblem(problems, "pertest-1", 1);

        var binary = Path.Combine(root, "aplusb");
        File.WriteAllText(binary + ".cpp", Source);
        Exec("/usr/bin/g++", [.. Flags, "-o", binary, binary + ".cpp"]);

        var httpPort = Ports.Free();
        var builder = WebApplication.CreateBuilder(
        [
            $"--urls=http://127.0.0.1:{httpPort}",
            $"--Judge:Silo:Port={Ports.Free()}",
            $"--Judge:Silo:GatewayPort={Ports.Free()}",
            $"--Judge:Problems:Root={problems}",
            $"--Judge:WorkRoot={Path.Combine(root, "work")}",
            $"--Judge:Languages:cpp17:Flags={string.Join(' ', Flags)}",
            // further arguments are configuration for the silo (for example --Judge:Toolchains=cpp17, so that no
            // other language's self-test or start-up work runs alongside the rounds)
            .. args.Skip(2),
        ]);
        // Information, as a silo logs by default; the Orleans runtime's own chatter is left out of the console.
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddFilter("Orleans", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Logging.AddFilter("Polly", LogLevel.Warning);
        builder.AddJudgeSilo();
        await using var app = builder.Build();
        app.MapJudgeSilo();
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromMinutes(5) };

        // CPU time of this process (the silo and the benchmark's client, not the sandbox daemon or the programs): less
        // sensitive to other jobs on the machine than wall time.
        var cpu = new Dictionary<string, List<double>>();
        static double ProcessCpu() { using var self = Process.GetCurrentProcess(); return self.TotalProcessorTime.TotalMilliseconds; }

        async Task<double> Judge(string problem, int expectedTests, string? cpuKey = null)
        {
            var cpuBefore = ProcessCpu();
            var watch = Stopwatch.StartNew();
            using var response = await http.PostAsJsonAsync("/api/submissions?wait=true&timeout=300", new { problem, language = "cpp17", source = Source });
            var body = await response.Content.ReadAsStringAsync();
            var elapsed = watch.Elapsed.TotalMilliseconds;
            if (response.StatusCode != HttpStatusCode.OK)
                throw new InvalidOperationException($"POST answered {(int)response.StatusCode}: {body}");
            var submission = JsonDocument.Parse(body).RootElement;
            var verdict = submission.GetProperty("verdict").GetString();
            var judged = submission.GetProperty("tests").GetArrayLength();
            if (verdict != "AC" || judged != expectedTests)
                throw new InvalidOperationException($"expected AC on {expectedTests} tests, got {verdict} on {judged}: {body}");
            var key = cpuKey ?? problem;
            (cpu.TryGetValue(key, out var list) ? list : cpu[key] = []).Add(ProcessCpu() - cpuBefore);
            return elapsed;
        }

        double BareLoop()
        {
            var watch = Stopwatch.StartNew();
            foreach (var input in inputs)
            {
                if (BareSpawn.Run(binary, [], input) != 0)
                    throw new InvalidOperationException($"bare {binary} failed on {input}");
            }
            return watch.Elapsed.TotalMilliseconds;
        }

        // The same runs split over as many threads as the silo has judging slots: what the fan-out's rows compare with.
        double BareParallel(int threads)
        {
            var watch = Stopwatch.StartNew();
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
            {
                for (var i = t; i < inputs.Count; i += threads)
                {
                    if (BareSpawn.Run(binary, [], inputs[i]) != 0)
                        throw new InvalidOperationException($"bare {binary} failed on {inputs[i]}");
                }
            });
            return watch.Elapsed.TotalMilliseconds;
        }

        // The rows of goal 1 judge a submission on one slot, as before the fan-out of tests (issue 14, goal 6); the fan-out
        // rows judge the same submission with Judge:FanOut on, in the same rounds (the worker reads the switch per job).
        var judging = app.Services.GetRequiredService<IOptions<JudgingOptions>>().Value;
        var slots = app.Services.GetRequiredService<JudgeSlots>().Capacity;
        judging.FanOut = false;
        async Task<double> JudgeFannedOut()
        {
            judging.FanOut = true;
            try
            {
                return await Judge("pertest-n", tests, cpuKey: "fan-out");
            }
            finally
            {
                judging.FanOut = false;
            }
        }

        var sandbox = app.Services.GetRequiredService<ISandbox>();
        var boxDirectory = Path.Combine(root, "work", "bench-sandbox");
        Directory.CreateDirectory(Path.Combine(boxDirectory, "source"));
        Directory.CreateDirectory(Path.Combine(boxDirectory, "io"));
        File.Copy(binary, Path.Combine(boxDirectory, "source", "aplusb"));
        var limits = new SandboxLimits { CpuTime = TimeSpan.FromSeconds(1), MemoryBytes = 256L << 20 };
        async Task<double> SandboxLoop()
        {
            var cpuBefore = ProcessCpu();
            var watch = Stopwatch.StartNew();
            foreach (var input in inputs)
            {
                string stdout = Path.Combine(boxDirectory, "io", "out"), stderr = Path.Combine(boxDirectory, "io", "err");
                var result = await sandbox.RunAsync(new SandboxRequest
                {
                    Argv = ["./aplusb"],
                    WorkingDirectory = Path.Combine(boxDirectory, "source"),
                    StdinPath = input,
                    StdoutPath = stdout,
                    StderrPath = stderr,
                    Limits = limits,
                });
                if (result.Status != SandboxStatus.Ok)
                    throw new InvalidOperationException($"sandboxed run failed: {result.Status} {result.Message}");
                File.Delete(stdout);
                File.Delete(stderr);
            }
            var elapsed = watch.Elapsed.TotalMilliseconds;
            (cpu.TryGetValue("sandbox", out var list) ? list : cpu["sandbox"] = []).Add(ProcessCpu() - cpuBefore);
            return elapsed;
        }

        // Warm-up: the first compile, the first activations, the page cache.
        for (var i = 0; i < 3; i++)
        {
            await Judge("pertest-1", 1);
            await Judge("pertest-n", tests);
            await JudgeFannedOut();
            BareLoop();
            BareParallel(slots);
            await SandboxLoop();
        }

        var one = new List<double>();
        var many = new List<double>();
        var bare = new List<double>();
        var boxed = new List<double>();
        var fanned = new List<double>();
        var bareParallel = new List<double>();
        for (var round = 0; round < rounds; round++) // interleaved, so machine noise hits all alike
        {
            one.Add(await Judge("pertest-1", 1));
            many.Add(await Judge("pertest-n", tests));
            fanned.Add(await JudgeFannedOut());
            bare.Add(BareLoop());
            bareParallel.Add(BareParallel(slots));
            boxed.Add(await SandboxLoop());
        }
        await app.StopAsync();

        double m1 = Median(one), mn = Median(many), mb = Median(bare), ms = Median(boxed), mf = Median(fanned);
        var slope = (mn - m1) / (tests - 1);
        var barePerTest = mb / tests;
        Console.WriteLine();
        Console.WriteLine($"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores; C++ A+B (static), {rounds} rounds after 3 warm-up rounds, medians in ms; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]} at the end.");
        Console.WriteLine();
        Console.WriteLine("| | ms |");
        Console.WriteLine("|---|---|");
        Console.WriteLine(Row("submission with 1 test, HTTP submit to verdict", m1));
        Console.WriteLine(Row($"submission with {tests} tests, HTTP submit to verdict", mn));
        Console.WriteLine(Row($"end to end per test, all in ({tests} tests)", mn / tests));
        Console.WriteLine(Row($"**judge per test** (slope: ({tests} tests - 1 test) / {tests - 1})", slope));
        Console.WriteLine(Row($"**bare fork/exec/wait per test** ({tests} runs)", barePerTest));
        Console.WriteLine(Row($"sandbox alone per test ({tests} runs through the silo's ISandbox)", ms / tests));
        Console.WriteLine(Row("**judge over bare, per test**", slope - barePerTest));
        Console.WriteLine(Row("of which the sandbox (sandbox alone over bare)", ms / tests - barePerTest));
        Console.WriteLine(Row("of which the judge around the sandbox (judge over sandbox alone)", slope - ms / tests));
        Console.WriteLine(Row($"submission with {tests} tests, fan-out on {slots} slots (Judge:FanOut), HTTP submit to verdict", mf));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| **fan-out speed-up** (one slot / fan-out, {slots} slots) | {mn / mf:0.00}× |"));
        var fannedSlope = (mf - m1) / (tests - 1);
        var bareParallelPerTest = Median(bareParallel) / tests;
        Console.WriteLine(Row($"judge per test with the fan-out (slope: ({tests} tests fanned out - 1 test) / {tests - 1})", fannedSlope));
        Console.WriteLine(Row("judge with the fan-out over the bare loop, per test", fannedSlope - barePerTest));
        Console.WriteLine(Row($"bare fork/exec/wait per test, {slots} threads ({tests} runs)", bareParallelPerTest));
        Console.WriteLine(Row($"judge with the fan-out over the bare loop on {slots} threads, per test", fannedSlope - bareParallelPerTest));
        // The warm-up rounds' CPU is left out.
        double C(string key) => Median(cpu[key].Skip(3).ToList());
        var cpuSlope = (C("pertest-n") - C("pertest-1")) / (tests - 1);
        Console.WriteLine(Row("CPU of this process per test, judge (slope)", cpuSlope));
        Console.WriteLine(Row("CPU of this process per test, sandbox alone (the .NET client)", C("sandbox") / tests));
        Console.WriteLine(Row("**CPU of the judge around the sandbox, per test**", cpuSlope - C("sandbox") / tests));
        return 0;
    }

    private static string Row(string name, double ms) => string.Create(CultureInfo.InvariantCulture, $"| {name} | {ms:0.000} |");

    /// <summary>Writes a problem of <paramref name="count"/> A+B tests; returns the input files.</summary>
    private static List<string> WriteProblem(string problems, string id, int count)
    {
        var secret = Path.Combine(problems, id, "data", "secret");
        Directory.CreateDirectory(secret);
        File.WriteAllText(Path.Combine(problems, id, "problem.yaml"), $"name: Per-test benchmark, {count} tests\nlimits:\n  time_limit: 1\n  memory: 256\n");
        var random = new Random(count);
        var inputs = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            long a = random.Next(-1_000_000, 1_000_000), b = random.Next(-1_000_000, 1_000_000);
            var name = Path.Combine(secret, i.ToString("D4", CultureInfo.InvariantCulture));
            File.WriteAllText(name + ".in", string.Create(CultureInfo.InvariantCulture, $"{a} {b}\n"));
            File.WriteAllText(name + ".ans", string.Create(CultureInfo.InvariantCulture, $"{a + b}\n"));
            inputs.Add(name + ".in");
        }
        return inputs;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static void Exec(string program, string[] args)
    {
        var start = new ProcessStartInfo(program);
        foreach (var a in args) start.ArgumentList.Add(a);
        using var p = Process.Start(start)!;
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{program} failed with exit code {p.ExitCode}");
    }
}
