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
/// active (suspected, shutting down, dead).</summary>
public sealed class ClusterView(IGrainFactory grains, IClusterMembershipService membership, IOptions<LiveFeedOptions> options, TimeProvider time)
{
    /// <summary>Heartbeats missed before a silo is shown as stale.</summary>
    public const int StaleHeartbeats = 3;

    /// <summary>The silos that renewed their registration lately, by address.</summary>
    public async Task<IReadOnlyList<SiloView>> SilosAsync()
    {
        var registered = await grains.GetGrain<IFeedDirectoryGrain>(IFeedDirectoryGrain.Key).Members();
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
    public async Task<IReadOnlyList<IngressQueueStatus>> IngressAsync() =>
        await grains.GetGrain<IIngressStatusGrain>(IIngressStatusGrain.Key).All();

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
