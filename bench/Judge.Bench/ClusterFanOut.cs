using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Judge.Cluster.EndToEndTests;

namespace Judge.Bench;

/// <summary>The fan-out of tests across silos (issue 14, goal 6): two silo processes over PostgreSQL on this host, one
/// judging slot each, judge one C++ A+B submission of many tests at a time (so the other silo is idle), with
/// <c>Judge:FanOutAcrossSilos</c> on and off; each variant is a cluster of its own, alternated per round.</summary>
internal static class ClusterFanOut
{
    /// <summary>C++ A+B that first spins <paramref name="millions"/> million steps of a pseudo-random sequence (0: plain
    /// A+B, whose run is mostly the sandbox's and the kernel's work; more: a test of some CPU time of the program's own).</summary>
    private static string Source(int millions) =>
        "#include <cstdio>\nint main(){unsigned long long x=88172645463325252ull;for(long i=0;i<" + millions.ToString(CultureInfo.InvariantCulture)
        + "000000L;i++){x^=x<<13;x^=x>>7;x^=x<<17;}long long a,b;if(scanf(\"%lld %lld\",&a,&b)!=2)return 1;printf(\"%lld\\n\",a+b);if(x==42)puts(\"never\");}\n";

    // The silos' sandbox uid ranges (101000 + 256 × this): apart from the Cluster tests' and the cluster mode's.
    private const int UidRange = 40;

    /// <summary><c>spread [tests] [submissions per variant and round] [rounds] [millions of steps per test]</c>; default 200
    /// tests, 5 submissions, 2 rounds, 0 (plain A+B).</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var tests = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200;
        var submissions = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
        var rounds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 2;
        var source = Source(args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 0);
        var problems = Directory.CreateTempSubdirectory("judge-bench-spread-problems-").FullName;
        Measure.WriteAPlusB(problems, "many", tests);
        var times = new Dictionary<bool, List<double>> { [true] = [], [false] = [] };
        var remoteRuns = new Dictionary<bool, List<double>> { [true] = [], [false] = [] };
        await using var postgres = new PostgresServer();
        await postgres.InitializeAsync();
        var run = 0;
        for (var round = 0; round < rounds; round++)
        {
            foreach (var across in round % 2 == 0 ? new[] { true, false } : [false, true])
            {
                var connection = await postgres.CreateDatabaseAsync($"spread{run}");
                await Judge.Silo.Database.JudgeSchema.MigrateAsync(connection);
                var workRoot = Directory.CreateTempSubdirectory("judge-bench-spread-").FullName;
                var silos = Enumerable.Range(0, 2).Select(i => new SiloProcess($"silo{i}", connection, $"spread{run}", UidRange + i, Path.Combine(workRoot, $"silo{i}"), "cpp17",
                    ["--Judge:Slots=1", $"--Judge:FanOutAcrossSilos={across}", "--Judge:CompileCache:PrecompiledHeader=false",
                     "--Judge:Auth:SubmitsPerMinute=1000000"]) { ProblemsRoot = problems }).ToList();
                try
                {
                    foreach (var silo in silos)
                    {
                        silo.Start();
                        await silo.WaitReadyAsync();
                    }
                    await JudgeAsync(silos[0], $"warm-{run}", source); // the compile, the first activations
                    for (var i = 0; i < submissions; i++)
                    {
                        await Task.Delay(500); // the other silo's slot report shows it idle again
                        var before = await RemoteRunsAsync(silos);
                        var watch = Stopwatch.StartNew();
                        await JudgeAsync(silos[i % 2], $"run-{run}-{i}", source);
                        times[across].Add(watch.Elapsed.TotalMilliseconds);
                        remoteRuns[across].Add(await RemoteRunsAsync(silos) - before);
                    }
                    Console.WriteLine($"round {round + 1}, across silos {(across ? "on" : "off")}: median {Measure.F(Measure.Median(times[across]))} ms so far; load {Measure.LoadAverage}");
                }
                finally
                {
                    await ClusterThroughput.StopAsync(silos, workRoot);
                }
                run++;
            }
        }
        Console.WriteLine();
        Console.WriteLine($"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores; 2 silo processes (1 judging slot each) and "
            + $"PostgreSQL on this host; {submissions} C++ A+B submissions ({args.ElementAtOrDefault(3) ?? "0"} million steps first) of {tests} tests per variant and round, one at a time, {rounds} rounds; "
            + $"load average {Measure.LoadAverage} at the end.");
        Console.WriteLine();
        Console.WriteLine("| fan-out across silos | submissions | HTTP submit to verdict, median ms (p10–p90) | tests run on the other silo per submission (median) |");
        Console.WriteLine("|---|---|---|---|");
        foreach (var across in new[] { false, true })
        {
            var t = times[across];
            Console.WriteLine($"| {(across ? "on" : "off")} | {t.Count} | {Measure.F(Measure.Median(t))} ({Measure.F(Measure.Percentile(t, 0.1))}–{Measure.F(Measure.Percentile(t, 0.9))}) "
                + $"| {Measure.F(Measure.Median(remoteRuns[across]), "0")} |");
        }
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Speed-up: {Measure.Median(times[false]) / Measure.Median(times[true]):0.00}×"));
        return 0;
    }

    private static async Task JudgeAsync(SiloProcess silo, string id, string source)
    {
        using var response = await silo.Http.PostAsJsonAsync("/api/submissions?wait=true&timeout=300", new { id, problem = "many", language = "cpp17", source });
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK || JsonDocument.Parse(body).RootElement.GetProperty("verdict").GetString() != "AC")
            throw new InvalidOperationException($"POST {id} to {silo.Name}: {(int)response.StatusCode} {body}");
    }

    /// <summary>The silos' <c>judge_fanout_remote_runs_total</c> summed, from their <c>/metrics</c>.</summary>
    private static async Task<double> RemoteRunsAsync(List<SiloProcess> silos)
    {
        double sum = 0;
        foreach (var silo in silos)
        {
            var text = await silo.Http.GetStringAsync("/metrics");
            foreach (var line in text.Split('\n'))
            {
                if (line.StartsWith("judge_fanout_remote_runs_total", StringComparison.Ordinal))
                    sum += double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
            }
        }
        return sum;
    }
}
