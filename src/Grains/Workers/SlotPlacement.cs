using Judge.Grains.CompileCache;
using Judge.Interfaces;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Orleans.Metadata;
using Orleans.Placement;
using Orleans.Runtime;
using Orleans.Runtime.Placement;

namespace Judge.Grains.Workers;

/// <summary>Places a judging job (a worker activation) on the silo, among those that offer its language, with the most of
/// its judging slots free; when every slot of the cluster is taken, on the one whose queue is shortest for its slots.</summary>
[GenerateSerializer, Immutable, Alias("judge.FreeSlotPlacement")]
public sealed class FreeSlotPlacement : PlacementStrategy
{
    /// <summary>The one instance.</summary>
    public static FreeSlotPlacement Instance { get; } = new();
}

/// <summary>Marks a grain class as placed by <see cref="FreeSlotPlacement"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class FreeSlotPlacementAttribute() : PlacementAttribute(FreeSlotPlacement.Instance);

/// <summary>Chooses a silo for a <see cref="FreeSlotPlacement"/> grain from this silo's <see cref="SlotBoard"/>, without a call.</summary>
public sealed class FreeSlotPlacementDirector(SlotBoard board) : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context) =>
        Task.FromResult(board.Choose(context.GetCompatibleSilos(target), context.LocalSilo, target.GrainIdentity));
}

/// <summary>What this silo knows of every judging silo's slots: its own, read live, and the others' as they last sent them
/// (<see cref="ISlotLoadGrain"/>), plus the jobs this silo placed on each since that report, which the report cannot show yet.</summary>
public sealed class SlotBoard(JudgeSlots slots, TimeProvider time)
{
    /// <summary>How long a placement counts on top of a report received before it, and on top of this silo's own slots:
    /// the job's activation may take that long, on a loaded host, to reach the slots' queue. (A job that arrived sooner
    /// counts twice meanwhile, on every silo alike, so a burst still spreads evenly.)</summary>
    internal static readonly TimeSpan InFlight = TimeSpan.FromSeconds(1);

    /// <summary>A silo whose last report is older than this has gone silent (a live one reports at least every
    /// <see cref="SlotLoadPublisher.Refresh"/>): cut off from this silo, or stalled, though the cluster may not have
    /// declared it dead yet.</summary>
    internal static readonly TimeSpan Silent = 3 * SlotLoadPublisher.Refresh;

    /// <summary>How long this silo remembers where it placed a job, to learn which silo a failed call went to.</summary>
    internal static readonly TimeSpan Remembered = TimeSpan.FromMinutes(1);

    private readonly Lock gate = new();
    private readonly Dictionary<SiloAddress, (SlotLoad Load, long ReceivedAt)> reports = [];
    private readonly Dictionary<SiloAddress, List<long>> placed = [];
    private readonly HashSet<SiloAddress> unreachable = []; // until their next report
    private readonly Dictionary<GrainId, (SiloAddress Silo, long At)> placements = [];
    private readonly Queue<(GrainId Grain, long At)> placementOrder = new();

    /// <summary>This silo's slots now.</summary>
    public SlotLoad Local(SiloAddress self)
    {
        var (first, rejudges) = slots.Waiting;
        return new SlotLoad(self, slots.Busy, first + rejudges, slots.Capacity);
    }

    /// <summary>A report from another silo.</summary>
    public void Receive(SlotLoad load)
    {
        lock (gate)
        {
            reports[load.Silo] = (load, time.GetTimestamp());
            unreachable.Remove(load.Silo); // it reaches this silo again
        }
    }

    /// <summary>A call to the job <paramref name="worker"/> that this silo placed found its silo unavailable: that silo gets no
    /// more jobs from here while another can take them, until it reports again.</summary>
    public void Unreachable(GrainId worker)
    {
        lock (gate)
        {
            if (placements.TryGetValue(worker, out var placement))
                unreachable.Add(placement.Silo);
        }
    }

    /// <summary>A call to <paramref name="silo"/> found it unavailable: it gets no more jobs or test ranges from here while
    /// another can take them, until it reports again.</summary>
    public void Unreachable(SiloAddress silo)
    {
        lock (gate)
            unreachable.Add(silo);
    }

    /// <summary>Whether the last report of <paramref name="silo"/> (another silo) shows a slot that is free, counting what this
    /// silo placed there since, with no job waiting, and the silo is reachable (<see cref="Choose"/>'s rule). A silo that has
    /// not reported yet is not known to be idle.</summary>
    public bool ShowsIdle(SiloAddress silo)
    {
        var now = time.GetTimestamp();
        lock (gate)
            return FreeSlots(silo, now) > 0;
    }

