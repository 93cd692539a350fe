using System.Threading.Channels;
using Judge.Interfaces;
using Microsoft.Extensions.Options;

namespace Judge.Grains.Feed;

/// <summary>One event of this silo's live feed: a submission change with the event id this silo gave it.</summary>
public sealed record FeedEvent(string EventId, long Sequence, Submission Submission, SubmissionSummary Summary, long Revision);

/// <summary>This silo's end of the live feed: takes the changes every silo sends (its own included), drops duplicate and
/// out-of-order copies by revision, numbers what is left with event ids <c>&lt;epoch&gt;-&lt;sequence&gt;</c> (the epoch
/// is new with every process), keeps the last <see cref="LiveFeedOptions.ReplayEvents"/> for clients that reconnect, and
/// hands each event to the open streams and the in-memory submission list.</summary>
public sealed class FeedHub
{
    private readonly Lock gate = new();
    private readonly FeedEvent?[] ring;
    private readonly int maxTracked;
    private readonly Dictionary<string, long> revisions = new(StringComparer.Ordinal);
    private readonly Queue<string> tracked = new();
    private readonly List<FeedSubscription> subscriptions = [];
    private readonly ISubmissionIndex index;
    private long nextSequence = 1;

    public FeedHub(IOptions<LiveFeedOptions> options, ISubmissionIndex index)
    {
        ring = new FeedEvent?[options.Value.ReplayEvents];
        maxTracked = Math.Max(options.Value.ReplayEvents, options.Value.MaxSubmissions);
        this.index = index;
    }

    /// <summary>This process's epoch: the first part of every event id it gives.</summary>
    public string Epoch { get; } = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray().AsSpan(0, 6));

    /// <summary>The id of the newest event, or <c>&lt;epoch&gt;-0</c> before the first: a client that reconnects with it
    /// is replayed everything after it.</summary>
    public string LastEventId
    {
        get
        {
            lock (gate)
                return EventId(nextSequence - 1);
        }
    }

    /// <summary>Takes a batch of changes from any silo.</summary>
    public void Receive(IEnumerable<SubmissionChange> changes)
    {
        lock (gate)
        {
            foreach (var change in changes)
            {
                var id = change.Submission.Id;
                if (revisions.TryGetValue(id, out var seen))
                {
                    if (seen >= change.Revision)
                        continue; // a duplicate or late copy
                }
                else
                {
                    tracked.Enqueue(id);
                    while (tracked.Count > maxTracked)
                        revisions.Remove(tracked.Dequeue());
                }
                revisions[id] = change.Revision;

                var sequence = nextSequence++;
                var summary = SubmissionSummary.Of(change.Submission);
                var feedEvent = new FeedEvent(EventId(sequence), sequence, change.Submission, summary, change.Revision);
                ring[sequence % ring.Length] = feedEvent;
                index.Observe(summary);
                for (var i = subscriptions.Count - 1; i >= 0; i--)
                {
                    if (!subscriptions[i].Offer(feedEvent))
                        subscriptions.RemoveAt(i); // too slow: its stream ends and the client catches up by replay
                }
            }
        }
    }

    /// <summary>Opens a subscription to the events after <paramref name="lastEventId"/> (a client's <c>Last-Event-ID</c>),
    /// or to new events only when it is <c>null</c>. When the missed events cannot be replayed the subscription's
    /// <see cref="FeedSubscription.ResetReason"/> says why, and it delivers new events only.</summary>
    public FeedSubscription Subscribe(string? lastEventId)
    {
        lock (gate)
        {
            var (replay, reset) = lastEventId is null ? ([], null) : Replay(lastEventId);
            var subscription = new FeedSubscription(this, replay, reset, EventId(nextSequence - 1));
            subscriptions.Add(subscription);
            return subscription;
        }
    }

    internal void Unsubscribe(FeedSubscription subscription)
    {
        lock (gate)
            subscriptions.Remove(subscription);
    }

    private (List<FeedEvent> Replay, string? Reset) Replay(string lastEventId)
    {
        var separator = lastEventId.LastIndexOf('-');
        if (separator <= 0 || !long.TryParse(lastEventId.AsSpan(separator + 1), out var last) || last < 0)
            return ([], $"'{Shorten(lastEventId)}' is not an event id of this feed");
        if (lastEventId[..separator] != Epoch)
            return ([], "the event id is from another silo or an earlier run of this one");
        if (last >= nextSequence)
            return ([], "the event id is newer than the newest event of this silo");
        var oldest = Math.Max(1, nextSequence - ring.Length);
        if (last < oldest - 1)
            return ([], $"the events after {lastEventId} are no longer in the replay buffer ({ring.Length} events)");
        var replay = new List<FeedEvent>((int)(nextSequence - 1 - last));
        for (var sequence = last + 1; sequence < nextSequence; sequence++)
            replay.Add(ring[sequence % ring.Length]!);
        return (replay, null);
    }

    private string EventId(long sequence) => $"{Epoch}-{sequence}";

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "...";
}

/// <summary>One open stream's view of the feed: the events it missed (<see cref="Replay"/>), then live events through
/// <see cref="Reader"/>. The reader completes when the stream falls too far behind; the client then reconnects and is
/// replayed what it missed.</summary>
public sealed class FeedSubscription : IDisposable
{
    /// <summary>How many live events may wait for a slow stream before it is cut off.</summary>
    public const int Backlog = 4096;

    private readonly FeedHub hub;
    private readonly Channel<FeedEvent> events = Channel.CreateBounded<FeedEvent>(new BoundedChannelOptions(Backlog)
    {
        SingleReader = true,
        SingleWriter = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    internal FeedSubscription(FeedHub hub, IReadOnlyList<FeedEvent> replay, string? resetReason, string startEventId)
    {
        this.hub = hub;
        StartEventId = startEventId;
        Replay = replay;
        ResetReason = resetReason;
    }

    /// <summary>The events after the client's <c>Last-Event-ID</c>, oldest first.</summary>
    public IReadOnlyList<FeedEvent> Replay { get; }

    /// <summary>Why the missed events cannot be replayed; <c>null</c> when they can (or none were asked for).</summary>
    public string? ResetReason { get; }

    /// <summary>The id of the newest event when the subscription opened: its live events come after it.</summary>
    public string StartEventId { get; }

    /// <summary>Live events, in feed order.</summary>
    public ChannelReader<FeedEvent> Reader => events.Reader;

    internal bool Offer(FeedEvent feedEvent)
    {
        if (events.Writer.TryWrite(feedEvent))
            return true;
        events.Writer.TryComplete();
        return false;
    }

    public void Dispose()
    {
        hub.Unsubscribe(this);
        events.Writer.TryComplete();
    }
}
