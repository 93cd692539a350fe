using System.Diagnostics;
using System.Globalization;
using Judge.Engine.Sandbox;
using Microsoft.Extensions.DependencyInjection;

namespace Judge.Bench;

/// <summary>One silo with both cores busy (issue 14, goal 4): tests per second of the embedded silo (2 judging slots, C++ A+B,
/// several submissions in flight) against the bare posix_spawn loop with 2 parallel workers over the same static binary and
/// the same inputs, and against the silo's own sandbox driven by 2 parallel loops, interleaved in one run.</summary>
internal static class Throughput
{
    private const string Source = "#include <cstdio>\nint main(){long long a,b;if(scanf(\"%lld %lld\",&a,&b)!=2)return 1;printf(\"%lld\\n\",a+b);}\n";
    private static readonly string[] Flags = ["-std=gnu++17", "-O2", "-DONLINE_JUDGE", "-pipe", "-static"];

    /// <summary><c>throughput [tests per submission] [submissions per round] [rounds] [--Judge:Key=value ...]</c>.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var numbers = args.TakeWhile(a => !a.StartsWith("--", StringComparison.Ordinal)).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray();
        var tests = numbers.ElementAtOrDefault(0) is > 0 and var t ? t : 100;
        var submissions = numbers.ElementAtOrDefault(1) is > 0 and var s ? s : 8;
        var rounds = numbers.ElementAtOrDefault(2) is > 0 and var r ? r : 5;
        const int workers = 2;

        var root = Path.Combine(Path.GetTempPath(), "judge-bench-throughput");
        if (Directory.Exists(root))
            Directory.Delete(root, recursive: true);
        var problems = Path.Combine(root, "problems");
        var inputs = Measure.WriteAPlusB(problems, "many", tests);
        var binary = Path.Combine(root, "aplusb");
        File.WriteAllText(binary + ".cpp", Source);
        Measure.Exec("/usr/bin/g++", [.. Flags, "-o", binary, binary + ".cpp"]);

        await using var silo = await EmbeddedSilo.StartAsync(problems, Path.Combine(root, "work"),
        [
            $"--Judge:Slots={workers}",
            "--Judge:Toolchains=cpp17",
            $"--Judge:Languages:cpp17:Flags={string.Join(' ', Flags)}",
            .. args.SkipWhile(a => !a.StartsWith("--", StringComparison.Ordinal)),
        ]);

