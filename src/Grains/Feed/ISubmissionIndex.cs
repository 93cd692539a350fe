using System.Text;
using Judge.Interfaces;

namespace Judge.Grains.Feed;

/// <summary>The submissions list and the last hour's statistics behind the dashboard: in memory from the live feed
/// (<see cref="MemorySubmissionIndex"/>), or the results table when the cluster has a database.</summary>
public interface ISubmissionIndex
{
    /// <summary>A change seen on the live feed (newest revision only). An index that reads a database ignores it.</summary>
    void Observe(SubmissionSummary summary);

    /// <summary>One page of the list, newest first (created at, then id, descending).</summary>
    Task<SubmissionPage> QueryAsync(SubmissionQuery query, CancellationToken cancellationToken = default);

    /// <summary>Counts per minute, the verdict mix and latency percentiles over the hour before <paramref name="now"/>.</summary>
    Task<SubmissionStats> StatsAsync(DateTimeOffset now, CancellationToken cancellationToken = default);
}

/// <summary>What the list shows: at most <see cref="Limit"/> summaries after <see cref="Before"/> that match every filter
/// given; with <see cref="OwnOnly"/> only the submissions made by the key named <see cref="Owner"/> (none when it is
/// <c>null</c>).</summary>
public sealed record SubmissionQuery(
    int Limit,
    SubmissionCursor? Before = null,
    string? Problem = null,
    string? Language = null,
    Verdict? Verdict = null,
    SubmissionStatus? Status = null,
    string? IdPrefix = null,
    bool OwnOnly = false,
    string? Owner = null)
{
    /// <summary>Whether <paramref name="summary"/> passes the filters (not the cursor).</summary>
    public bool Matches(SubmissionSummary summary) =>
        (Problem is null || summary.Problem == Problem)
        && (Language is null || summary.Language == Language)
        && (Verdict is null || summary.Verdict == Verdict)
        && (Status is null || summary.Status == Status)
        && (IdPrefix is null || summary.Id.StartsWith(IdPrefix, StringComparison.Ordinal))
        && (!OwnOnly || (Owner is not null && summary.SubmittedBy == Owner));
}

/// <summary>A page of the list and the cursor of the next (<c>null</c> on the last page).</summary>
public sealed record SubmissionPage(IReadOnlyList<SubmissionSummary> Items, SubmissionCursor? Next);

/// <summary>A position in the newest-first order: the creation time (whole microseconds, as PostgreSQL keeps it) and the
/// id of the last row of a page. Clients see it as an opaque string.</summary>
public readonly record struct SubmissionCursor(long CreatedAtMicros, string Id) : IComparable<SubmissionCursor>
{
    /// <summary>The cursor of <paramref name="summary"/>.</summary>
    public static SubmissionCursor Of(SubmissionSummary summary) => new(Micros(summary.CreatedAt), summary.Id);

    /// <summary>Microseconds since the Unix epoch, truncated.</summary>
    public static long Micros(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    /// <summary>The time of <paramref name="micros"/> (microseconds since the Unix epoch).</summary>
    public static DateTimeOffset Time(long micros) => DateTimeOffset.UnixEpoch.AddTicks(micros * 10);

    /// <summary>Newest-first order: a cursor that comes later in the list compares greater.</summary>
    public int CompareTo(SubmissionCursor other)
    {
        var byTime = other.CreatedAtMicros.CompareTo(CreatedAtMicros);
        return byTime != 0 ? byTime : string.CompareOrdinal(other.Id, Id);
    }

    /// <summary>The opaque form clients pass as <c>before</c>.</summary>
    public string Encode() =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{CreatedAtMicros}:{Id}")).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Reads a cursor made by <see cref="Encode"/>.</summary>
    public static bool TryDecode(string text, out SubmissionCursor cursor)
    {
        cursor = default;
        if (text.Length is 0 or > 400)
            return false;
        var base64 = text.Replace('-', '+').Replace('_', '/');
        base64 += new string('=', (4 - base64.Length % 4) % 4);
        var bytes = new byte[base64.Length];
        if (!Convert.TryFromBase64String(base64, bytes, out var length))
            return false;
        string decoded;
        try
        {
            decoded = new UTF8Encoding(false, true).GetString(bytes, 0, length);
        }
        catch (ArgumentException)
        {
            return false;
        }
        var separator = decoded.IndexOf(':');
        if (separator <= 0 || !long.TryParse(decoded.AsSpan(0, separator), out var micros) || !SubmissionJson.IsValidId(decoded[(separator + 1)..]))
            return false;
        cursor = new SubmissionCursor(micros, decoded[(separator + 1)..]);
        return true;
    }
}

/// <summary>The last hour of judging: per-minute counts (oldest first), the verdict mix of what finished, and percentiles
/// of queue wait (started − created) and judging time (finished − started), in milliseconds.</summary>
public sealed record SubmissionStats(
    DateTimeOffset Since,
    IReadOnlyList<MinuteStats> Minutes,
    IReadOnlyDictionary<string, int> Verdicts,
    Percentiles QueueWaitMs,
    Percentiles JudgingMs)
{
    /// <summary>How many minutes the statistics cover.</summary>
    public const int Window = 60;

    /// <summary>The first minute of the window that ends with the minute of <paramref name="now"/>.</summary>
    public static DateTimeOffset WindowStart(DateTimeOffset now)
    {
        var utc = now.ToUniversalTime();
        var minute = new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, utc.Minute, 0, TimeSpan.Zero);
        return minute.AddMinutes(-(Window - 1));
    }

    /// <summary>A verdict mix with every verdict code at 0.</summary>
    public static Dictionary<string, int> NoVerdicts() => Enum.GetNames<Verdict>().ToDictionary(v => v, _ => 0, StringComparer.Ordinal);
}

