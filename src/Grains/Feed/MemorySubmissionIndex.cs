using Judge.Interfaces;
using Microsoft.Extensions.Options;

namespace Judge.Grains.Feed;

/// <summary>The submissions list kept in memory from the live feed: the newest <see cref="LiveFeedOptions.MaxSubmissions"/>
/// summaries, ordered newest first. Every silo receives every change, so every silo's list is the cluster's; a silo
/// knows only the submissions changed since it started.</summary>
public sealed class MemorySubmissionIndex(IOptions<LiveFeedOptions> options) : ISubmissionIndex
{
    private readonly Lock gate = new();
    private readonly int capacity = options.Value.MaxSubmissions;
    private readonly SortedSet<SubmissionCursor> order = [];
    private readonly Dictionary<string, (SubmissionCursor Key, SubmissionSummary Summary)> byId = new(StringComparer.Ordinal);

    /// <summary>How many submissions the list holds.</summary>
    public int Count
    {
        get
        {
            lock (gate)
                return byId.Count;
        }
    }

    public void Observe(SubmissionSummary summary)
    {
        var key = SubmissionCursor.Of(summary);
        lock (gate)
        {
            if (byId.TryGetValue(summary.Id, out var known))
            {
                if (known.Key != key)
                {
                    order.Remove(known.Key);
                    order.Add(key);
                }
            }
            else
            {
                order.Add(key);
            }
            byId[summary.Id] = (key, summary);
            while (order.Count > capacity)
            {
                var oldest = order.Max;
                order.Remove(oldest);
                byId.Remove(oldest.Id);
            }
        }
    }

    public Task<SubmissionPage> QueryAsync(SubmissionQuery query, CancellationToken cancellationToken = default)
    {
        var items = new List<SubmissionSummary>(Math.Min(query.Limit, 1024));
        var more = false;
        lock (gate)
        {
            foreach (var key in After(query.Before))
            {
                var summary = byId[key.Id].Summary;
                if (!query.Matches(summary))
                    continue;
                if (items.Count == query.Limit)
                {
                    more = true;
                    break;
                }
                items.Add(summary);
            }
        }
        return Task.FromResult(new SubmissionPage(items, more ? SubmissionCursor.Of(items[^1]) : null));
    }

    private IEnumerable<SubmissionCursor> After(SubmissionCursor? before)
    {
        if (before is not { } cursor)
            return order;
        if (order.Count == 0 || cursor.CompareTo(order.Max) >= 0)
            return [];
        return order.GetViewBetween(cursor, order.Max).SkipWhile(k => k.CompareTo(cursor) <= 0);
    }

    public Task<SubmissionStats> StatsAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var since = SubmissionStats.WindowStart(now);
        var until = since.AddMinutes(SubmissionStats.Window);
        var submitted = new int[SubmissionStats.Window];
        var finished = new int[SubmissionStats.Window];
        var verdicts = Enumerable.Range(0, SubmissionStats.Window).Select(_ => SubmissionStats.NoVerdicts()).ToArray();
        var total = SubmissionStats.NoVerdicts();
        var queueWait = new List<double>();
        var judging = new List<double>();
        lock (gate)
        {
            foreach (var (_, s) in byId.Values)
            {
                if (s.CreatedAt >= since && s.CreatedAt < until)
                    submitted[Minute(s.CreatedAt)]++;
                if (s.StartedAt is { } started && started >= since && started < until)
                    queueWait.Add((started - s.CreatedAt).TotalMilliseconds);
                if (s is { Status: SubmissionStatus.Finished, FinishedAt: { } end } && end >= since && end < until)
                {
                    var minute = Minute(end);
                    finished[minute]++;
                    if (s.Verdict is { } verdict)
                    {
                        verdicts[minute][verdict.ToString()]++;
                        total[verdict.ToString()]++;
                    }
                    if (s.StartedAt is { } begun)
                        judging.Add((end - begun).TotalMilliseconds);
                }
            }
        }
        var minutes = Enumerable.Range(0, SubmissionStats.Window)
            .Select(i => new MinuteStats(since.AddMinutes(i), submitted[i], finished[i], verdicts[i]))
            .ToList();
        return Task.FromResult(new SubmissionStats(since, minutes, total, Percentiles.Of(queueWait), Percentiles.Of(judging)));

        int Minute(DateTimeOffset time) => (int)((time - since).Ticks / TimeSpan.TicksPerMinute);
    }
}
