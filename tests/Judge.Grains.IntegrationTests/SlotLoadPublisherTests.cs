using System.Collections.Immutable;
using System.Net;
using System.Reflection;
using Judge.Grains.Options;
using Judge.Grains.Workers;
using Judge.Interfaces;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Orleans.Metadata;
using Orleans.Runtime;

namespace Judge.Grains.IntegrationTests;

/// <summary>A silo's slot reports to the others: they go on after a failed look at the cluster, since another silo takes a
/// silo it has not heard from for <see cref="SlotBoard.Silent"/> for cut off.</summary>
public class SlotLoadPublisherTests
{
    private static readonly SiloAddress Self = Silo(1), Peer = Silo(2);

    private static SiloAddress Silo(int n) => SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 11210 + n), n);

    [Fact]
    public async Task Reports_go_on_after_a_tick_whose_look_at_the_cluster_failed()
    {
        var time = new FakeTimeProvider();
        var slots = new JudgeSlots(Microsoft.Extensions.Options.Options.Create(new JudgingOptions { Slots = 1 }));
        var failing = 1; // the first look at the cluster's manifest throws
        var manifest = new ClusterManifest(MajorMinorVersion.MinValue, ImmutableDictionary<SiloAddress, GrainManifest>.Empty
            .Add(Peer, new GrainManifest(
                ImmutableDictionary<GrainType, GrainProperties>.Empty.Add(GrainType.Create("slot-load"), new GrainProperties(ImmutableDictionary.Create<string, string>(StringComparer.Ordinal))),
                ImmutableDictionary<GrainInterfaceType, GrainInterfaceProperties>.Empty)));
        var members = new ClusterMembershipSnapshot(
            ImmutableDictionary<SiloAddress, ClusterMember>.Empty.Add(Self, new ClusterMember(Self, SiloStatus.Active, "self"))
                .Add(Peer, new ClusterMember(Peer, SiloStatus.Active, "peer")),
            new MembershipVersion(1));
        var sent = new List<(string Receiver, SlotLoad Load)>();
        var publisher = new SlotLoadPublisher(
            new SlotBoard(slots, time),
            Fake<IGrainFactory>.Of((method, args) =>
            {
                if (method.Name != nameof(IGrainFactory.GetGrain) || args is not [string key, ..])
                    throw new NotSupportedException(method.Name);
                return Fake<ISlotLoadGrain>.Of((m, a) =>
                {
                    lock (sent)
                        sent.Add((key, (SlotLoad)a![0]!));
                    return Task.CompletedTask;
                });
            }),
            Fake<ILocalSiloDetails>.Of((method, _) => method.Name == "get_SiloAddress" ? Self : throw new NotSupportedException(method.Name)),
            Fake<IClusterManifestProvider>.Of((method, _) => method.Name == "get_Current"
                ? Interlocked.Decrement(ref failing) >= 0 ? throw new InvalidOperationException("the manifest is being replaced") : manifest
                : throw new NotSupportedException(method.Name)),
            Fake<IClusterMembershipService>.Of((method, _) => method.Name == "get_CurrentSnapshot" ? members : throw new NotSupportedException(method.Name)),
            time, NullLogger<SlotLoadPublisher>.Instance);
        var lifecycle = new Lifecycle();
        publisher.Participate(lifecycle);
        await lifecycle.Start();

        // Tick by tick until the peer has a report (the first tick fails), with a real pause so the loop can run.
        for (var i = 0; i < 50 && Count() == 0; i++)
        {
            time.Advance(SlotLoadPublisher.Interval);
            await Task.Delay(20);
        }

        await lifecycle.Stop();
        Assert.True(failing < 0, "the publisher looked at the cluster again after the failed look");
        var (to, load) = Assert.Single(Snapshot());
        Assert.Equal(Peer.ToParsableString(), to);
        Assert.Equal(new SlotLoad(Self, 0, 0, 1), load);

        int Count()
        {
            lock (sent)
                return sent.Count;
        }

        List<(string, SlotLoad)> Snapshot()
        {
            lock (sent)
                return [.. sent];
        }
    }

    /// <summary>The one stage the publisher subscribes to, started and stopped by the test.</summary>
    private sealed class Lifecycle : ISiloLifecycle
    {
        private readonly List<ILifecycleObserver> observers = [];

        public int HighestCompletedStage => 0;

        public int LowestStoppedStage => 0;

        public IDisposable Subscribe(string observerName, int stage, ILifecycleObserver observer)
        {
            observers.Add(observer);
            return new Unsubscriber();
        }

        public Task Start() => Task.WhenAll(observers.Select(o => o.OnStart(CancellationToken.None)));

        public Task Stop() => Task.WhenAll(observers.Select(o => o.OnStop(CancellationToken.None)));

        private sealed class Unsubscriber : IDisposable
        {
            public void Dispose()
            {
            }
        }
    }
}

/// <summary>A fake of interface <typeparamref name="T"/> whose every call goes to one handler.</summary>
public class Fake<T> : DispatchProxy
{
    private Func<MethodInfo, object?[]?, object?> handler = (method, _) => throw new NotSupportedException(method.Name);

    public static T Of(Func<MethodInfo, object?[]?, object?> handler)
    {
        var fake = DispatchProxy.Create<T, Fake<T>>();
        ((Fake<T>)(object)fake!).handler = handler;
        return fake;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) => handler(targetMethod!, args);
}