/// <summary>Counts the last hour minute by minute, for either index: where each count falls is the index's business, the
/// buckets and the result are this one's.</summary>
public sealed class SubmissionStatsBuilder
{
    private readonly int[] submitted = new int[SubmissionStats.Window];
    private readonly int[] finished = new int[SubmissionStats.Window];
    private readonly Dictionary<string, int>[] verdicts =
        Enumerable.Range(0, SubmissionStats.Window).Select(_ => SubmissionStats.NoVerdicts()).ToArray();
    private readonly Dictionary<string, int> total = SubmissionStats.NoVerdicts();

    /// <summary>A window ending with the minute of <paramref name="now"/>.</summary>
    public SubmissionStatsBuilder(DateTimeOffset now)
    {
        Since = SubmissionStats.WindowStart(now);
        Until = Since.AddMinutes(SubmissionStats.Window);
    }

    /// <summary>The window's first minute (inclusive) and its end (exclusive).</summary>
    public DateTimeOffset Since { get; }

    /// <inheritdoc cref="Since"/>
    public DateTimeOffset Until { get; }

    /// <summary>Whether <paramref name="time"/> is inside the window.</summary>
    public bool Covers(DateTimeOffset time) => time >= Since && time < Until;

    /// <summary>The minute of the window <paramref name="time"/> falls in.</summary>
    public int MinuteOf(DateTimeOffset time) => (int)((time - Since).Ticks / TimeSpan.TicksPerMinute);

    /// <summary>Counts <paramref name="count"/> submissions created in minute <paramref name="minute"/> (clamped to the window).</summary>
    public void AddSubmitted(int minute, int count = 1) => submitted[Clamp(minute)] += count;

    /// <summary>Counts <paramref name="count"/> submissions finished in minute <paramref name="minute"/> with <paramref name="verdict"/>.</summary>
    public void AddFinished(int minute, string? verdict, int count = 1)
    {
        minute = Clamp(minute);
        finished[minute] += count;
        if (verdict is null)
            return;
        verdicts[minute][verdict] += count;
        total[verdict] += count;
    }

    /// <summary>The statistics counted, with the percentiles measured.</summary>
    public SubmissionStats Build(Percentiles queueWait, Percentiles judging) => new(Since,
        [.. Enumerable.Range(0, SubmissionStats.Window).Select(i => new MinuteStats(Since.AddMinutes(i), submitted[i], finished[i], verdicts[i]))],
        total, queueWait, judging);

    private static int Clamp(int minute) => Math.Clamp(minute, 0, SubmissionStats.Window - 1);
}

/// <summary>Submissions created and finished in one minute, and the verdicts of those finished.</summary>
public sealed record MinuteStats(DateTimeOffset Minute, int Submitted, int Finished, IReadOnlyDictionary<string, int> Verdicts);

/// <summary>The 50th, 90th and 99th percentiles (linear interpolation, as PostgreSQL's <c>percentile_cont</c>).</summary>
public sealed record Percentiles(double P50, double P90, double P99)
{
    /// <summary>All zero: nothing was measured.</summary>
    public static readonly Percentiles None = new(0, 0, 0);

    /// <summary>The percentiles of <paramref name="values"/>.</summary>
    public static Percentiles Of(IReadOnlyCollection<double> values)
    {
        if (values.Count == 0)
            return None;
        var sorted = values.Order().ToArray();
        return new Percentiles(At(sorted, 0.5), At(sorted, 0.9), At(sorted, 0.99));
    }

    private static double At(double[] sorted, double fraction)
    {
        var position = fraction * (sorted.Length - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Length - 1);
        return Math.Round(sorted[below] + (sorted[above] - sorted[below]) * (position - below), 1);
    }
}
