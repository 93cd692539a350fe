using System.Globalization;
using System.Text.Json;
using Judge.Grains.Workers;
using Microsoft.Extensions.DependencyInjection;

namespace Judge.Bench;

/// <summary>Fair timing (issue 14, goal 7): the CPU time the judge reports for a fixed workload on an idle silo against the
/// same workload while every other judging slot runs another submission, and the same comparison bare (the program alone
/// on the machine, then beside a second program on the other core), so that what the hardware shares (caches, memory) is
/// told apart from what the judge adds. Idle and busy blocks are interleaved.</summary>
internal static class Fairness
{
    /// <summary>A fixed workload that stays in the core's own caches: a pseudo-random sequence and a small table (4 KiB),
    /// printing a checksum (the count of steps is its input).</summary>
    private const string Compute = """
        #include <cstdint>
        #include <cstdio>
        int main() {
            unsigned long long steps;
            if (scanf("%llu", &steps) != 1) return 1;
            uint32_t table[1024] = {};
            uint64_t x = 88172645463325252ull, s = 0;
            for (unsigned long long i = 0; i < steps; i++) {
                x ^= x << 13; x ^= x >> 7; x ^= x << 17;
                table[x & 1023] += (uint32_t)(x >> 32);
                s += table[(x >> 10) & 1023] ^ (x >> 20);
            }
            printf("%llu\n", (unsigned long long)s);
        }
        """;

    /// <summary>A fixed workload larger than the core's own caches: a sieve over a 10 MB array and a sort of 10 MB of
    /// pseudo-random numbers, printing a checksum (the sieve's size is its input), so that a neighbour that competes for
    /// the shared cache and memory shows.</summary>
    private const string Memory = """
        #include <algorithm>
        #include <cstdint>
        #include <cstdio>
        #include <vector>
        int main() {
            unsigned n;
            if (scanf("%u", &n) != 1) return 1;
            std::vector<char> composite(n + 1);
            uint64_t primes = 0;
            for (uint64_t i = 2; i <= n; i++) {
                if (composite[i]) continue;
                primes++;
                for (uint64_t j = i * i; j <= n; j += i) composite[j] = 1;
            }
            std::vector<uint32_t> v(n / 4);
            uint64_t x = 88172645463325252ull;
            for (auto& e : v) { x ^= x << 13; x ^= x >> 7; x ^= x << 17; e = (uint32_t)x; }
            std::sort(v.begin(), v.end());
            uint64_t h = primes;
            for (size_t i = 0; i < v.size(); i += 97) h = h * 1000003u + v[i];
            printf("%llu\n", (unsigned long long)h);
        }
        """;

    /// <summary>A neighbour that competes for memory bandwidth and the shared cache: sums a 64 MiB array over and over
    /// (the count of passes is its input).</summary>
    private const string Streamer = """
        #include <cstdint>
        #include <cstdio>
        #include <vector>
        int main() {
            unsigned passes;
            if (scanf("%u", &passes) != 1) return 1;
            std::vector<uint64_t> a((64u << 20) / sizeof(uint64_t), 1);
            uint64_t s = 0;
            for (unsigned p = 0; p < passes; p++)
                for (size_t i = 0; i < a.size(); i += 8) s += a[i] + p;
            printf("%llu\n", (unsigned long long)s);
        }
        """;

    private static readonly string[] Flags = ["-std=gnu++17", "-O2", "-DONLINE_JUDGE", "-pipe", "-static"];

    /// <summary><c>fairness [runs per block] [rounds] [--Judge:Key=value ...]</c>.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var numbers = args.TakeWhile(a => !a.StartsWith("--", StringComparison.Ordinal)).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray();
        var perBlock = numbers.ElementAtOrDefault(0) is > 0 and var k ? k : 5;
        var rounds = numbers.ElementAtOrDefault(1) is > 0 and var r ? r : 4;
        var slots = Environment.ProcessorCount;