    /// <summary>The silo other than <paramref name="self"/> among <paramref name="candidates"/> with the most free slots by its
    /// report (<see cref="ShowsIdle"/>), counted as a placement there (so a burst of ranges spreads before the next report)
    /// until <see cref="RangeEnded"/>; <c>null</c> when none shows an idle slot. For a range of a submission's tests when
    /// <paramref name="self"/> has none.</summary>
    public IdleSlot? ChooseIdle(IReadOnlyList<SiloAddress> candidates, SiloAddress self)
    {
        var now = time.GetTimestamp();
        lock (gate)
        {
            SiloAddress? best = null;
            var most = 0;
            var ties = 0;
            foreach (var silo in candidates)
            {
                if (silo.Equals(self))
                    continue;
                var free = FreeSlots(silo, now);
                if (free > most)
                    (best, most, ties) = (silo, free, 1);
                else if (free == most && best is not null && Random.Shared.Next(++ties) == 0)
                    best = silo; // a fair pick among equals
            }
            if (best is null)
                return null;
            if (!placed.TryGetValue(best, out var times))
                placed[best] = times = [];
            times.Add(now);
            return new IdleSlot(best, now);
        }
    }

    /// <summary>The range sent to <paramref name="slot"/> came back: it no longer counts as a placement there, so that the
    /// silo's next report showing the slot free again makes it a choice at once (a report comes within
    /// <see cref="SlotLoadPublisher.Interval"/> of a change, but while nothing changes only every
    /// <see cref="SlotLoadPublisher.Refresh"/>, and the placement would count against the report that showed the range's end).</summary>
    public void RangeEnded(IdleSlot slot)
    {
        lock (gate)
        {
            if (placed.TryGetValue(slot.Silo, out var times))
                times.Remove(slot.PlacedAt);
        }
    }

    /// <summary>The free slots of another silo by its last report, less what this silo placed there since; 0 when it has not
    /// reported, went silent, was found unreachable or has a job waiting (under <see cref="gate"/>).</summary>
    private int FreeSlots(SiloAddress silo, long now)
    {
        if (!reports.TryGetValue(silo, out var report) || !Reachable(silo, report.ReceivedAt, now) || report.Load.Waiting > 0)
            return 0;
        return Math.Max(0, report.Load.Capacity - report.Load.Busy - PlacedSince(silo, report.ReceivedAt, now));
    }

    /// <summary>The least loaded of <paramref name="candidates"/>: jobs (running, queued, and placed since the last report) per
    /// slot; among equals this silo, then any at random. A silo that has not reported yet counts as one free slot. A silo that
    /// went silent (<see cref="Silent"/>) or that a call found unavailable since its last report is chosen only when every
    /// candidate is such a silo: the cluster may not have declared it dead yet, and a job placed there waits for that and is
    /// tried again (a host whose network link is cut).</summary>
    public SiloAddress Choose(IReadOnlyList<SiloAddress> candidates, SiloAddress self, GrainId? target = null)
    {
        if (candidates.Count == 0)
            throw new OrleansException("no silo of the cluster hosts this worker");
        var now = time.GetTimestamp();
        lock (gate)
        {
            SiloAddress? best = null;
            var bestScore = double.MaxValue;
            var ties = 0;
            foreach (var silo in candidates)
            {
                var heard = reports.TryGetValue(silo, out var report);
                var (load, since) = silo.Equals(self)
                    ? (Local(self), now)
                    : heard ? report : (new SlotLoad(silo, 0, 0, 1), now);
                var score = (load.Busy + load.Waiting + PlacedSince(silo, since, now)) / (double)Math.Max(load.Capacity, 1);
                if (!silo.Equals(self) && !Reachable(silo, heard ? report.ReceivedAt : null, now))
                    score += LastResort;
                if (score < bestScore || (score == bestScore && silo.Equals(self)))
                    (best, bestScore, ties) = (silo, score, 1);
                else if (score == bestScore && !best!.Equals(self) && Random.Shared.Next(++ties) == 0)
                    best = silo; // a fair pick among equal remote silos
            }
            if (!placed.TryGetValue(best!, out var times))
                placed[best!] = times = [];
            times.Add(now);
            if (target is { } grain)
                Remember(grain, best!, now);
            return best!;
        }
    }

    /// <summary>Added to the score of a silo that is chosen only when nothing else can be: more jobs per slot than any silo has.</summary>
    private const double LastResort = 1e9;

    /// <summary>Whether <paramref name="silo"/> has reported within <see cref="Silent"/> (or never yet: a silo that just joined)
    /// and no call found it unavailable since its last report (under <see cref="gate"/>).</summary>
    private bool Reachable(SiloAddress silo, long? reportedAt, long now) =>
        !(reportedAt is { } at && time.GetElapsedTime(at, now) > Silent) && !unreachable.Contains(silo);

