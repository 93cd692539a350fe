using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace Judge.Grains.Submissions;

/// <summary>One task per silo that completes when the cluster membership declares that silo dead: every submission whose job
/// waits in that silo's queue awaits the same task, so a queue of any length costs one membership subscription.</summary>
public sealed partial class SiloDeaths(IClusterMembershipService membership, ILogger<SiloDeaths> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> watched = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource stopping = new();
    private Task following = Task.CompletedTask;

    /// <summary>Completes when silo <paramref name="silo"/> (<c>SiloAddress.ToString()</c>) is declared dead, or at once when the
    /// membership does not count it a live member now.</summary>
    public Task WhenGone(string silo)
    {
        if (!IsLive(membership.CurrentSnapshot, silo))
            return Task.CompletedTask;
        var gone = watched.GetOrAdd(silo, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!IsLive(membership.CurrentSnapshot, silo)) // a change that came while registering
            Complete(silo);
        return gone.Task;
    }

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(SiloDeaths), ServiceLifecycleStage.RuntimeGrainServices, _ =>
        {
            following = Task.Run(() => FollowAsync(stopping.Token), CancellationToken.None);
            return Task.CompletedTask;
        }, async _ =>
        {
            await stopping.CancelAsync();
            await following.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        });

    private async Task FollowAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(cancellationToken))
            {
                foreach (var silo in watched.Keys)
                {
                    if (!IsLive(snapshot, silo))
                        Complete(silo);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // the silo stops
        }
        catch (Exception e)
        {
            LogFollowFailed(logger, e);
        }
    }

    private void Complete(string silo)
    {
        if (watched.TryRemove(silo, out var gone))
            gone.TrySetResult();
    }

    private static bool IsLive(ClusterMembershipSnapshot snapshot, string silo) =>
        snapshot.Members.Values.Any(m => m.Status != SiloStatus.Dead && m.SiloAddress.ToString() == silo);

    [LoggerMessage(Level = LogLevel.Error, Message = "Following the cluster membership failed; queued jobs rely on their judge calls failing")]
    private static partial void LogFollowFailed(ILogger logger, Exception exception);
}