        var root = Path.Combine(Path.GetTempPath(), "judge-bench-fairness");
        if (Directory.Exists(root))
            Directory.Delete(root, recursive: true);
        Directory.CreateDirectory(root);
        var problems = Path.Combine(root, "problems");
        // Each program with an input that makes it run about a quarter of a second here: the fixed workloads as problems
        // of one test (judged alone, so the fan-out borrows nothing), and as 10-test problems for the neighbours.
        var programs = new Dictionary<string, Contestant>
        {
            ["compute"] = Contestant.Make(root, "compute", Compute, "125000000"),
            ["memory"] = Contestant.Make(root, "memory", Memory, "10000000"),
            ["streamer"] = Contestant.Make(root, "streamer", Streamer, "40"),
        };
        foreach (var (name, program) in programs)
        {
            program.WriteProblem(problems, "fixed-" + name, 1);
            program.WriteProblem(problems, "beside-" + name, 10);
        }

        await using var silo = await EmbeddedSilo.StartAsync(problems, Path.Combine(root, "work"),
        [
            $"--Judge:Slots={slots}",
            "--Judge:Toolchains=cpp17",
            $"--Judge:Languages:cpp17:Flags={string.Join(' ', Flags)}",
            .. args.SkipWhile(a => !a.StartsWith("--", StringComparison.Ordinal)),
        ]);
        var judgeSlots = silo.Services.GetRequiredService<JudgeSlots>();

        // The judge's report of one run of a fixed workload, and the share of the time its submission was being judged
        // during which every slot was taken (1.0 when its neighbours never left a slot idle).
        async Task<(double CpuMs, double AllBusy)> Judged(Contestant workload)
        {
            using var sampling = new CancellationTokenSource();
            int samples = 0, full = 0;
            var sampler = Task.Run(async () =>
            {
                while (!sampling.IsCancellationRequested)
                {
                    samples++;
                    if (judgeSlots.Busy >= judgeSlots.Capacity)
                        full++;
                    await Task.Delay(5, CancellationToken.None);
                }
            });
            var submission = await silo.SubmitAsync("fixed-" + workload.Name, "cpp17", workload.Source);
            await sampling.CancelAsync();
            await sampler;
            return (TimeOf(submission), samples == 0 ? 0 : (double)full / samples);
        }

