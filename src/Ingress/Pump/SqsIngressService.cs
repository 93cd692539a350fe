using System.Collections.Concurrent;
using System.Text.Json;
using Amazon.SQS;
using Amazon.SQS.Model;
using Judge.Ingress.Messages;
using Judge.Ingress.Options;
using Judge.Interfaces;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Judge.Ingress.Pump;

/// <summary>Pumps submission messages from SQS into the cluster: at least once, deleting a message only after its
/// submission grain has durably accepted it, moving malformed and unjudgeable ones to the dead-letter queue with the
/// reason attached, and receiving only while fewer than <see cref="SqsIngressOptions.MaxInFlight"/> submissions it
/// handed over are still being judged.</summary>
public sealed partial class SqsIngressService(
    IAmazonSQS sqs,
    IGrainFactory grains,
    IOptions<SqsIngressOptions> options,
    SqsIngressMetrics metrics,
    ILogger<SqsIngressService> logger) : BackgroundService
{
    /// <summary>The message attribute that carries why a message was dead-lettered.</summary>
    public const string ErrorAttribute = "judge-error";

    private readonly SqsIngressOptions settings = options.Value;
    private readonly SemaphoreSlim inFlight = new(options.Value.MaxInFlight, options.Value.MaxInFlight);
    private readonly ConcurrentDictionary<Task, bool> handOffs = new();
    private readonly CancellationTokenSource watching = new();
    private IReadOnlyList<SourceQueue> queues = [];

    /// <summary>A queue read by the ingress, with what it needs to know of it.</summary>
    private sealed record SourceQueue(string Url, string DeadLetterUrl, int VisibilitySeconds);

    /// <summary>Submissions handed over and not yet judged (for tests and metrics).</summary>
    public int InFlight => settings.MaxInFlight - inFlight.CurrentCount;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // Fail at start, naming the queue, rather than receive messages that would have nowhere to go.
        queues = await Task.WhenAll(settings.QueueUrls.Select(url => DescribeAsync(url, cancellationToken)));
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var receivers = queues.SelectMany(q => Enumerable.Range(0, settings.Receivers).Select(_ => ReceiveAsync(q, stoppingToken)));
        await Task.WhenAll(receivers);

        // Stopping: no new receives; hand-offs in flight finish (their messages are deleted only if they complete).
        var pending = handOffs.Keys.ToArray();
        LogStopping(logger, pending.Length);
        await Task.WhenAll(pending).WaitAsync(settings.ShutdownTimeout).ContinueWith(_ => { }, TaskScheduler.Default);
        await watching.CancelAsync();
    }

    private async Task<SourceQueue> DescribeAsync(string url, CancellationToken cancellationToken)
    {
        GetQueueAttributesResponse attributes;
        try
        {
            attributes = await sqs.GetQueueAttributesAsync(new GetQueueAttributesRequest
            {
                QueueUrl = url,
                AttributeNames = ["VisibilityTimeout", "RedrivePolicy"],
            }, cancellationToken);
        }
        catch (AmazonSQSException e)
        {
            throw new InvalidOperationException($"Judge:Sqs:QueueUrl: cannot read the queue '{url}': {e.Message}", e);
        }

        var visibility = attributes.Attributes?.TryGetValue("VisibilityTimeout", out var v) == true && int.TryParse(v, out var seconds) ? seconds : 30;
        var deadLetter = settings.DeadLetterQueueUrl;
        if (deadLetter is null && attributes.Attributes?.TryGetValue("RedrivePolicy", out var policy) == true)
            deadLetter = await DeadLetterUrlAsync(sqs, policy, cancellationToken);
        if (deadLetter is null)
            throw new InvalidOperationException(
                $"the queue '{url}' has no redrive policy and Judge:Sqs:DeadLetterQueueUrl is not set: malformed messages would have nowhere to go");
        return new SourceQueue(url, deadLetter, Math.Max(visibility, 5));
    }

    /// <summary>The URL of the dead-letter queue a queue's redrive policy names, or <c>null</c> when it names none.</summary>
    internal static async Task<string?> DeadLetterUrlAsync(IAmazonSQS sqs, string redrivePolicy, CancellationToken cancellationToken)
    {
        using var json = JsonDocument.Parse(redrivePolicy);
        if (!json.RootElement.TryGetProperty("deadLetterTargetArn", out var arnElement) || arnElement.GetString() is not { } arn)
            return null;
        var parts = arn.Split(':'); // arn:aws:sqs:<region>:<account>:<name>
        if (parts.Length < 6)
            return null;
        var response = await sqs.GetQueueUrlAsync(new GetQueueUrlRequest { QueueName = parts[5], QueueOwnerAWSAccountId = parts[4] }, cancellationToken);
        return response.QueueUrl;
    }

    private async Task ReceiveAsync(SourceQueue queue, CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            // Back-pressure: one permit per message, returned when its submission is judged (or it is rejected).
            try
            {
                await inFlight.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            var permits = 1;
            while (permits < 10 && inFlight.Wait(0))
                permits++;

            List<Message> messages;
            try
            {
                var response = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest
                {
                    QueueUrl = queue.Url,
                    MaxNumberOfMessages = permits,
                    WaitTimeSeconds = settings.WaitTimeSeconds,
                    MessageSystemAttributeNames = ["ApproximateReceiveCount"],
                    MessageAttributeNames = ["All"],
                }, stoppingToken);
                messages = response.Messages ?? [];
                failures = 0;
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                inFlight.Release(permits);
                failures++;
                LogReceiveFailed(logger, e, queue.Url, failures);
                await DelayAsync(TimeSpan.FromSeconds(Math.Min(30, 1 << Math.Min(failures, 5))), stoppingToken);
                continue;
            }
            catch (OperationCanceledException)
            {
                // Messages a cancelled receive may have taken become visible again after their visibility timeout.
                inFlight.Release(permits);
                return;
            }

            metrics.Received(queue.Url, messages.Count);
            if (messages.Count < permits)
                inFlight.Release(permits - messages.Count);
            foreach (var message in messages)
                Track(HandOffAsync(queue, message));
        }
    }

    private void Track(Task handOff)
    {
        handOffs[handOff] = true;
        handOff.ContinueWith(t => handOffs.TryRemove(t, out _), TaskScheduler.Default);
    }

    /// <summary>Hands one message to its submission grain; holds one in-flight permit until the submission is judged.</summary>
    private async Task HandOffAsync(SourceQueue queue, Message message)
    {
        using var visible = new CancellationTokenSource();
        var keeping = KeepInvisibleAsync(queue, message, visible.Token);
        var holdsPermit = true;
        try
        {
            var parsed = SubmissionMessage.Parse(message.Body ?? "", message.MessageId);
            if (parsed.Error is { } malformed)
            {
                await DeadLetterAsync(queue, message, malformed);
                return;
            }

            var (id, request) = (parsed.Id!, parsed.Request!);
            if (await grains.GetGrain<ISubmissionCheckGrain>(0).Check(request) is { } unjudgeable)
            {
                await DeadLetterAsync(queue, message, unjudgeable);
                return;
            }

            var outcome = await grains.GetGrain<ISubmissionGrain>(id).Submit(request);
            if (outcome == SubmitOutcome.Conflict)
            {
                await DeadLetterAsync(queue, message, $"submission id '{id}' is already taken by a different submission");
                return;
            }

            // The grain has stored it: only now may the message go.
            await visible.CancelAsync();
            await keeping;
            await sqs.DeleteMessageAsync(queue.Url, message.ReceiptHandle);
            LogHandedOff(logger, message.MessageId, id, outcome);
            holdsPermit = false;
            _ = WatchAsync(queue, id);
        }
        catch (Exception e)
        {
            // Transient (cluster or SQS unreachable): the message stays and comes back; after the queue's
            // maxReceiveCount, SQS moves it to the dead-letter queue.
            LogHandOffFailed(logger, e, message.MessageId);
            await RetryLaterAsync(queue, message);
        }
        finally
        {
            await visible.CancelAsync();
            await keeping;
            if (holdsPermit)
            {
                inFlight.Release();
                metrics.Done(queue.Url);
            }
        }
    }

    /// <summary>Extends the message's visibility while its hand-off is slow, so that no other receiver takes it meanwhile.</summary>
    private async Task KeepInvisibleAsync(SourceQueue queue, Message message, CancellationToken done)
    {
        var period = TimeSpan.FromSeconds(Math.Max(1, queue.VisibilitySeconds / 2));
        while (await DelayAsync(period, done))
        {
            try
            {
                await sqs.ChangeMessageVisibilityAsync(queue.Url, message.ReceiptHandle, queue.VisibilitySeconds, done);
                LogVisibilityExtended(logger, message.MessageId, queue.VisibilitySeconds);
            }
            catch (Exception e) when (!done.IsCancellationRequested)
            {
                LogVisibilityFailed(logger, e, message.MessageId);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task DeadLetterAsync(SourceQueue queue, Message message, string reason)
    {
        // Cut without splitting a surrogate pair: SQS refuses an attribute that is not valid Unicode.
        var attribute = reason.Length <= 2048 ? reason : reason[..(char.IsHighSurrogate(reason[2047]) ? 2047 : 2048)];
        await sqs.SendMessageAsync(new SendMessageRequest
        {
            QueueUrl = queue.DeadLetterUrl,
            MessageBody = string.IsNullOrEmpty(message.Body) ? "(empty)" : message.Body,
            MessageAttributes = new Dictionary<string, MessageAttributeValue>
            {
                [ErrorAttribute] = new() { DataType = "String", StringValue = attribute },
                ["judge-source-queue"] = new() { DataType = "String", StringValue = queue.Url },
                ["judge-source-message-id"] = new() { DataType = "String", StringValue = message.MessageId },
            },
        });
        // Deleted only once its copy is in the dead-letter queue: a failure above leaves it for a retry.
        await sqs.DeleteMessageAsync(queue.Url, message.ReceiptHandle);
        metrics.DeadLettered(queue.Url);
        LogDeadLettered(logger, message.MessageId, reason);
    }

    private async Task RetryLaterAsync(SourceQueue queue, Message message)
    {
        var receives = message.Attributes?.TryGetValue("ApproximateReceiveCount", out var count) == true && int.TryParse(count, out var n) ? n : 1;
        try
        {
            await sqs.ChangeMessageVisibilityAsync(queue.Url, message.ReceiptHandle, Math.Min(300, 5 * receives));
        }
        catch (Exception e)
        {
            LogVisibilityFailed(logger, e, message.MessageId);
        }
    }

    /// <summary>Returns the submission's permit once it is judged: the ingress reads only as fast as the cluster judges.</summary>
    private async Task WatchAsync(SourceQueue queue, string id)
    {
        var grain = grains.GetGrain<ISubmissionGrain>(id);
        try
        {
            while (!watching.IsCancellationRequested)
            {
                try
                {
                    // Short waits, abandoned after a bound: a call to a grain on a silo that just died would otherwise
                    // hold this permit for the call's whole response timeout (10 minutes). A copy of the submission that
                    // goes stale meanwhile (a write failed) is waited out at the next copy, as HTTP's ?wait=true does.
                    if (await SubmissionWaits.WaitForResultAsync(grain.WaitForResult, TimeSpan.FromSeconds(20), TimeProvider.System, watching.Token)
                        .WaitAsync(TimeSpan.FromSeconds(45), watching.Token) is { Status: SubmissionStatus.Finished })
                        return;
                }
                catch (Exception e) when (e is not OperationCanceledException || !watching.IsCancellationRequested)
                {
                    LogWatchFailed(logger, e, id);
                    if (!await DelayAsync(TimeSpan.FromSeconds(5), watching.Token))
                        return;
                }
            }
        }
        finally
        {
            inFlight.Release();
            metrics.Done(queue.Url);
        }
    }

    private static async Task<bool> DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, cancellationToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public override void Dispose()
    {
        watching.Dispose();
        inFlight.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "SQS message {MessageId} handed over as submission {SubmissionId} ({Outcome})")]
    private static partial void LogHandedOff(ILogger logger, string messageId, string submissionId, SubmitOutcome outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SQS message {MessageId} moved to the dead-letter queue: {Reason}")]
    private static partial void LogDeadLettered(ILogger logger, string messageId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SQS message {MessageId} could not be handed over; it will be received again")]
    private static partial void LogHandOffFailed(ILogger logger, Exception exception, string messageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Receiving from {QueueUrl} failed ({Failures} in a row)")]
    private static partial void LogReceiveFailed(ILogger logger, Exception exception, string queueUrl, int failures);

    [LoggerMessage(Level = LogLevel.Debug, Message = "SQS message {MessageId} kept invisible for {Seconds} s more")]
    private static partial void LogVisibilityExtended(ILogger logger, string messageId, int seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Changing the visibility of SQS message {MessageId} failed")]
    private static partial void LogVisibilityFailed(ILogger logger, Exception exception, string messageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Watching submission {SubmissionId} failed; retrying")]
    private static partial void LogWatchFailed(ILogger logger, Exception exception, string submissionId);

    [LoggerMessage(Level = LogLevel.Information, Message = "SQS ingress stopping; {Count} hand-offs in flight finish first")]
    private static partial void LogStopping(ILogger logger, int count);
}
