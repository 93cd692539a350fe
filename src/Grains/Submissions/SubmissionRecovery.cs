using Judge.Abstractions;
using System.Text;
using Judge.Interfaces;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace Judge.Grains.Submissions;

/// <summary>Wakes unfinished submissions when a silo dies, and when this silo starts (after a whole cluster restarted):
/// a submission grain that lived on a dead silo has no activation until something calls it, and its worker may have
/// died with it. Each live silo wakes its share of the unfinished submissions recorded in the results tables (split by a
/// hash of the id over the active silos), so a silo's death costs each survivor only its share of calls. A submission
/// missed here (not yet recorded, or the silos' views differed) is woken by its watchdog reminder.</summary>
public sealed partial class SubmissionRecovery(
    IClusterMembershipService membership,
    ILocalSiloDetails local,
    IGrainFactory grains,
    ISubmissionResults results,
    ILogger<SubmissionRecovery> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    /// <summary>At most this many unfinished submissions are read per sweep.</summary>
    internal const int SweepLimit = 100_000;

    private const int Parallelism = 16;
    private const int Tries = 3;

    private readonly CancellationTokenSource stop = new();
    private Task watching = Task.CompletedTask;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(SubmissionRecovery), ServiceLifecycleStage.Active, StartAsync, StopAsync);

    private Task StartAsync(CancellationToken cancellationToken)
    {
        watching = Task.Run(() => WatchAsync(stop.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task StopAsync(CancellationToken cancellationToken)
    {
        await stop.CancelAsync();
        await watching.WaitAsync(cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private async Task WatchAsync(CancellationToken cancellationToken)
    {
        HashSet<SiloAddress>? dead = null;
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(cancellationToken))
            {
                var nowDead = snapshot.Members.Values.Where(m => m.Status == SiloStatus.Dead).Select(m => m.SiloAddress).ToHashSet();
                var newlyDead = dead is null ? [] : nowDead.Except(dead).ToList();
                var reason = dead is null ? "this silo started" : newlyDead.Count > 0 ? $"silo {string.Join(", ", newlyDead)} died" : null;
                dead = nowDead;
                if (reason is not null)
                    await SweepAsync(snapshot, reason, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // stopping
        }
        catch (Exception e)
        {
            LogWatchFailed(logger, e);
        }
    }

    private async Task SweepAsync(ClusterMembershipSnapshot snapshot, string reason, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> unfinished;
        try
        {
            unfinished = await results.ListUnfinishedAsync(SweepLimit, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogListFailed(logger, e, reason);
            return;
        }

        var active = snapshot.Members.Values.Where(m => m.Status == SiloStatus.Active).Select(m => m.SiloAddress.ToParsableString())
            .Order(StringComparer.Ordinal).ToList();
        var share = Share(unfinished, active, local.SiloAddress.ToParsableString());
        if (share.Count == 0)
            return;
        LogSweeping(logger, share.Count, unfinished.Count, reason);

        var failed = 0;
        await Parallel.ForEachAsync(share, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (id, token) =>
            {
                for (var tries = 1; ; tries++)
                {
                    try
                    {
                        await grains.GetGrain<ISubmissionGrain>(id).Resume();
                        return;
                    }
                    catch (Exception e) when (e is not OperationCanceledException || !token.IsCancellationRequested)
                    {
                        if (tries == Tries)
                        {
                            Interlocked.Increment(ref failed);
                            LogResumeFailed(logger, e, id);
                            return;
                        }
                        await Task.Delay(TimeSpan.FromSeconds(tries), token);
                    }
                }
            });
        LogSwept(logger, share.Count - failed, share.Count);
    }

    /// <summary>This silo's share of <paramref name="ids"/>: those whose hash, modulo the number of active silos, is this
    /// silo's index among them in address order. A silo not (yet) among the active ones takes all.</summary>
    internal static List<string> Share(IReadOnlyList<string> ids, IReadOnlyList<string> activeSilos, string self)
    {
        var index = -1;
        for (var i = 0; i < activeSilos.Count; i++)
        {
            if (activeSilos[i] == self)
                index = i;
        }
        if (index < 0)
            return [.. ids];
        return ids.Where(id => Fnv1a(id) % (uint)activeSilos.Count == index).ToList();
    }

    /// <summary>FNV-1a over the UTF-8 bytes: stable across processes and versions, unlike <see cref="string.GetHashCode()"/>.</summary>
    private static uint Fnv1a(string value)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(value))
            hash = (hash ^ b) * 16777619u;
        return hash;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Waking {Share} of {Unfinished} unfinished submissions: {Reason}")]
    private static partial void LogSweeping(ILogger logger, int share, int unfinished, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Woke {Woken} of {Share} unfinished submissions")]
    private static partial void LogSwept(ILogger logger, int woken, int share);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Waking {SubmissionId} failed; its watchdog reminder will")]
    private static partial void LogResumeFailed(ILogger logger, Exception exception, string submissionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listing unfinished submissions failed ({Reason}); their watchdog reminders will wake them")]
    private static partial void LogListFailed(ILogger logger, Exception exception, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Watching the cluster membership failed; unfinished submissions rely on their watchdog reminders")]
    private static partial void LogWatchFailed(ILogger logger, Exception exception);
}