        // A block of judged runs of the workload, on an idle silo or while every other slot is kept busy: one loop per
        // other slot, each submitting the neighbour's 10-test submission again as soon as its last one ends.
        async Task<List<(double CpuMs, double AllBusy)>> JudgedBlock(Contestant workload, Contestant? neighbour)
        {
            using var stop = new CancellationTokenSource();
            var loops = Enumerable.Range(0, neighbour is null ? 0 : slots - 1).Select(_ => Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                    await silo.SubmitAsync("beside-" + neighbour!.Name, "cpp17", neighbour.Source);
            })).ToList();
            while (loops.Count > 0 && judgeSlots.Busy < slots - 1) // the neighbours hold their slots (with the fan-out, all of them)
                await Task.Delay(5);
            var runs = new List<(double, double)>();
            for (var i = 0; i < perBlock; i++)
                runs.Add(await Judged(workload));
            await stop.CancelAsync();
            await Task.WhenAll(loops);
            return runs;
        }

        // Bare: the workload spawned by this process, alone, or with the neighbour spawned over and over on other threads.
        List<double> BareBlock(Contestant workload, Contestant? neighbour)
        {
            using var stop = new CancellationTokenSource();
            var threads = Enumerable.Range(0, neighbour is null ? 0 : slots - 1).Select(_ => new Thread(() =>
            {
                while (!stop.IsCancellationRequested)
                    BareSpawn.RunTimed(neighbour!.Binary, [], neighbour.Input);
            })).ToList();
            threads.ForEach(t => t.Start());
            var cpu = new List<double>();
            for (var i = 0; i < perBlock; i++)
                cpu.Add(BareSpawn.RunTimed(workload.Binary, [], workload.Input).CpuMs);
            stop.Cancel();
            threads.ForEach(t => t.Join());
            return cpu;
        }

        // Conditions per workload: alone, beside the same program, beside the streamer.
        var conditions = new (string Name, Func<Contestant, Contestant?> Neighbour)[]
        {
            ("alone", _ => null), ("beside the same program", w => w), ("beside the streamer", _ => programs["streamer"]),
        };
        var judged = new Dictionary<(string, string), List<double>>();
        var busy = new Dictionary<(string, string), List<double>>();
        var bare = new Dictionary<(string, string), List<double>>();
        foreach (var workload in new[] { "compute", "memory" })
        {
            foreach (var (condition, _) in conditions)
                (judged[(workload, condition)], busy[(workload, condition)], bare[(workload, condition)]) = ([], [], []);
        }

        // Warm-up: the compiles (the rest hit the compile cache), the first activations, the page cache.
        foreach (var workload in new[] { programs["compute"], programs["memory"] })
        {
            foreach (var (_, neighbour) in conditions)
                await JudgedBlock(workload, neighbour(workload));
            BareBlock(workload, null);
        }

        var loadBefore = Measure.LoadAverage;
        for (var round = 0; round < rounds; round++) // interleaved, so machine noise hits all alike
        {
            foreach (var workload in new[] { programs["compute"], programs["memory"] })
            {
                foreach (var (condition, neighbour) in conditions)
                {
                    foreach (var (cpu, allBusy) in await JudgedBlock(workload, neighbour(workload)))
                    {
                        judged[(workload.Name, condition)].Add(cpu);
                        busy[(workload.Name, condition)].Add(allBusy);
                    }
                    bare[(workload.Name, condition)].AddRange(BareBlock(workload, neighbour(workload)));
                }
            }
            Console.WriteLine($"round {round + 1} of {rounds} done; load {Measure.LoadAverage}");
        }

        Console.WriteLine();
        Console.WriteLine($"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores; one embedded silo with {slots} judging "
            + $"slots; each fixed workload judged {perBlock} times per block and condition, and run bare as often, {rounds} rounds after a "
            + $"warm-up; load average {loadBefore} at the start, {Measure.LoadAverage} at the end.");
        Console.WriteLine();
        Console.WriteLine("| workload | condition | judged: median ms (p10–p90) | judged vs alone | every slot busy | bare: median ms (p10–p90) | bare vs alone |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var workload in new[] { "compute", "memory" })
        {
            foreach (var (condition, _) in conditions)
            {
                var j = judged[(workload, condition)];
                var b = bare[(workload, condition)];
                Console.WriteLine($"| {workload} | {condition} | {Spread(j)} | {Change(j, judged[(workload, "alone")])} "
                    + $"| {Measure.F(100 * Measure.Median(busy[(workload, condition)]), "0")}% | {Spread(b)} | {Change(b, bare[(workload, "alone")])} |");
            }
        }
        return 0;
    }

    private static string Spread(List<double> values) =>
        $"{Measure.F(Measure.Median(values))} ({Measure.F(Measure.Percentile(values, 0.1))}–{Measure.F(Measure.Percentile(values, 0.9))}, n={values.Count})";

    private static string Change(List<double> values, List<double> alone) =>
        Measure.F(100 * (Measure.Median(values) / Measure.Median(alone) - 1), "+0.0;-0.0;0.0") + "%";

    /// <summary>The CPU time the judge reported for the submission's one test.</summary>
    private static double TimeOf(JsonElement submission)
    {
        foreach (var test in submission.GetProperty("tests").EnumerateArray())
            return test.GetProperty("timeMs").GetDouble();
        throw new InvalidOperationException($"no test in {submission}");
    }

    /// <summary>A static C++ program of the benchmark (a contestant's program), built here, with the input it is run on.</summary>
    private sealed record Contestant(string Name, string Source, string Binary, string Input)
    {
        public static Contestant Make(string root, string name, string source, string input)
        {
            var binary = Path.Combine(root, name);
            File.WriteAllText(binary + ".cpp", source);
            Measure.Exec("/usr/bin/g++", [.. Flags, "-o", binary, binary + ".cpp"]);
            File.WriteAllText(binary + ".in", input + "\n");
            return new Contestant(name, source, binary, binary + ".in");
        }

        /// <summary>A problem of <paramref name="tests"/> copies of the input, whose answer is the program's own output.</summary>
        public void WriteProblem(string problems, string id, int tests)
        {
            var secret = Path.Combine(problems, id, "data", "secret");
            Directory.CreateDirectory(secret);
            File.WriteAllText(Path.Combine(problems, id, "problem.yaml"), $"name: {id}\nlimits:\n  time_limit: 10\n  memory: 512\n");
            var answer = Binary + ".ans";
            if (!File.Exists(answer))
                Measure.ExecTo(Binary, Input, answer);
            for (var i = 0; i < tests; i++)
            {
                var name = Path.Combine(secret, i.ToString("D3", CultureInfo.InvariantCulture));
                File.Copy(Input, name + ".in");
                File.Copy(answer, name + ".ans");
            }
        }
    }
}
