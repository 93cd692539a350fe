using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using ScottPlot;

namespace Judge.Bench;

/// <summary>How cost grows (issue 14, goal 5), in one embedded silo (2 judging slots, C++ A+B): time, CPU and memory of one
/// submission as its tests go 10 → 100 → 1,000, and the silo's memory (managed heap after a full GC, and RSS) as queued
/// submissions go 100 → 1,000 → 10,000; charts as PNG under <c>docs/performance/</c> (or the given directory).</summary>
internal static class Growth
{
    private const string Source = "#include <cstdio>\nint main(){long long a,b;if(scanf(\"%lld %lld\",&a,&b)!=2)return 1;printf(\"%lld\\n\",a+b);}\n";

    // Holds a judging slot for the problem's wall-time limit without using a core: the queue behind it stays queued.
    private const string Sleeper = "#include <unistd.h>\nint main(){for(;;)sleep(1000);}\n";

    /// <summary><c>growth [rounds] [most tests] [most queued] [chart directory]</c>; default 2 rounds, 1,000 tests, 1,000
    /// queued (10,000 for the published run), charts in docs/performance.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 2;
        var mostTests = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1000;
        var mostQueued = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1000;
        var charts = args.Length > 3 ? args[3] : Path.Combine(Repository.Root, "docs", "performance");
        Directory.CreateDirectory(charts);

        var root = Path.Combine(Path.GetTempPath(), "judge-bench-growth");
        if (Directory.Exists(root))
            Directory.Delete(root, recursive: true);
        var problems = Path.Combine(root, "problems");
        var sizes = new List<int>();
        for (var n = 10; n <= mostTests; n *= 10)
        {
            sizes.Add(n);
            Measure.WriteAPlusB(problems, $"tests{n}", n);
        }
        Measure.WriteAPlusB(problems, "block", 1, timeLimit: 60); // wall-time limit 3 × 60 + 1 s
        const int slots = 2;
        var silo = await EmbeddedSilo.StartAsync(problems, Path.Combine(root, "work"),
            [$"--Judge:Slots={slots}", "--Judge:Toolchains=cpp17", .. args.Skip(4)]);
        var loadBefore = Measure.LoadAverage;

