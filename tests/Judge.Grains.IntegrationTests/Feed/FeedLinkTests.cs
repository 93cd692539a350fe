using System.Collections.Immutable;
using System.Diagnostics;
using Judge.Grains.Feed;
using Judge.Interfaces;
using Microsoft.Extensions.Logging.Abstractions;

namespace Judge.Grains.IntegrationTests.Feed;

/// <summary>A link carries one silo's feed changes to another silo in order, and again after a failure: a receiver must
/// see every state of a submission that the sending silo's own feed shows.</summary>
public sealed class FeedLinkTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private static ImmutableArray<SubmissionChange> Changes(int from, int count) =>
        [.. Enumerable.Range(from, count).Select(revision => new SubmissionChange(
            new Submission { Id = "s", Problem = "aplusb", Language = "python3", CreatedAt = DateTimeOffset.UnixEpoch }, revision))];

    private static FeedLink Link(Receiver receiver, int maxBatch = 500, int sendTimeoutMs = 10_000) =>
        new("silo-b", receiver, maxBatch, TimeSpan.FromMilliseconds(sendTimeoutMs), TimeSpan.FromMilliseconds(10), TimeProvider.System,
            NullLogger.Instance);

    /// <summary>A receiver that records the revisions of the batches it took, and how many calls it had at once. Each call
    /// first does what <c>behave</c> says for its number (1 for the first): wait, throw or hang.</summary>
    private sealed class Receiver(Func<int, Task> behave) : IFeedObserver
    {
        private readonly List<long> taken = [];
        private readonly List<int> batches = [];
        private int calls, active, mostAtOnce;

        public int Calls => Volatile.Read(ref calls);

        public int MostAtOnce => Volatile.Read(ref mostAtOnce);

        /// <summary>The size of each batch taken.</summary>
        public List<int> Batches
        {
            get
            {
                lock (taken)
                    return [.. batches];
            }
        }

        public List<long> Taken
        {
            get
            {
                lock (taken)
                    return [.. taken];
            }
        }

        public async Task Receive(ImmutableArray<SubmissionChange> changes)
        {
            var call = Interlocked.Increment(ref calls);
            var now = Interlocked.Increment(ref active);
            lock (taken)
                mostAtOnce = Math.Max(mostAtOnce, now);
            try
            {
                await behave(call);
                lock (taken)
                {
                    taken.AddRange(changes.Select(c => c.Revision));
                    batches.Add(changes.Length);
                }
            }
            finally
            {
                Interlocked.Decrement(ref active);
            }
        }

        public async Task WaitForAsync(int count)
        {
            var clock = Stopwatch.StartNew();
            while (Taken.Count < count)
            {
                Assert.True(clock.Elapsed < Patience, $"the receiver took {Taken.Count} of {count} changes: {string.Join(",", Taken)}");
                await Task.Delay(5);
            }
        }
    }

    [Fact]
    public async Task A_slow_receiver_takes_every_batch_in_the_order_sent_one_at_a_time()
    {
        // Calls answer after 0 to 14 ms: batches sent without waiting for the answer would overlap and finish out of order.
        var random = new Random(7);
        var receiver = new Receiver(_ =>
        {
            int wait;
            lock (random)
                wait = random.Next(15);
            return Task.Delay(wait);
        });
        await using var link = Link(receiver);
        for (var revision = 1; revision <= 60; revision++)
        {
            link.Send(Changes(revision, 1));
            if (revision % 3 == 0)
                await Task.Delay(2);
        }

        await receiver.WaitForAsync(60);
        Assert.Equal(Enumerable.Range(1, 60).Select(r => (long)r), receiver.Taken);
        Assert.Equal(1, receiver.MostAtOnce);
        // Changes that came while a batch was out went together in the next one.
        Assert.InRange(receiver.Calls, 2, 59);
    }

    [Fact]
    public async Task A_batch_the_receiver_failed_or_did_not_answer_goes_again_before_the_next()
    {
        var hung = new TaskCompletionSource();
        var receiver = new Receiver(call => call switch
        {
            1 or 2 => Task.FromException(new TimeoutException("the silo did not answer")),
            3 => hung.Task, // never answers: the link's 200 ms timeout
            _ => Task.CompletedTask,
        });
        await using var link = Link(receiver, sendTimeoutMs: 200);
        link.Send(Changes(1, 5));
        link.Send(Changes(6, 5));

        await receiver.WaitForAsync(10);
        await Task.Delay(100);
        Assert.Equal(Enumerable.Range(1, 10).Select(r => (long)r), receiver.Taken);
        // Two failures and a timeout before the first batch got through, and the second batch only after it.
        Assert.InRange(receiver.Calls, 4, 5);
        hung.SetResult(); // the abandoned call ends late: its changes are copies that a receiver drops by revision
    }

    [Fact]
    public async Task Completing_sends_what_is_queued_and_gives_up_on_a_receiver_that_never_answers()
    {
        var slow = new Receiver(_ => Task.Delay(30));
        var link = Link(slow, maxBatch: 2);
        link.Send(Changes(1, 3));
        link.Send(Changes(4, 3));
        await link.CompleteAsync(Patience);
        Assert.Equal(Enumerable.Range(1, 6).Select(r => (long)r), slow.Taken);
        Assert.All(slow.Batches, size => Assert.InRange(size, 1, 2)); // at most two changes per batch

        var never = new Receiver(_ => new TaskCompletionSource().Task);
        var stuck = Link(never);
        stuck.Send(Changes(1, 1));
        var clock = Stopwatch.StartNew();
        await stuck.CompleteAsync(TimeSpan.FromMilliseconds(300));
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(250), Patience);
        Assert.Empty(never.Taken);
    }

    [Fact]
    public async Task A_link_to_a_dead_silo_tries_again_until_it_is_ended_and_then_stops()
    {
        var dead = new Receiver(_ => Task.FromException(new InvalidOperationException("the silo is gone")));
        var link = Link(dead);
        link.Send(Changes(1, 2));
        var clock = Stopwatch.StartNew();
        while (dead.Calls < 3)
        {
            Assert.True(clock.Elapsed < Patience, $"{dead.Calls} tries");
            await Task.Delay(5);
        }

        await link.DisposeAsync();
        var calls = dead.Calls;
        await Task.Delay(200);
        Assert.Equal(calls, dead.Calls);
        link.Send(Changes(3, 1)); // after the end: dropped, no call
        await Task.Delay(50);
        Assert.Equal(calls, dead.Calls);
        Assert.Empty(dead.Taken);
    }
}
