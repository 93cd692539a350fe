using System.Collections.Immutable;
using System.Threading.Channels;
using Judge.Grains.Toolchains;
using Judge.Grains.Workers;
using Judge.Interfaces;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace Judge.Grains.Feed;

/// <summary>This silo's sending end of the live feed. Submission grains hand it every change after their state write
/// (<see cref="Publish"/>, never blocking: a bounded queue that drops the oldest change when full); it sends them in
/// batches every <see cref="BatchDelay"/> to its own <see cref="FeedHub"/> locally, and through one
/// <see cref="FeedLink"/> per silo registered in the <see cref="IFeedDirectoryGrain"/> to that silo, in order (a slow or
/// dead silo holds up only its own link). Every heartbeat it renews its own registration, which carries this silo's
/// status (languages, slots, runs per second) for <c>GET /api/cluster</c>, and updates its links.</summary>
public sealed partial class SubmissionFeed : ILifecycleParticipant<ISiloLifecycle>, IFeedObserver
{
    /// <summary>How long a batch collects changes after the first one.</summary>
    public static readonly TimeSpan BatchDelay = TimeSpan.FromMilliseconds(50);

    /// <summary>The most changes in one batch.</summary>
    public const int MaxBatch = 500;

    private readonly Channel<SubmissionChange> outbox = Channel.CreateBounded<SubmissionChange>(new BoundedChannelOptions(10_000)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.DropOldest,
    });

    private readonly FeedHub hub;
    private readonly IGrainFactory grains;
    private readonly ILocalSiloDetails silo;
    private readonly ToolchainInventory toolchains;
    private readonly JudgeSlots slots;
    private readonly JudgeRunCounter runs;
    private readonly TimeProvider time;
    private readonly LiveFeedOptions options;
    private readonly ILogger<SubmissionFeed> logger;
    private readonly CancellationTokenSource stopping = new();
    private readonly Lock linksGate = new();
    private readonly Dictionary<string, FeedLink> links = new(StringComparer.Ordinal);
    private ImmutableArray<FeedMember> members = [];
    private IFeedObserver? self;
    private Task sending = Task.CompletedTask, renewing = Task.CompletedTask;

    public SubmissionFeed(FeedHub hub, IGrainFactory grains, ILocalSiloDetails silo, ToolchainInventory toolchains, JudgeSlots slots,
        JudgeRunCounter runs, TimeProvider time, IOptions<LiveFeedOptions> options, ILogger<SubmissionFeed> logger)
    {
        this.hub = hub;
        this.grains = grains;
        this.silo = silo;
        this.toolchains = toolchains;
        this.slots = slots;
        this.runs = runs;
        this.time = time;
        this.options = options.Value;
        this.logger = logger;
    }

    /// <summary>The silos this one sends to, as of its last renewal (itself included).</summary>
    public ImmutableArray<FeedMember> Members => members;

    /// <summary>Queues a change of a submission for every silo's feed; never blocks.</summary>
    public void Publish(Submission submission, long revision) => outbox.Writer.TryWrite(new SubmissionChange(submission, revision));

    /// <summary>Changes sent by another silo.</summary>
    public Task Receive(ImmutableArray<SubmissionChange> changes)
    {
        hub.Receive(changes);
        return Task.CompletedTask;
    }

    public void Participate(ISiloLifecycle lifecycle) =>
        // Stops after the Active stage has stopped (running judgings drained), so their last changes still go out.
        lifecycle.Subscribe(nameof(SubmissionFeed), ServiceLifecycleStage.BecomeActive, StartAsync, StopAsync);

    private Task StartAsync(CancellationToken cancellationToken)
    {
        // The object this silo registers; the reference holds it strongly for the silo's lifetime.
        self = grains.CreateObjectReference<IFeedObserver>(this);
        sending = Task.Run(() => SendAsync(stopping.Token), CancellationToken.None);
        renewing = Task.Run(() => RenewAsync(stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task StopAsync(CancellationToken cancellationToken)
    {
        outbox.Writer.TryComplete();
        try
        {
            await sending.WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
        }
        catch (Exception e)
        {
            // stopping anyway: a stop that throws would end the silo abnormally
            LogLastBatchFailed(logger, e);
        }
        await stopping.CancelAsync();
        foreach (var link in TakeLinks(keep: []))
            await link.DisposeAsync();
        try
        {
            await renewing.WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
            await grains.GetGrain<IFeedDirectoryGrain>(IFeedDirectoryGrain.Key).Leave(Address).WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
        }
        catch (Exception e)
        {
            LogLeaveFailed(logger, e);
        }
        if (self is not null)
            grains.DeleteObjectReference<IFeedObserver>(self);
    }

    private string Address => silo.SiloAddress.ToString();

    private async Task SendAsync(CancellationToken cancellationToken)
    {
        var batch = new List<SubmissionChange>(MaxBatch);
        try
        {
            while (await outbox.Reader.WaitToReadAsync(cancellationToken))
            {
                if (!outbox.Reader.Completion.IsCompleted)
                    await Task.Delay(BatchDelay, time, cancellationToken);
                while (batch.Count < MaxBatch && outbox.Reader.TryRead(out var change))
                    batch.Add(change);
                var changes = batch.ToImmutableArray();
                batch.Clear();
                hub.Receive(changes);
                lock (linksGate)
                {
                    foreach (var link in links.Values)
                        link.Send(changes);
                }
            }
            // The silo stops: the other silos get what is queued for them (the stop waits for this a few seconds).
            FeedLink[] last;
            lock (linksGate)
                last = [.. links.Values];
            await Task.WhenAll(last.Select(link => link.CompleteAsync(FinalSendTimeout)));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // the silo stops
        }
    }

    /// <summary>How long the last changes may take to reach the other silos when this one stops.</summary>
    private static readonly TimeSpan FinalSendTimeout = TimeSpan.FromSeconds(4);

    /// <summary>Opens a link to every other silo in <paramref name="registered"/> that has none (or registered another
    /// receiver), and ends the links to silos that left.</summary>
    private void UpdateLinks(ImmutableArray<FeedMember> registered)
    {
        var others = registered.Where(m => m.Heartbeat.Address != Address).ToList();
        foreach (var link in TakeLinks(keep: others))
            _ = link.DisposeAsync().AsTask();
        lock (linksGate)
        {
            if (stopping.IsCancellationRequested)
                return;
            foreach (var member in others)
            {
                if (!links.ContainsKey(member.Heartbeat.Address))
                    links[member.Heartbeat.Address] = new FeedLink(member.Heartbeat.Address, member.Observer, MaxBatch, time, logger);
            }
        }
    }

    /// <summary>Removes and returns the links that go to no receiver in <paramref name="keep"/>.</summary>
    private List<FeedLink> TakeLinks(IReadOnlyCollection<FeedMember> keep)
    {
        lock (linksGate)
        {
            var gone = links.Where(l => !keep.Any(m => m.Heartbeat.Address == l.Key && m.Observer.Equals(l.Value.Receiver))).ToList();
            foreach (var (address, _) in gone)
                links.Remove(address);
            return [.. gone.Select(l => l.Value)];
        }
    }

    private async Task RenewAsync(CancellationToken cancellationToken)
    {
        var lastRuns = runs.Total;
        var lastTime = time.GetTimestamp();
        var registered = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            var now = time.GetTimestamp();
            var total = runs.Total;
            var seconds = time.GetElapsedTime(lastTime, now).TotalSeconds;
            var rate = seconds > 0 ? Math.Round((total - lastRuns) / seconds, 2) : 0;
            (lastRuns, lastTime) = (total, now);
            try
            {
                var heartbeat = new SiloHeartbeat(Address, silo.Name,
                    [.. toolchains.Available.Values.OrderBy(l => LanguageIds.All.ToList().IndexOf(l.Id)).Select(l => new SiloLanguage(l.Id, l.DisplayName))],
                    slots.Busy, slots.Capacity, rate, time.GetUtcNow());
                members = await grains.GetGrain<IFeedDirectoryGrain>(IFeedDirectoryGrain.Key).Renew(heartbeat, self!).WaitAsync(cancellationToken);
                UpdateLinks(members);
                registered = true;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                LogRenewFailed(logger, e);
            }
            try
            {
                // Until the first registration succeeds (the silo is still joining), try again soon.
                await Task.Delay(registered ? options.Heartbeat : TimeSpan.FromMilliseconds(250), time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Renewing this silo's live feed registration failed; retrying")]
    private static partial void LogRenewFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "The live feed's last batch did not go out before the silo stopped")]
    private static partial void LogLastBatchFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Leaving the live feed directory failed; the registration expires")]
    private static partial void LogLeaveFailed(ILogger logger, Exception exception);
}