        // 1. Tests per submission.
        await silo.SubmitAsync("tests10", "cpp17", Source); // compiles once; the rest hit the compile cache
        var time = sizes.ToDictionary(n => n, _ => new List<double>());
        var cpu = sizes.ToDictionary(n => n, _ => new List<double>());
        var allocated = sizes.ToDictionary(n => n, _ => new List<double>());
        var retained = sizes.ToDictionary(n => n, _ => new List<double>());
        for (var round = 0; round < rounds; round++)
        {
            foreach (var n in round % 2 == 0 ? sizes : Enumerable.Reverse(sizes)) // interleaved
            {
                var heapBefore = HeapAfterFullGc();
                var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
                var cpuBefore = Measure.ProcessCpu();
                var watch = Stopwatch.StartNew();
                var submission = await silo.SubmitAsync($"tests{n}", "cpp17", Source);
                time[n].Add(watch.Elapsed.TotalSeconds);
                cpu[n].Add(Measure.ProcessCpu() - cpuBefore);
                allocated[n].Add((GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / 1024.0 / 1024);
                retained[n].Add((HeapAfterFullGc() - heapBefore) / 1024.0);
                if (submission.GetProperty("tests").GetArrayLength() != n)
                    throw new InvalidOperationException($"expected {n} test results: {submission}");
                Console.WriteLine($"{n} tests: {Measure.F(time[n][^1], "0.00")} s, CPU of the silo's process {Measure.F(cpu[n][^1], "0")} ms, allocated {Measure.F(allocated[n][^1])} MiB, retained {Measure.F(retained[n][^1])} KiB; load {Measure.LoadAverage}");
            }
        }

        // 2. Queued submissions: both slots held by sleepers (a minute of CPU limit, 181 s of wall), then 100, 1,000, ...
        // submissions posted behind them; the heap after a full GC and the RSS at each level, against the level before.
        for (var i = 0; i < slots; i++)
            await silo.SubmitAsync("block", "cpp17", Sleeper, wait: false, id: $"block-{i}");
        await WaitJudgingAsync(silo, slots);
        var levels = new List<int>();
        for (var n = 100; n <= mostQueued; n *= 10)
            levels.Add(n);
        var baseHeap = HeapAfterFullGc();
        var baseRss = Rss();
        var queueWatch = Stopwatch.StartNew();
        var posted = 0;
        var rows = new List<(int Queued, double HeapMiB, double RssMiB, double HeapPerKiB, double RssPerKiB, double PostSeconds, double IdleCpu, bool BlockersRunning)>();
        foreach (var level in levels)
        {
            var watch = Stopwatch.StartNew();
            var next = posted;
            await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next) - 1) < level)
                    await silo.SubmitAsync("tests10", "cpp17", Source, wait: false, id: $"queued-{i:D6}");
            }));
            posted = level;
            var post = watch.Elapsed.TotalSeconds;
            double heap = HeapAfterFullGc(), rss = Rss();
            // CPU the silo spends while nothing is posted and nothing is judged (the sleepers hold both slots), per second:
            // work that grows with the queue (timers, polls) shows here.
            var idleCpu = Measure.ProcessCpu();
            await Task.Delay(TimeSpan.FromSeconds(10));
            idleCpu = (Measure.ProcessCpu() - idleCpu) / 10;
            var running = await BlockersRunningAsync(silo, slots);
            rows.Add((level, (heap - baseHeap) / 1024 / 1024, (rss - baseRss) / 1024 / 1024, (heap - baseHeap) / level / 1024, (rss - baseRss) / level / 1024, post, idleCpu, running));
            Console.WriteLine($"{level} queued: heap +{Measure.F(rows[^1].HeapMiB)} MiB ({Measure.F(rows[^1].HeapPerKiB, "0.00")} KiB each), RSS +{Measure.F(rows[^1].RssMiB)} MiB ({Measure.F(rows[^1].RssPerKiB, "0.00")} KiB each); posted in {Measure.F(post)} s; idle silo CPU {Measure.F(idleCpu)} ms/s; sleepers still judging: {running}; load {Measure.LoadAverage}");
        }

        Console.WriteLine();
        Console.WriteLine($"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores; one embedded silo, {slots} judging slots, C++ A+B (compile-cache hits), " +
            $"{rounds} rounds, sizes interleaved, medians; load average {loadBefore} at the start, {Measure.LoadAverage} at the end.");
        Console.WriteLine();
        Console.WriteLine("| tests | submit to verdict, s | per test, ms | CPU of the silo's process, ms | per test | allocated, MiB | per test, KiB | heap retained after, KiB |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        foreach (var n in sizes)
        {
            double t = Measure.Median(time[n]), c = Measure.Median(cpu[n]), a = Measure.Median(allocated[n]);
            Console.WriteLine($"| {n} | {Measure.F(t, "0.00")} | {Measure.F(t * 1000 / n, "0.00")} | {Measure.F(c, "0")} | {Measure.F(c / n, "0.00")} | {Measure.F(a)} | {Measure.F(a * 1024 / n)} | {Measure.F(Measure.Median(retained[n]))} |");
        }
        Console.WriteLine();
        Console.WriteLine("| queued submissions | heap after full GC, MiB over empty | per submission, KiB | RSS, MiB over empty | per submission, KiB | posting the added ones took, s | per POST, ms | CPU of the idle silo, ms/s | all still queued |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
        for (var i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            var added = r.Queued - (i == 0 ? 0 : rows[i - 1].Queued);
            Console.WriteLine($"| {r.Queued} | {Measure.F(r.HeapMiB)} | {Measure.F(r.HeapPerKiB, "0.00")} | {Measure.F(r.RssMiB)} | {Measure.F(r.RssPerKiB, "0.00")} | {Measure.F(r.PostSeconds)} | {Measure.F(r.PostSeconds * 1000 / added, "0.00")} | {Measure.F(r.IdleCpu)} | {(r.BlockersRunning ? "yes" : "no: the sleepers ended, some were judged")} |");
        }

        if (rounds > 0)
            ChartTests(Path.Combine(charts, "growth-tests.png"), sizes, time, cpu, allocated);
        // Posting time per submission of each level's new submissions (the first level's all, then the ones added).
        var postPer = rows.Select((r, i) => r.PostSeconds * 1000 / (r.Queued - (i == 0 ? 0 : rows[i - 1].Queued))).ToArray();
        ChartQueue(Path.Combine(charts, "growth-queued.png"), rows.Select(r => (double)r.Queued).ToArray(),
            rows.Select(r => r.HeapPerKiB).ToArray(), rows.Select(r => r.RssPerKiB).ToArray(), postPer);
        Console.WriteLine($"charts: {charts}/growth-tests.png, {charts}/growth-queued.png");
        // The queued submissions are not judged: the sandbox daemon is stopped (the sleepers with it) and the process ends
        // here instead of draining the queue.
        if (silo.Services.GetService(typeof(Judge.Engine.Sandbox.ISandbox)) is IAsyncDisposable sandbox)
            await sandbox.DisposeAsync();
        Environment.Exit(0);
        return 0;
    }

    private static double HeapAfterFullGc()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: false);
    }

    private static double Rss()
    {
        using var self = Process.GetCurrentProcess();
        return self.WorkingSet64;
    }

    private static async Task WaitJudgingAsync(EmbeddedSilo silo, int count)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (!await BlockersRunningAsync(silo, count, started: true))
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException("the sleepers did not start judging within 2 minutes");
            await Task.Delay(200);
        }
    }

    private static async Task<bool> BlockersRunningAsync(EmbeddedSilo silo, int count, bool started = false)
    {
        for (var i = 0; i < count; i++)
        {
            var s = await silo.Http.GetFromJsonAsync<JsonElement>($"/api/submissions/block-{i}");
            var status = s.GetProperty("status").GetString();
            if (string.Equals(status, "finished", StringComparison.OrdinalIgnoreCase)
                || (started && !string.Equals(status, "running", StringComparison.OrdinalIgnoreCase)))
                return false;
        }
        return true;
    }

    private static void ChartTests(string path, List<int> sizes, Dictionary<int, List<double>> time, Dictionary<int, List<double>> cpu, Dictionary<int, List<double>> allocated)
    {
        // Per test against tests, on a logarithmic x axis: linear growth is a flat line.
        var xs = sizes.Select(n => Math.Log10(n)).ToArray();
        var plot = new Plot();
        var wall = plot.Add.Scatter(xs, sizes.Select(n => Measure.Median(time[n]) * 1000 / n).ToArray());
        wall.LegendText = "submit to verdict per test, ms";
        var silo = plot.Add.Scatter(xs, sizes.Select(n => Measure.Median(cpu[n]) / n).ToArray());
        silo.LegendText = "CPU of the silo's process per test, ms";
        var memory = plot.Add.Scatter(xs, sizes.Select(n => Measure.Median(allocated[n]) * 1024 / n / 100).ToArray());
        memory.LegendText = "allocated per test, 100 KiB";
        plot.Axes.Bottom.SetTicks(xs, sizes.Select(n => n.ToString(CultureInfo.InvariantCulture)).ToArray());
        plot.Axes.Bottom.Label.Text = "tests per submission (log scale)";
        plot.Axes.Left.Label.Text = "cost per test (flat = linear growth)";
        plot.Axes.AutoScale();
        plot.Axes.SetLimitsY(0, plot.Axes.GetLimits().Top * 1.1);
        plot.Title("C++ A+B, one submission, 2 judging slots");
        plot.ShowLegend();
        plot.SavePng(path, 800, 500);
    }

    private static void ChartQueue(string path, double[] queued, double[] heapPer, double[] rssPer, double[] postPer)
    {
        var xs = queued.Select(Math.Log10).ToArray();
        var plot = new Plot();
        var heap = plot.Add.Scatter(xs, heapPer);
        heap.LegendText = "managed heap after full GC per queued submission, KiB";
        var rss = plot.Add.Scatter(xs, rssPer);
        rss.LegendText = "RSS per queued submission, KiB";
        var post = plot.Add.Scatter(xs, postPer);
        post.LegendText = "accepting one more (POST), ms";
        plot.Axes.Bottom.SetTicks(xs, queued.Select(n => n.ToString("0", CultureInfo.InvariantCulture)).ToArray());
        plot.Axes.Bottom.Label.Text = "queued submissions (log scale)";
        plot.Axes.Left.Label.Text = "per queued submission (flat = linear)";
        plot.Axes.AutoScale();
        plot.Axes.SetLimitsY(0, plot.Axes.GetLimits().Top * 1.1);
        plot.Title("Silo memory per queued C++ submission");
        plot.ShowLegend();
        plot.SavePng(path, 800, 500);
    }
}