    /// <summary>Remembers where the job <paramref name="grain"/> went, for <see cref="Remembered"/> (under <see cref="gate"/>).</summary>
    private void Remember(GrainId grain, SiloAddress silo, long now)
    {
        placements[grain] = (silo, now);
        placementOrder.Enqueue((grain, now));
        while (placementOrder.TryPeek(out var oldest) && time.GetElapsedTime(oldest.At, now) > Remembered)
        {
            placementOrder.Dequeue();
            if (placements.TryGetValue(oldest.Grain, out var kept) && kept.At == oldest.At) // not placed again since
                placements.Remove(oldest.Grain);
        }
    }

    /// <summary>Jobs placed on <paramref name="silo"/> that its report received at <paramref name="since"/> may not show (under
    /// <see cref="gate"/>); forgets older ones.</summary>
    private int PlacedSince(SiloAddress silo, long since, long now)
    {
        if (!placed.TryGetValue(silo, out var times))
            return 0;
        times.RemoveAll(t => time.GetElapsedTime(t, now) > TimeSpan.FromSeconds(5));
        var count = 0;
        foreach (var t in times)
        {
            if (time.GetElapsedTime(since, t) > -InFlight)
                count++;
        }
        return count;
    }
}

/// <summary>A slot of another silo that <see cref="SlotBoard.ChooseIdle"/> chose for a range, and when.</summary>
public sealed record IdleSlot(SiloAddress Silo, long PlacedAt);

/// <summary>Receives the other silos' <see cref="SlotLoad"/> into this silo's <see cref="SlotBoard"/>.</summary>
[GrainType("slot-load"), SiloPinnedPlacement, Reentrant]
public sealed class SlotLoadGrain(SlotBoard board) : Grain, ISlotLoadGrain
{
    public Task Update(SlotLoad load)
    {
        board.Receive(load);
        return Task.CompletedTask;
    }
}

/// <summary>Tells every other judging silo this silo's <see cref="SlotLoad"/>: within <see cref="Interval"/> of a change, and
/// every <see cref="Refresh"/> while nothing changes (so a silo that joined later learns it). Costs nothing per queued job.</summary>
public sealed partial class SlotLoadPublisher(SlotBoard board, IGrainFactory grains, ILocalSiloDetails silo, IClusterManifestProvider manifest,
    IClusterMembershipService membership, TimeProvider time, ILogger<SlotLoadPublisher> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    /// <summary>How often the slots are looked at.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    /// <summary>How often the slots are sent while they do not change.</summary>
    public static readonly TimeSpan Refresh = TimeSpan.FromSeconds(5);

    private static readonly GrainType ReceiverType = GrainType.Create("slot-load");
    private readonly CancellationTokenSource stopping = new();
    private Task running = Task.CompletedTask;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(SlotLoadPublisher), ServiceLifecycleStage.Active, Start, Stop);

    private Task Start(CancellationToken cancellationToken)
    {
        running = Task.Run(() => RunAsync(stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task Stop(CancellationToken cancellationToken)
    {
        await stopping.CancelAsync();
        await running.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        SlotLoad? sent = null;
        var sentAt = 0L;
        var peers = 0;
        using var ticks = new PeriodicTimer(Interval, time);
        try
        {
            while (await ticks.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    var load = board.Local(silo.SiloAddress);
                    var receivers = Receivers();
                    if (load == sent && receivers.Count == peers && time.GetElapsedTime(sentAt) < Refresh)
                        continue;
                    foreach (var receiver in receivers)
                    {
                        try
                        {
                            _ = grains.GetGrain<ISlotLoadGrain>(receiver.ToParsableString()).Update(load); // one-way
                        }
                        catch (Exception e)
                        {
                            LogSendFailed(logger, e, receiver.ToString());
                        }
                    }
                    (sent, sentAt, peers) = (load, time.GetTimestamp(), receivers.Count);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A failed look at the cluster ends one report, not the silo's reports: the others would take it for
                    // silent (SlotBoard.Silent) and send it nothing.
                    LogPublishFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // the silo stops
        }
    }

    /// <summary>The other active silos that host the receiver (every judging silo).</summary>
    private List<SiloAddress> Receivers()
    {
        var members = membership.CurrentSnapshot;
        return manifest.Current.Silos
            .Where(s => !s.Key.Equals(silo.SiloAddress) && s.Value.Grains.ContainsKey(ReceiverType)
                && members.GetSiloStatus(s.Key) == SiloStatus.Active)
            .Select(s => s.Key)
            .ToList();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reporting this silo's slot load failed; trying again at the next tick")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Sending this silo's slot load to {Silo} failed")]
    private static partial void LogSendFailed(ILogger logger, Exception exception, string silo);
}
