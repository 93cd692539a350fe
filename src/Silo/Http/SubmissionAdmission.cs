using System.Collections.Concurrent;
using Judge.Grains.Feed;
using Judge.Interfaces;
using Judge.ServiceDefaults.Http;

namespace Judge.Silo.Http;

/// <summary>Bounds the submissions this silo accepted over HTTP and that are not finished yet
/// (<see cref="JudgeHttpOptions.MaxUnfinishedSubmissions"/>), so that a flood of good submissions is refused with 503 instead
/// of growing a backlog without end. A submission counts from its reservation (before it is accepted) until the live feed
/// shows it finished; a sweep asks the grains of those the feed did not report (its queue drops changes when full).</summary>
public sealed partial class SubmissionAdmission(JudgeHttpOptions options, FeedHub hub, IGrainFactory grains, TimeProvider time,
    ILogger<SubmissionAdmission> logger) : BackgroundService
{
    /// <summary>How often the sweep runs.</summary>
    public static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(2);

    /// <summary>How long a submission goes unreported before the sweep looks it up (and again after each look).</summary>
    public static readonly TimeSpan LookUpAfter = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, DateTimeOffset> unfinished = new(StringComparer.Ordinal);
    private int count; // reservations plus tracked ids

    /// <summary>The most unfinished submissions this silo takes.</summary>
    public int Capacity => options.MaxUnfinishedSubmissions;

    /// <summary>Submissions reserved or accepted and not yet seen finished.</summary>
    public int Count => Volatile.Read(ref count);

    /// <summary>Takes a place for one submission, or answers <c>false</c> when the silo has <see cref="Capacity"/> already.</summary>
    public bool TryReserve()
    {
        while (true)
        {
            var current = Volatile.Read(ref count);
            if (current >= Capacity)
                return false;
            if (Interlocked.CompareExchange(ref count, current + 1, current) == current)
                return true;
        }
    }

    /// <summary>Gives back a reservation that did not become an accepted submission (refused, duplicate, failed).</summary>
    public void Cancel() => Interlocked.Decrement(ref count);

    /// <summary>Turns a reservation into the accepted submission <paramref name="id"/>, counted until it finishes.</summary>
    public void Accepted(string id)
    {
        if (!unfinished.TryAdd(id, time.GetUtcNow()))
            Cancel(); // already counted
    }

    private void Finished(string id)
    {
        if (unfinished.TryRemove(id, out _))
            Interlocked.Decrement(ref count);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var sweeping = SweepAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            // A subscription that falls behind ends; the sweep covers what it missed, and a new one starts.
            using var subscription = hub.Subscribe(null);
            try
            {
                await foreach (var change in subscription.Reader.ReadAllAsync(stoppingToken))
                {
                    if (change.Submission.Status == SubmissionStatus.Finished)
                        Finished(change.Submission.Id);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
        }
        await sweeping;
    }

    private async Task SweepAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(SweepInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var due = time.GetUtcNow() - LookUpAfter;
                var old = unfinished.Where(e => e.Value < due).Select(e => e.Key).ToList();
                await Parallel.ForEachAsync(old, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = stoppingToken }, async (id, _) =>
                {
                    try
                    {
                        if (await grains.GetGrain<ISubmissionGrain>(id).Get() is not { Status: not SubmissionStatus.Finished })
                            Finished(id);
                        else
                            unfinished.TryUpdate(id, time.GetUtcNow(), unfinished.GetValueOrDefault(id));
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        LogSweepFailed(logger, e, id);
                    }
                });
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // the silo stops
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Looking up whether submission {SubmissionId} finished failed; trying again")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception, string submissionId);
}
