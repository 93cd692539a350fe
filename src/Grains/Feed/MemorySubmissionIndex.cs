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
        var stats = new SubmissionStatsBuilder(now);
        var queueWait = new List<double>();
        var judging = new List<double>();
        lock (gate)
        {
            foreach (var (_, s) in byId.Values)
            {
                if (stats.Covers(s.CreatedAt))
                    stats.AddSubmitted(stats.MinuteOf(s.CreatedAt));
                if (s.StartedAt is { } started && stats.Covers(started))
                    queueWait.Add((started - s.CreatedAt).TotalMilliseconds);
                if (s is { Status: SubmissionStatus.Finished, FinishedAt: { } end } && stats.Covers(end))
                {
                    stats.AddFinished(stats.MinuteOf(end), s.Verdict?.ToString());
                    if (s.StartedAt is { } begun)
                        judging.Add((end - begun).TotalMilliseconds);
                }
            }
        }
        return Task.FromResult(stats.Build(Percentiles.Of(queueWait), Percentiles.Of(judging)));
    }
}
