using System.Collections.Immutable;
using System.Threading.Channels;
using Judge.Interfaces;
using Microsoft.Extensions.Logging;

namespace Judge.Grains.Feed;

/// <summary>Carries this silo's live feed changes to one other silo's receiver, in the order they were sent. Orleans keeps
/// neither the order of two messages between silos nor a one-way message that was lost, so the link sends one batch at a
/// time and the next only when the receiver has answered for the last; a batch that failed or timed out goes again
/// (receivers drop copies by revision). Changes that come while a batch is out go together in the next one. A receiver
/// more than <see cref="Capacity"/> changes behind (it hangs, or it is dead and not yet out of the directory) loses the
/// oldest: sending never blocks the feed or the links to other silos.</summary>
internal sealed partial class FeedLink : IAsyncDisposable
{
    /// <summary>How many changes may wait for a receiver.</summary>
    public const int Capacity = 10_000;

    /// <summary>How long a receiver has to answer for a batch before it goes again.</summary>
    public static readonly TimeSpan DefaultSendTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The wait after a first failed batch; it doubles with each failure in a row, up to <see cref="MaxRetryDelay"/>.</summary>
    public static readonly TimeSpan DefaultRetryDelay = TimeSpan.FromMilliseconds(250);

    /// <summary>The longest wait between two tries of a batch.</summary>
    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(5);

    private readonly Channel<SubmissionChange> queue = Channel.CreateBounded<SubmissionChange>(new BoundedChannelOptions(Capacity)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.DropOldest,
    });

    private readonly string address;
    private readonly int maxBatch;
    private readonly TimeSpan sendTimeout, retryDelay;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly CancellationTokenSource stopping = new();
    private readonly Task sending;

    public FeedLink(string address, IFeedObserver receiver, int maxBatch, TimeProvider time, ILogger logger)
        : this(address, receiver, maxBatch, DefaultSendTimeout, DefaultRetryDelay, time, logger)
    {
    }

    /// <summary>A link with its own timeout and first retry delay (tests).</summary>
    public FeedLink(string address, IFeedObserver receiver, int maxBatch, TimeSpan sendTimeout, TimeSpan retryDelay, TimeProvider time,
        ILogger logger)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        this.address = address;
        Receiver = receiver;
        this.maxBatch = maxBatch;
        this.sendTimeout = sendTimeout;
        this.retryDelay = retryDelay;
        this.time = time;
        this.logger = logger;
        sending = Task.Run(() => SendAsync(stopping.Token), CancellationToken.None);
    }

    /// <summary>The receiver this link sends to.</summary>
    public IFeedObserver Receiver { get; }

    /// <summary>Queues <paramref name="changes"/> for the receiver; never blocks.</summary>
    public void Send(ImmutableArray<SubmissionChange> changes)
    {
        foreach (var change in changes)
            queue.Writer.TryWrite(change);
    }

    /// <summary>Sends what is queued, then ends; gives up on what is left after <paramref name="timeout"/>.</summary>
    public async Task CompleteAsync(TimeSpan timeout)
    {
        queue.Writer.TryComplete();
        try
        {
            await sending.WaitAsync(timeout, time);
        }
        catch (TimeoutException)
        {
            await DisposeAsync();
        }
    }

    /// <summary>Ends the link at once: what is queued or out is not sent again.</summary>
    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        await stopping.CancelAsync();
        await sending;
    }

    private async Task SendAsync(CancellationToken cancellationToken)
    {
        var batch = new List<SubmissionChange>(maxBatch);
        try
        {
            while (await queue.Reader.WaitToReadAsync(cancellationToken))
            {
                while (batch.Count < maxBatch && queue.Reader.TryRead(out var change))
                    batch.Add(change);
                await DeliverAsync([.. batch], cancellationToken);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // disposed: the receiver left the directory, or the silo stops
        }
    }

    /// <summary>Sends <paramref name="changes"/> until the receiver has answered for them.</summary>
    private async Task DeliverAsync(ImmutableArray<SubmissionChange> changes, CancellationToken cancellationToken)
    {
        for (var failures = 0; ; failures++)
        {
            try
            {
                await Receiver.Receive(changes).WaitAsync(sendTimeout, time, cancellationToken);
                if (failures > 0)
                    LogRecovered(logger, address, failures);
                return;
            }
            catch (Exception e)
            {
                if (cancellationToken.IsCancellationRequested)
                    return; // ended while the batch was out (it may have failed because of that): nothing goes again
                if (failures == 0)
                    LogSendFailed(logger, e, address, changes.Length);
            }
            var delay = retryDelay * Math.Pow(2, Math.Min(failures, 16));
            await Task.Delay(delay < MaxRetryDelay ? delay : MaxRetryDelay, time, cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sending {Count} live feed changes to {Silo} failed; sending them again until it answers or leaves the feed")]
    private static partial void LogSendFailed(ILogger logger, Exception exception, string silo, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Silo} took the live feed's changes again after {Failures} failed tries")]
    private static partial void LogRecovered(ILogger logger, string silo, int failures);
}
