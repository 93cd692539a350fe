using System.Collections.Immutable;
using Judge.Interfaces;
using Microsoft.Extensions.Options;

namespace Judge.Grains.Feed;

/// <summary>The directory of the live feed's receivers, in memory: silos renew their registration every heartbeat, so a
/// new activation (its silo died) is complete again within one heartbeat. A registration not renewed for
/// <see cref="ExpiryHeartbeats"/> heartbeats drops out.</summary>
[GrainType("feed-directory")]
public sealed class FeedDirectoryGrain(IOptions<LiveFeedOptions> options, TimeProvider time) : Grain, IFeedDirectoryGrain
{
    /// <summary>Heartbeats without a renewal after which a registration is dropped.</summary>
    public const int ExpiryHeartbeats = 5;

    private readonly Dictionary<string, FeedMember> members = new(StringComparer.Ordinal);
    private readonly TimeSpan expiry = options.Value.Heartbeat * ExpiryHeartbeats;

    public Task<ImmutableArray<FeedMember>> Renew(SiloHeartbeat heartbeat, IFeedObserver observer)
    {
        members[heartbeat.Address] = new FeedMember(observer, heartbeat, time.GetUtcNow());
        return Members();
    }

    public Task Leave(string address)
    {
        members.Remove(address);
        return Task.CompletedTask;
    }

    public Task<ImmutableArray<FeedMember>> Members()
    {
        var now = time.GetUtcNow();
        foreach (var (address, member) in members.Where(m => now - m.Value.RenewedAt > expiry).ToList())
            members.Remove(address);
        return Task.FromResult(members.Values.OrderBy(m => m.Heartbeat.Address, StringComparer.Ordinal).ToImmutableArray());
    }
}

/// <summary>Keeps the latest queue status of each SQS ingress, in memory; an ingress silent for
/// <see cref="Expiry"/> drops out.</summary>
[GrainType("ingress-status")]
public sealed class IngressStatusGrain(TimeProvider time) : Grain, IIngressStatusGrain
{
    /// <summary>How long a status is shown without a new report.</summary>
    public static readonly TimeSpan Expiry = TimeSpan.FromMinutes(2);

    private readonly Dictionary<string, (IngressQueueStatus Status, DateTimeOffset ReportedAt)> statuses = new(StringComparer.Ordinal);

    public Task Report(IngressQueueStatus status)
    {
        statuses[status.Name] = (status, time.GetUtcNow());
        return Task.CompletedTask;
    }

    public Task<ImmutableArray<IngressQueueStatus>> All()
    {
        var now = time.GetUtcNow();
        foreach (var name in statuses.Where(s => now - s.Value.ReportedAt > Expiry).Select(s => s.Key).ToList())
            statuses.Remove(name);
        return Task.FromResult(statuses.Values.Select(s => s.Status).OrderBy(s => s.Name, StringComparer.Ordinal).ToImmutableArray());
    }
}