        // The judge: `submissions` identical sources in flight at once (the first one of the run compiles, the others hit
        // the compile cache), from the first POST to the last verdict.
        async Task<double> Judge()
        {
            var watch = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, submissions).Select(_ => silo.SubmitAsync("many", "cpp17", Source)));
            return submissions * tests / watch.Elapsed.TotalSeconds;
        }

        // The bare loop: the same number of runs of the same binary over the same inputs, split over 2 threads.
        double Bare()
        {
            var watch = Stopwatch.StartNew();
            var threads = Enumerable.Range(0, workers).Select(w => new Thread(() =>
            {
                for (var i = w; i < submissions * tests; i += workers)
                {
                    if (BareSpawn.Run(binary, [], inputs[i % tests]) != 0)
                        throw new InvalidOperationException("the bare run failed");
                }
            })).ToList();
            threads.ForEach(x => x.Start());
            threads.ForEach(x => x.Join());
            return submissions * tests / watch.Elapsed.TotalSeconds;
        }

        // The silo's own sandbox, 2 loops in parallel (as 2 judging slots run tests, without the judge around them).
        var sandbox = silo.Services.GetRequiredService<ISandbox>();
        var box = Path.Combine(root, "work", "bench-sandbox");
        Directory.CreateDirectory(Path.Combine(box, "source"));
        File.Copy(binary, Path.Combine(box, "source", "aplusb"));
        var limits = new SandboxLimits { CpuTime = TimeSpan.FromSeconds(1), MemoryBytes = 256L << 20 };
        async Task<double> Sandboxed()
        {
            var watch = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
            {
                var io = Directory.CreateDirectory(Path.Combine(box, $"io{w}")).FullName;
                for (var i = w; i < submissions * tests; i += workers)
                {
                    string stdout = Path.Combine(io, "out"), stderr = Path.Combine(io, "err");
                    var result = await sandbox.RunAsync(new SandboxRequest
                    {
                        Argv = ["./aplusb"], WorkingDirectory = Path.Combine(box, "source"), StdinPath = inputs[i % tests],
                        StdoutPath = stdout, StderrPath = stderr, Limits = limits,
                    });
                    if (result.Status != SandboxStatus.Ok)
                        throw new InvalidOperationException($"sandboxed run failed: {result.Status} {result.Message}");
                    File.Delete(stdout);
                    File.Delete(stderr);
                }
            })));
            return submissions * tests / watch.Elapsed.TotalSeconds;
        }

        // Warm-up: the compile, the first activations, the page cache.
        await Judge();
        Bare();
        await Sandboxed();

        var loadBefore = Measure.LoadAverage;
        List<double> judge = [], bare = [], boxed = [], ratios = [], cpuPerTest = [];
        // CPU of everything the benchmark runs (this process, the daemon, the slots, the programs), per test and side.
        var treeCpu = new Dictionary<string, List<double>> { ["judge"] = [], ["bare"] = [], ["sandbox"] = [] };
        async Task<double> Counted(string side, Func<Task<double>> run)
        {
            var before = Measure.TreeCpu();
            var rate = await run();
            treeCpu[side].Add((Measure.TreeCpu() - before) / (submissions * tests));
            return rate;
        }
        for (var round = 0; round < rounds; round++) // interleaved, so machine noise hits all alike
        {
            // Alternate which side goes first, so that neither always runs right after the other.
            double b = 0, j;
            if (round % 2 == 0)
                b = await Counted("bare", () => Task.FromResult(Bare()));
            var cpu = Measure.ProcessCpu();
            j = await Counted("judge", Judge);
            cpuPerTest.Add((Measure.ProcessCpu() - cpu) / (submissions * tests));
            if (round % 2 == 1)
                b = await Counted("bare", () => Task.FromResult(Bare()));
            bare.Add(b);
            judge.Add(j);
            ratios.Add(j / b);
            boxed.Add(await Counted("sandbox", Sandboxed));
            Console.WriteLine($"round {round + 1}: judge {Measure.F(j)} tests/s, bare {Measure.F(b)} tests/s ({Measure.F(100 * j / b)}%), sandbox alone {Measure.F(boxed[^1])} tests/s; load {Measure.LoadAverage}");
        }

        Console.WriteLine();
        Console.WriteLine($"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores; one embedded silo, {workers} judging slots; " +
            $"{submissions} C++ A+B submissions of {tests} tests in flight per round, {rounds} rounds after a warm-up round; load average {loadBefore} at the start, {Measure.LoadAverage} at the end.");
        Console.WriteLine();
        Console.WriteLine("| tests per second (median of the rounds) | tests/s | vs bare |");
        Console.WriteLine("|---|---|---|");
        var bm = Measure.Median(bare);
        Console.WriteLine($"| bare posix_spawn loop, {workers} workers | {Measure.F(bm)} | 100% |");
        Console.WriteLine($"| the silo's sandbox alone, {workers} loops | {Measure.F(Measure.Median(boxed))} | {Measure.F(100 * Measure.Median(boxed) / bm)}% |");
        Console.WriteLine($"| **the judge** (HTTP submit to verdict, {workers} slots) | {Measure.F(Measure.Median(judge))} | {Measure.F(100 * Measure.Median(judge) / bm)}% |");
        Console.WriteLine($"| judge / bare, median of the per-round ratios | | **{Measure.F(100 * Measure.Median(ratios))}%** |");
        Console.WriteLine($"| CPU of this process (silo + client) per test, judge rounds | {Measure.F(Measure.Median(cpuPerTest), "0.000")} ms | |");
        Console.WriteLine();
        Console.WriteLine("CPU per test of everything each side runs (this process, the sandbox daemon and its slots, the programs; not other jobs), "
            + $"and the tests/s that {Environment.ProcessorCount} fully busy cores would give at that cost (a bound that the machine's load does not stretch):");
        Console.WriteLine();
        Console.WriteLine("| side | CPU per test, ms | tests/s bound | vs bare |");
        Console.WriteLine("|---|---|---|---|");
        var bareCpu = Measure.Median(treeCpu["bare"]);
        foreach (var (side, name) in ((string, string)[])[("bare", "bare posix_spawn loop"), ("sandbox", "the silo's sandbox alone"), ("judge", "**the judge**")])
        {
            var c = Measure.Median(treeCpu[side]);
            Console.WriteLine($"| {name} | {Measure.F(c, "0.000")} | {Measure.F(Environment.ProcessorCount * 1000 / c)} | {Measure.F(100 * bareCpu / c)}% |");
        }
        return 0;
    }
}
