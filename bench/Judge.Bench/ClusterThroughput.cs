using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Judge.Cluster.EndToEndTests;
using Npgsql;

namespace Judge.Bench;

/// <summary>Three silos over PostgreSQL (issue 14, goal 4): silo processes and a PostgreSQL server on this host, started by
/// the Cluster tests' harness, judging the workload of the recovery test's 0.8 submissions/s (Python A+B on the bundled
/// <c>aplusb</c>, 4 of 5 accepted, 1 of 5 wrong at the first test), with one judging slot per silo and with the default
/// slots (one per core), one after the other. Prints submissions/s, the share of the machine's cores in use, and where the
/// CPU went (the silos' .NET processes, PostgreSQL, the rest: sandboxes and programs).</summary>
internal static class ClusterThroughput
{
    private const string Correct = "a, b = map(int, input().split())\nprint(a + b)\n";
    private const string Wrong = "a, b = map(int, input().split())\nprint(a - b)\n";

    // The silos' sandbox uid ranges (101000 + 256 × this): apart from the Cluster tests' (0, 1, 2), which may run meanwhile.
    private const int UidRange = 20;

    /// <summary><c>cluster [submissions] [rounds] [slots ...]</c>; default 50 submissions, 1 round, slots 1 and 2.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 50;
        var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1;
        var variants = args.Length > 2 ? args.Skip(2).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray() : [1, Environment.ProcessorCount];
        var rows = new List<string>();
        await using var postgres = new PostgresServer();
        await postgres.InitializeAsync();
        var run = 0;
        for (var round = 0; round < rounds; round++)
        {
            foreach (var slots in round % 2 == 0 ? variants : variants.Reverse())
            {
                var connection = await postgres.CreateDatabaseAsync($"bench{run}");
                await Judge.Silo.Database.JudgeSchema.MigrateAsync(connection);
                var workRoot = Directory.CreateTempSubdirectory("judge-bench-cluster-").FullName;
                var silos = Enumerable.Range(0, 3).Select(i => new SiloProcess($"silo{i}", connection, $"bench{run}", UidRange + i, Path.Combine(workRoot, $"silo{i}"), "python3",
                    [$"--Judge:Slots={slots}", "--Judge:Auth:SubmitsPerMinute=1000000", "--Judge:Http:MaxUnfinishedSubmissions=1000000"])).ToList();
                try
                {
                    foreach (var silo in silos)
                    {
                        silo.Start();
                        await silo.WaitReadyAsync();
                    }
                    rows.Add(await JudgeAsync(silos, connection, postgres.Port, count, slots, run));
                    Console.WriteLine(rows[^1]);
                }
                finally
                {
                    await StopAsync(silos, workRoot);
                }
                run++;
            }
        }
        Console.WriteLine();
        Console.WriteLine($"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores; 3 silo processes and PostgreSQL on this host; " +
            $"{count} Python A+B submissions posted to the 3 silos in turn, time from the first POST to the last finished row in judge_submissions.");
        Console.WriteLine();
        Console.WriteLine($"{Refusals.Count} POSTs answered 5xx and were retried{(Refusals.Count > 0 ? ": " + string.Join("; ", Refusals.Take(5)) : "")}");
        Console.WriteLine();
        Console.WriteLine("| slots per silo | submissions | seconds | submissions/s | cores busy (of " + Environment.ProcessorCount + ") | CPU s: silos' .NET | CPU s: PostgreSQL | CPU s: rest (sandboxes, programs, other jobs) | load average |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
        rows.ForEach(Console.WriteLine);
        return 0;
    }

