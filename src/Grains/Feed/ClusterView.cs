using System.Collections.Immutable;
using Judge.Interfaces;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace Judge.Grains.Feed;

/// <summary>One silo as <c>GET /api/cluster</c> shows it.</summary>
public sealed record SiloView(
    string Address,
    string Name,
    string Status,
    ImmutableArray<SiloLanguage> Languages,
    int SlotsBusy,
    int SlotsTotal,
    double RunsPerSecond,
    DateTimeOffset LastHeartbeat,
    bool Stale);

/// <summary>The silos of the cluster from the feed directory's heartbeats, joined with the cluster membership: a silo is
/// stale when its heartbeat is older than <see cref="StaleHeartbeats"/> heartbeats or the membership does not count it
/// active (suspected, shutting down, dead). While the directory cannot be reached (its silo just died, and the cluster has
/// not yet declared it dead), this silo's own copy from its last renewal serves instead: a silo's death never turns the
/// cluster page into an error.</summary>
public sealed class ClusterView(IGrainFactory grains, IClusterMembershipService membership, IOptions<LiveFeedOptions> options, TimeProvider time,
    SubmissionFeed feed)
{
    /// <summary>Heartbeats missed before a silo is shown as stale.</summary>
    public const int StaleHeartbeats = 3;

    /// <summary>The silos that renewed their registration lately, by address.</summary>
    public async Task<IReadOnlyList<SiloView>> SilosAsync()
    {
        ImmutableArray<FeedMember> registered;
        try
        {
            registered = await grains.GetGrain<IFeedDirectoryGrain>(IFeedDirectoryGrain.Key).Members().WaitAsync(Unreachable);
        }
        catch (Exception e) when (e is SiloUnavailableException or OrleansException or TimeoutException)
        {
            registered = feed.Members;
        }
        var snapshot = membership.CurrentSnapshot;
        var now = time.GetUtcNow();
        var staleAfter = options.Value.Heartbeat * StaleHeartbeats;
        return registered.Select(member =>
        {
            var heartbeat = member.Heartbeat;
            var status = snapshot.Members.Values.FirstOrDefault(m => m.SiloAddress.ToString() == heartbeat.Address) is { } known
                ? StatusName(known.Status)
                : "unknown";
            var stale = status != "active" || now - member.RenewedAt > staleAfter;
            return new SiloView(heartbeat.Address, heartbeat.Name, status, heartbeat.Languages, heartbeat.SlotsBusy, heartbeat.SlotsTotal,
                heartbeat.RunsPerSecond, member.RenewedAt, stale);
        }).ToList();
    }

    /// <summary>The latest status of each SQS ingress.</summary>
    public async Task<IReadOnlyList<IngressQueueStatus>> IngressAsync()
    {
        try
        {
            return await grains.GetGrain<IIngressStatusGrain>(IIngressStatusGrain.Key).All().WaitAsync(Unreachable);
        }
        catch (Exception e) when (e is SiloUnavailableException or OrleansException or TimeoutException)
        {
            return []; // the status grain's silo just died: no queue figures until it is active again elsewhere
        }
    }

    /// <summary>How long the page waits for a grain on a silo that may have just died.</summary>
    private static readonly TimeSpan Unreachable = TimeSpan.FromSeconds(5);

    private static string StatusName(SiloStatus status) => status switch
    {
        SiloStatus.Active => "active",
        SiloStatus.Joining => "joining",
        SiloStatus.Created => "created",
        SiloStatus.ShuttingDown => "shuttingDown",
        SiloStatus.Stopping => "stopping",
        SiloStatus.Dead => "dead",
        _ => "unknown",
    };
}
