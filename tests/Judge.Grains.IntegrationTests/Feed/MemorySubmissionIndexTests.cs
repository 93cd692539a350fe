using Judge.Grains.Feed;
using Judge.Interfaces;
using Microsoft.Extensions.Options;

namespace Judge.Grains.IntegrationTests.Feed;

public sealed class MemorySubmissionIndexTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 5, 10, 0, 0, TimeSpan.Zero);

    private static MemorySubmissionIndex Index(int max = 100_000) => new(Microsoft.Extensions.Options.Options.Create(new LiveFeedOptions { MaxSubmissions = max }));

    private static SubmissionSummary Summary(int i, DateTimeOffset? createdAt = null) => new()
    {
        Id = $"s{i:00000}",
        Problem = i % 3 == 0 ? "aplusb" : "triangle",
        Language = i % 2 == 0 ? "python3" : "cpp17",
        Status = i % 5 == 0 ? SubmissionStatus.Running : SubmissionStatus.Finished,
        Verdict = i % 5 == 0 ? null : i % 7 == 0 ? Verdict.WA : Verdict.AC,
        SubmittedBy = i % 4 == 0 ? "alice" : "bob",
        // Some share a creation time: the id breaks the tie.
        CreatedAt = createdAt ?? Start.AddMilliseconds(i / 2 * 10),
    };

    private static async Task<List<SubmissionSummary>> AllPagesAsync(ISubmissionIndex index, SubmissionQuery query)
    {
        var all = new List<SubmissionSummary>();
        SubmissionCursor? before = null;
        for (var pages = 0; ; pages++)
        {
            Assert.True(pages < 10_000, "paging does not end");
            var page = await index.QueryAsync(query with { Before = before });
            Assert.True(page.Items.Count <= query.Limit);
            all.AddRange(page.Items);
            if (page.Next is null)
                return all;
            // The cursor survives its opaque form.
            Assert.True(SubmissionCursor.TryDecode(page.Next.Value.Encode(), out var decoded));
            before = decoded;
        }
    }

    [Fact]
    public async Task Ten_thousand_submissions_page_newest_first_with_every_filter()
    {
        var index = Index();
        var summaries = Enumerable.Range(0, 12_000).Select(i => Summary(i)).ToList();
        foreach (var summary in summaries.OrderBy(_ => Random.Shared.Next()))
            index.Observe(summary);

        var newestFirst = summaries.OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id, StringComparer.Ordinal).ToList();
        var first = await index.QueryAsync(new SubmissionQuery(50));
        Assert.Equal(newestFirst.Take(50).Select(s => s.Id), first.Items.Select(s => s.Id));
        Assert.NotNull(first.Next);

        Assert.Equal(newestFirst.Select(s => s.Id), (await AllPagesAsync(index, new SubmissionQuery(500))).Select(s => s.Id));
        foreach (var (query, expected) in new (SubmissionQuery, Func<SubmissionSummary, bool>)[]
        {
            (new SubmissionQuery(97, Problem: "aplusb"), s => s.Problem == "aplusb"),
            (new SubmissionQuery(97, Language: "cpp17", Verdict: Verdict.WA), s => s.Language == "cpp17" && s.Verdict == Verdict.WA),
            (new SubmissionQuery(97, Status: SubmissionStatus.Running), s => s.Status == SubmissionStatus.Running),
            (new SubmissionQuery(7, IdPrefix: "s0012"), s => s.Id.StartsWith("s0012", StringComparison.Ordinal)),
            (new SubmissionQuery(97, OwnOnly: true, Owner: "alice"), s => s.SubmittedBy == "alice"),
            (new SubmissionQuery(97, OwnOnly: true, Owner: null), _ => false),
        })
        {
            var ids = (await AllPagesAsync(index, query)).Select(s => s.Id).ToList();
            Assert.Equal(newestFirst.Where(expected).Select(s => s.Id), ids);
        }
    }

    [Fact]
    public async Task A_changed_submission_keeps_its_place_and_the_oldest_go_beyond_the_bound()
    {
        var index = Index(max: 100);
        for (var i = 0; i < 150; i++)
            index.Observe(Summary(i));
        index.Observe(Summary(120) with { Status = SubmissionStatus.Finished, Verdict = Verdict.TLE });

        Assert.Equal(100, index.Count);
        var all = await AllPagesAsync(index, new SubmissionQuery(30));
        Assert.Equal(Enumerable.Range(50, 100).Reverse().Select(i => $"s{i:00000}"), all.Select(s => s.Id));
        Assert.Equal(Verdict.TLE, all.Single(s => s.Id == "s00120").Verdict);
    }

    [Fact]
    public async Task A_cursor_past_the_oldest_gives_an_empty_last_page()
    {
        var index = Index();
        index.Observe(Summary(1));
        var page = await index.QueryAsync(new SubmissionQuery(1));
        Assert.Null(page.Next);
        var beyond = await index.QueryAsync(new SubmissionQuery(10, Before: SubmissionCursor.Of(Summary(1))));
        Assert.Empty(beyond.Items);
        Assert.Null(beyond.Next);
    }

    [Fact]
    public void A_cursor_that_was_not_made_by_the_list_is_refused()
    {
        Assert.False(SubmissionCursor.TryDecode("not a cursor!", out _));
        Assert.False(SubmissionCursor.TryDecode(Convert.ToBase64String("12:"u8.ToArray()), out _));
        Assert.False(SubmissionCursor.TryDecode("", out _));
        Assert.True(SubmissionCursor.TryDecode(new SubmissionCursor(42, "a.b:c-d").Encode(), out var cursor));
        Assert.Equal(new SubmissionCursor(42, "a.b:c-d"), cursor);
    }

    [Fact]
    public async Task Stats_count_each_minute_and_the_verdict_mix_exactly()
    {
        var now = new DateTimeOffset(2026, 12, 5, 12, 30, 20, TimeSpan.Zero);
        var since = new DateTimeOffset(2026, 12, 5, 11, 31, 0, TimeSpan.Zero);
        var index = Index();
        SubmissionSummary Finished(string id, DateTimeOffset created, double waitSeconds, double judgeSeconds, Verdict verdict) => new()
        {
            Id = id, Problem = "aplusb", Language = "python3", Status = SubmissionStatus.Finished, Verdict = verdict,
            CreatedAt = created, StartedAt = created.AddSeconds(waitSeconds), FinishedAt = created.AddSeconds(waitSeconds + judgeSeconds),
        };
        // Minute 0 (11:31): two created, both finished in minute 0 (AC, WA).
        index.Observe(Finished("a", since.AddSeconds(1), 1, 2, Verdict.AC));
        index.Observe(Finished("b", since.AddSeconds(10), 2, 3, Verdict.WA));
        // Minute 59 (12:30): one created and finished (TLE), one created and queued.
        index.Observe(Finished("c", now.AddSeconds(-20), 3, 4, Verdict.TLE));
        index.Observe(new SubmissionSummary { Id = "d", Problem = "aplusb", Language = "python3", CreatedAt = now.AddSeconds(-1) });
        // Created before the window, finished in minute 1 (11:32): counted as finished, not as submitted.
        index.Observe(Finished("e", since.AddMinutes(-3), 170, 70, Verdict.AC));
        // Entirely before the window.
        index.Observe(Finished("f", since.AddHours(-2), 1, 1, Verdict.RE));

        var stats = await index.StatsAsync(now);

        Assert.Equal(since, stats.Since);
        Assert.Equal(60, stats.Minutes.Count);
        Assert.Equal(since.AddMinutes(59), stats.Minutes[^1].Minute);
        Assert.Equal([2, 0, 2], [stats.Minutes[0].Submitted, stats.Minutes[1].Submitted, stats.Minutes[59].Submitted]);
        Assert.Equal([2, 1, 1], [stats.Minutes[0].Finished, stats.Minutes[1].Finished, stats.Minutes[59].Finished]);
        Assert.Equal(4, stats.Minutes.Sum(m => m.Submitted));
        Assert.Equal(4, stats.Minutes.Sum(m => m.Finished));
        Assert.Equal(1, stats.Minutes[0].Verdicts["AC"]);
        Assert.Equal(1, stats.Minutes[0].Verdicts["WA"]);
        Assert.Equal(1, stats.Minutes[59].Verdicts["TLE"]);
        Assert.Equal(new Dictionary<string, int> { ["AC"] = 2, ["WA"] = 1, ["TLE"] = 1 }, stats.Verdicts.Where(v => v.Value > 0).ToDictionary());
        // Started in the window: queue waits 1, 2, 3 s ("e" started before it). Finished in the window: judging 2, 3, 4,
        // 70 s. Percentiles interpolate linearly, as percentile_cont does.
        Assert.Equal(new Percentiles(2000, 2800, 2980), stats.QueueWaitMs);
        Assert.Equal(new Percentiles(3500, 50200, 68020), stats.JudgingMs);
    }
}