    private static async Task<string> JudgeAsync(List<SiloProcess> silos, string connectionString, int port, int count, int slots, int run)
    {
        // Warm-up: one submission through each silo (first activations, the page cache), not counted.
        for (var i = 0; i < silos.Count; i++)
            await PostAsync(silos[i], $"warm-{run}-{i}", Correct);
        await WaitFinishedAsync(connectionString, $"warm-{run}-", silos.Count);

        double SilosCpu() => silos.Sum(s => s.ProcessId is { } pid ? Measure.ProcessTreeCpu(pid) : 0);
        var postgresCpu = PostgresCpu(port);
        var (busy0, total0) = Measure.MachineCpu();
        var silo0 = SilosCpu();
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, count).Select(i =>
            PostAsync(silos[i % silos.Count], $"run-{run}-{i:D4}", i % 5 == 4 ? Wrong : Correct)));
        await WaitFinishedAsync(connectionString, $"run-{run}-", count);
        var seconds = watch.Elapsed.TotalSeconds;
        var (busy1, total1) = Measure.MachineCpu();
        var silosCpu = (SilosCpu() - silo0) / 1000;
        var pgCpu = (PostgresCpu(port) - postgresCpu) / 1000;
        var cores = (double)(busy1 - busy0) / (total1 - total0) * Environment.ProcessorCount;
        var machineCpu = (busy1 - busy0) / 100.0;
        return $"| {slots} | {count} | {Measure.F(seconds, "0.0")} | **{Measure.F(count / seconds, "0.00")}** | {Measure.F(cores, "0.00")} | {Measure.F(silosCpu)} | {Measure.F(pgCpu)} | {Measure.F(machineCpu - silosCpu - pgCpu)} | {Measure.LoadAverage} |";
    }

    /// <summary>Stops <paramref name="silos"/> and their daemons and removes their work root.</summary>
    internal static async Task StopAsync(List<SiloProcess> silos, string workRoot)
    {
        foreach (var silo in silos)
            await silo.DisposeAsync();
        try
        {
            Directory.Delete(workRoot, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // a sandbox may still be releasing a directory; it is under the temporary directory
        }
    }

    /// <summary>Refused POSTs (5xx) seen in the run, each retried: the benchmark reports them instead of stopping.</summary>
    private static readonly List<string> Refusals = [];

    private static async Task PostAsync(SiloProcess silo, string id, string source)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var response = await silo.Http.PostAsJsonAsync("/api/submissions", new { id, problem = "aplusb", language = "python3", source });
            if (response.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.OK)
                return;
            var refusal = $"POST {id} to {silo.Name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
            lock (Refusals)
                Refusals.Add(refusal);
            Console.WriteLine(refusal);
            if ((int)response.StatusCode < 500 || attempt == 5)
                throw new InvalidOperationException(refusal);
            await Task.Delay(TimeSpan.FromSeconds(attempt)); // the same id again: a duplicate POST is answered, not judged twice
        }
    }

    private static async Task WaitFinishedAsync(string connectionString, string prefix, int count)
    {
        // One connection for the whole wait, polled every 250 ms: the harness's connection strings turn pooling off, and a
        // new PostgreSQL backend per poll would be a large share of the server's CPU that this benchmark reports.
        var deadline = DateTime.UtcNow.AddMinutes(10);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM judge_submissions WHERE id LIKE $1 AND status = 'finished'", connection)
        {
            Parameters = { new() { Value = prefix + "%" } },
        };
        while ((long)(await command.ExecuteScalarAsync())! < count)
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"not all {count} submissions {prefix}* finished within 10 minutes");
            await Task.Delay(250);
        }
    }

    /// <summary>CPU time (ms) of this benchmark's PostgreSQL server: its processes (postmaster, backends, background workers:
    /// all carry the server's port on their command line), live ones, with their reaped children.</summary>
    private static double PostgresCpu(int port)
    {
        var server = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
                continue;
            try
            {
                var command = File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0');
                if (Path.GetFileName(command[0]) is "postgres" && command.SkipWhile(a => a != "-p").Skip(1).FirstOrDefault() == port.ToString(CultureInfo.InvariantCulture))
                    server.Add(pid);
            }
            catch (IOException)
            {
                // ended meanwhile
            }
        }
        double sum = 0;
        foreach (var pid in server)
        {
            try
            {
                sum += Measure.ProcessTreeCpu(pid);
            }
            catch (IOException)
            {
                // ended meanwhile
            }
        }
        return sum;
    }
}
