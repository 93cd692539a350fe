using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;

namespace Judge.Fleet.EndToEndTests;

/// <summary>The multi-host rehearsal (issue 12): the EC2 fleet of deploy/ec2 on one machine. Each test leaves the fleet
/// with its three silos up, so the tests run in any order.</summary>
public sealed class FleetRehearsalTests(Fleet fleet) : IClassFixture<Fleet>
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Submissions_are_judged_on_a_host_that_offers_their_language()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var sent = new Dictionary<string, string>();
        foreach (var (language, count) in new[] { ("cpp17", 3), ("java", 2), ("python3", 6) })
        {
            for (var i = 0; i < count; i++)
            {
                var id = $"route-{run}-{language}-{i}";
                sent[id] = language;
                if (i % 2 == 0)
                    await fleet.SendAsync(id, language, Fleet.Accepted(language));
                else
                    Assert.True(await Fleet.PostAsync(fleet.Silos[i % 3], id, language, Fleet.Accepted(language)), $"{id} was not accepted over HTTP");
            }
        }

        var results = await WaitAsync(sent.Keys, "routing");
        foreach (var (id, language) in sent)
        {
            var result = results[id];
            Assert.True(result.GetProperty("verdict").GetString() == "AC", $"{id}: {result}");
            var host = HostOf(result);
            Assert.True(host.Toolchains.Split(',').Contains(language), $"{id} ({language}) was judged by {host.Name}, which offers {host.Toolchains}");
        }
        Assert.All(sent.Where(s => s.Value == "cpp17"), s => Assert.Equal("s1", HostOf(results[s.Key]).Name));
        Assert.All(sent.Where(s => s.Value == "java"), s => Assert.Equal("s3", HostOf(results[s.Key]).Name));
        await AssertJudgedOnceAsync(sent.Keys);
    }

    [Fact]
    public async Task Cutting_a_hosts_link_moves_its_work_to_the_others_and_loses_nothing()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var cut = fleet.Silo("s2");
        // Slow enough (8 tests, 0.2 s of sleep each) that every host still has work when the link goes down.
        var source = "import time\ntime.sleep(0.2)\n" + Fleet.Accepted("python3");
        var before = Enumerable.Range(0, 12).Select(i => $"cut-{run}-before-{i}").ToList();
        foreach (var id in before)
            await fleet.SendAsync(id, "python3", source);
        await Task.Delay(TimeSpan.FromSeconds(4)); // the batch is under way: it takes about 20 s on three slots
        fleet.Cut(cut.Name);
        var cutAt = DateTimeOffset.UtcNow;
        try
        {
            var after = Enumerable.Range(0, 6).Select(i => $"cut-{run}-after-{i}").ToList();
            foreach (var (id, i) in after.Select((id, i) => (id, i)))
            {
                if (i % 2 == 0)
                    await fleet.SendAsync(id, "python3", Fleet.Accepted("python3"));
                else
                    await PostUntilAcceptedAsync(id, "python3", Fleet.Accepted("python3"), fleet.Silos.Where(s => s != cut).ToList());
            }

            var all = before.Concat(after).ToList();
            var results = await WaitAsync(all, "after the cut");
            Assert.All(all, id => Assert.True(results[id].GetProperty("verdict").GetString() == "AC", $"{id}: {results[id]}"));
            // The cut host can reach neither the database nor the queues: whatever finished after the cut was judged elsewhere.
            var late = all.Where(id => results[id].GetProperty("finishedAt").GetDateTimeOffset() > cutAt + TimeSpan.FromSeconds(1)).ToList();
            Assert.NotEmpty(late);
            Assert.All(late, id => Assert.NotEqual(cut.Name, HostOf(results[id]).Name));
            await AssertJudgedOnceAsync(all);
        }
        finally
        {
            // The cut host's silo has been declared dead by the others; it stops, and systemd (Restart=) starts it again.
            await cut.KillSiloAsync();
            fleet.Restore(cut.Name);
            await cut.StartSiloAsync();
        }
    }

    [Fact]
    public async Task A_rolling_restart_of_every_silo_loses_no_submission_and_judges_none_twice()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var accepted = new ConcurrentBag<string>();
        using var stop = new CancellationTokenSource();
        // A steady flow that adapts to the machine: a new submission whenever fewer than four are unfinished.
        var sender = Task.Run(async () =>
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                while (!stop.IsCancellationRequested && accepted.Count(id => fleet.Results.For(id).Count == 0) >= 4)
                    await Task.Delay(200);
                var id = $"roll-{run}-{n}";
                if (n % 2 == 0)
                {
                    await fleet.SendAsync(id, "python3", Fleet.Accepted("python3"));
                    accepted.Add(id);
                }
                else
                {
                    // Over HTTP to whichever silo answers: one that is restarting refuses, as behind a load balancer.
                    foreach (var silo in fleet.Silos.Skip(n % 3).Concat(fleet.Silos.Take(n % 3)))
                    {
                        if (await Fleet.PostAsync(silo, id, "python3", Fleet.Accepted("python3")))
                        {
                            accepted.Add(id);
                            break;
                        }
                    }
                }
                await Task.Delay(200);
            }
        });

        var timings = new List<string>();
        try
        {
            foreach (var silo in fleet.Silos)
            {
                var clock = Stopwatch.StartNew();
                var exit = await silo.StopSiloAsync();
                var stopped = clock.Elapsed;
                Assert.True(exit == 0, $"{silo.Name}'s silo exited with {exit} after SIGTERM:\n{silo.RecentLog}");
                await silo.StartSiloAsync();
                timings.Add($"{silo.Name}: stopped in {stopped.TotalSeconds:0.0} s, ready again {clock.Elapsed.TotalSeconds:0.0} s after SIGTERM");
            }
        }
        finally
        {
            await stop.CancelAsync();
            await sender;
        }

        var ids = accepted.ToList();
        Assert.True(ids.Count >= 12, $"only {ids.Count} submissions were sent during the restart ({string.Join("; ", timings)})");
        var results = await WaitAsync(ids, $"after the rolling restart ({string.Join("; ", timings)})");
        Assert.All(ids, id => Assert.True(results[id].GetProperty("verdict").GetString() == "AC", $"{id}: {results[id]}"));
        await AssertJudgedOnceAsync(ids);
    }

    /// <summary>What a backend does until the cluster has settled: POSTs (the same id: idempotent) to each silo in turn
    /// until one accepts; fails after <see cref="Patience"/>.</summary>
    private static async Task PostUntilAcceptedAsync(string id, string language, string source, IReadOnlyList<SiloHost> silos)
    {
        var deadline = DateTime.UtcNow + Patience;
        for (var attempt = 0; DateTime.UtcNow < deadline; attempt++)
        {
            if (await Fleet.PostAsync(silos[attempt % silos.Count], id, language, source))
                return;
            await Task.Delay(1000);
        }
        throw new TimeoutException($"{id} was not accepted over HTTP by {string.Join(", ", silos.Select(s => s.Name))} within {Patience}");
    }

    private async Task<Dictionary<string, JsonElement>> WaitAsync(IReadOnlyCollection<string> ids, string phase)
    {
        try
        {
            return await fleet.Results.WaitForAsync(ids, Patience);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{phase}: {e.Message}\n{fleet.Logs}", e);
        }
    }

    /// <summary>Exactly one result per id on the results queue, and one finished judging per id in the database.</summary>
    private async Task AssertJudgedOnceAsync(IReadOnlyCollection<string> ids)
    {
        Assert.Empty(fleet.Results.Unreadable);
        Assert.All(ids, id => Assert.True(fleet.Results.For(id).Count == 1, $"{id}: {fleet.Results.For(id).Count} results on the queue"));
        var rows = await fleet.JudgingsAsync(ids);
        Assert.All(ids, id =>
        {
            Assert.True(rows.TryGetValue(id, out var row), $"{id} is not in judge_submissions");
            Assert.True(row is ("finished", 1, 1), $"{id}: status {row.Status}, judging {row.Judging}, {row.Judgings} judgings recorded");
        });
    }

    private SiloHost HostOf(JsonElement result)
    {
        var judgedBy = result.GetProperty("judgedBy").GetString() ?? "";
        return fleet.Silos.SingleOrDefault(s => judgedBy.StartsWith(s.SiloPrefix, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"judgedBy '{judgedBy}' is no host of the fleet");
    }
}
