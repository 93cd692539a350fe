using Judge.Grains.Feed;
using Judge.Interfaces;
using Microsoft.Extensions.Options;

namespace Judge.Grains.IntegrationTests.Feed;

public sealed class FeedHubTests
{
    private static (FeedHub Hub, MemorySubmissionIndex Index) Hub(int replay = 100)
    {
        var options = Microsoft.Extensions.Options.Options.Create(new LiveFeedOptions { ReplayEvents = replay });
        var index = new MemorySubmissionIndex(options);
        return (new FeedHub(options, index), index);
    }

    private static SubmissionChange Change(string id, long revision, SubmissionStatus status = SubmissionStatus.Queued) =>
        new(new Submission { Id = id, Problem = "aplusb", Language = "python3", Status = status, CreatedAt = DateTimeOffset.UnixEpoch }, revision);

    [Fact]
    public void Duplicate_and_late_copies_of_a_change_are_dropped()
    {
        var (hub, _) = Hub();
        using var subscription = hub.Subscribe(null);
        hub.Receive([Change("a", 1), Change("a", 2, SubmissionStatus.Compiling), Change("a", 2, SubmissionStatus.Compiling)]);
        hub.Receive([Change("a", 1), Change("b", 1), Change("a", 3, SubmissionStatus.Running)]);

        var received = new List<FeedEvent>();
        while (subscription.Reader.TryRead(out var e))
            received.Add(e);
        Assert.Equal(["a:Queued", "a:Compiling", "b:Queued", "a:Running"], received.Select(e => $"{e.Submission.Id}:{e.Submission.Status}"));
        Assert.Equal([1L, 2, 3, 4], received.Select(e => e.Sequence));
        Assert.All(received, e => Assert.Equal($"{hub.Epoch}-{e.Sequence}", e.EventId));
    }

    [Fact]
    public void A_client_that_reconnects_with_its_last_event_id_is_replayed_exactly_what_it_missed()
    {
        var (hub, _) = Hub();
        hub.Receive(Enumerable.Range(1, 10).Select(i => Change($"s{i}", 1)));
        using var subscription = hub.Subscribe($"{hub.Epoch}-6");
        Assert.Null(subscription.ResetReason);
        Assert.Equal(["s7", "s8", "s9", "s10"], subscription.Replay.Select(e => e.Submission.Id));

        using var current = hub.Subscribe(hub.LastEventId);
        Assert.Null(current.ResetReason);
        Assert.Empty(current.Replay);
    }

    [Fact]
    public void An_event_id_from_another_silo_an_earlier_run_or_beyond_the_buffer_gets_a_reset()
    {
        var (hub, _) = Hub(replay: 5);
        hub.Receive(Enumerable.Range(1, 10).Select(i => Change($"s{i}", 1)));

        var (other, _) = Hub();
        foreach (var lastEventId in new[] { $"{other.Epoch}-3", $"{hub.Epoch}-4", $"{hub.Epoch}-11", "garbage", $"{hub.Epoch}-x" })
        {
            using var subscription = hub.Subscribe(lastEventId);
            Assert.NotNull(subscription.ResetReason);
            Assert.Empty(subscription.Replay);
        }
        // The oldest event still buffered is 6: a client that saw 5 misses nothing that was dropped.
        using var edge = hub.Subscribe($"{hub.Epoch}-5");
        Assert.Null(edge.ResetReason);
        Assert.Equal(["s6", "s7", "s8", "s9", "s10"], edge.Replay.Select(e => e.Submission.Id));
    }

    [Fact]
    public void A_stream_that_falls_too_far_behind_is_cut_off_and_others_are_not()
    {
        var (hub, _) = Hub();
        using var slow = hub.Subscribe(null);
        using var fast = hub.Subscribe(null);
        for (var i = 0; i <= FeedSubscription.Backlog; i++)
        {
            hub.Receive([Change($"s{i}", 1)]);
            Assert.True(fast.Reader.TryRead(out _));
        }
        Assert.True(slow.Reader.Completion.IsCompleted || slow.Reader.Count == FeedSubscription.Backlog);
        var drained = 0;
        while (slow.Reader.TryRead(out _))
            drained++;
        Assert.Equal(FeedSubscription.Backlog, drained);
        Assert.True(slow.Reader.Completion.IsCompleted);
        hub.Receive([Change("after", 1)]);
        Assert.True(fast.Reader.TryRead(out var last));
        Assert.Equal("after", last.Submission.Id);
    }

    [Fact]
    public async Task The_feed_fills_the_in_memory_list()
    {
        var (hub, index) = Hub();
        hub.Receive([Change("a", 1), Change("a", 5, SubmissionStatus.Finished) with { }, Change("a", 4)]);
        var page = await index.QueryAsync(new SubmissionQuery(10));
        Assert.Equal(SubmissionStatus.Finished, Assert.Single(page.Items).Status);
    }
}
