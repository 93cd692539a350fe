using Judge.Abstractions;
using Judge.Interfaces;
using Judge.Results.Messages;
using Judge.Results.Options;
using Judge.Results.Queue;
using Judge.Results.Webhooks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace Judge.Results.Publishing;

/// <summary>The outbox of one judging's result (keyed by the submission id for the first judging and by
/// <c>id#n</c> for judging n after rejudges, see <see cref="KeyOf"/>; persistent). Tracked from acceptance with a
/// reminder, so a result owed survives a crash anywhere between acceptance and delivery; builds the result once, stores it,
/// then sends it to the results queue and POSTs it to the callback URL, each retried with exponential backoff until
/// delivered (the webhook up to <see cref="WebhookOptions.MaxAttempts"/>). A delivered result is never sent again.</summary>
[GrainType("result-publisher")]
public sealed partial class ResultPublisherGrain(
    [PersistentState("publication", StorageNames.Submissions)] IPersistentState<PublicationState> state,
    ResultQueue queue,
    WebhookSender webhooks,
    IOptions<ResultsOutOptions> options,
    TimeProvider time,
    ResultsMetrics metrics,
    ILogger<ResultPublisherGrain> logger) : Grain, IResultPublisherGrain, IRemindable
{
    /// <summary>The reminder that watches an owed result, every <see cref="ResultsOutOptions.ReminderPeriod"/>: polls the
    /// submission until it is finished, and resumes delivery after a deactivation or a crash.</summary>
    public const string ReminderName = "publish";

    private static readonly TimeSpan MaxQueueRetryDelay = TimeSpan.FromMinutes(1);

    private readonly ResultsOutOptions settings = options.Value;
    private IGrainTimer? delivery;

    private string Key => this.GetPrimaryKeyString();

    /// <summary>The submission whose result this is.</summary>
    private string Id => Parse(Key).SubmissionId;

    /// <summary>Which judging of the submission this result is.</summary>
    private int Judging => Parse(Key).Judging;

    /// <summary>The key of the publisher of judging <paramref name="judging"/> of submission <paramref name="submissionId"/>:
    /// the bare id for the first judging (as before rejudging existed), <c>id#n</c> for judging n ≥ 2. Submission ids have
    /// no '#'.</summary>
    public static string KeyOf(string submissionId, int judging) => judging <= 1 ? submissionId : $"{submissionId}#{judging}";

    private static (string SubmissionId, int Judging) Parse(string key)
    {
        var hash = key.LastIndexOf('#');
        return hash > 0 && int.TryParse(key.AsSpan(hash + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var judging) && judging >= 2
            ? (key[..hash], judging)
            : (key, 1);
    }

    private PublicationState S => state.State;

    public async Task Track(string? callbackUrl)
    {
        if (S.Tracked || S.Body is not null)
            return;
        S.Tracked = true;
        S.CallbackUrl = callbackUrl;
        await this.RegisterOrUpdateReminder(ReminderName, settings.ReminderPeriod, settings.ReminderPeriod);
        await state.WriteStateAsync();
    }

    public async Task Publish(Submission submission, string? callbackUrl)
    {
        if (S.Body is not null || submission.Status != SubmissionStatus.Finished)
            return; // built before: the stored result stands, byte for byte
        if (Math.Max(submission.Judging, 1) != Judging)
            return; // another judging's result: its own publisher sends it
        S.CallbackUrl ??= callbackUrl;
        S.Body = ResultMessage.Build(submission);
        S.QueuePending = queue.Configured;
        if (S.CallbackUrl is not null && settings.Webhook.Enabled)
            S.WebhookPending = true;
        else if (S.CallbackUrl is not null)
            S.LastError = "webhook not sent: Judge:Results:Webhook:Secret is not set";
        if (!S.Tracked && (S.QueuePending || S.WebhookPending))
        {
            S.Tracked = true;
            await this.RegisterOrUpdateReminder(ReminderName, settings.ReminderPeriod, settings.ReminderPeriod);
        }
        await state.WriteStateAsync();
        LogBuilt(logger, Id, S.QueuePending, S.WebhookPending);
        await DeliverOrScheduleAsync();
    }

    public Task<ResultPublication> GetStatus() => Task.FromResult(new ResultPublication(
        S.Tracked, S.Body, S.QueuePending, S.WebhookPending, S.QueueAttempts, S.WebhookAttempts, S.WebhookGaveUp, S.LastError, S.Done));

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != ReminderName)
            return;
        if (S.Body is null && !S.Done)
        {
            // The finish was not reported (its silo died, or the call failed): look, which also wakes a submission whose
            // silo died mid-judging (its activation resumes judging).
            var submission = await GrainFactory.GetGrain<ISubmissionGrain>(Id).Get();
            if (submission is null)
            {
                LogSubmissionMissing(logger, Id);
                S.LastError = "the submission is not stored; nothing to publish";
                await CompleteAsync();
                return;
            }
            if (Math.Max(submission.Judging, 1) > Judging)
            {
                // Rejudged before this judging's finish reached its publisher: only its summary is left, not the result.
                LogSuperseded(logger, Id, Judging, submission.Judging);
                S.LastError = $"judging {Judging} was replaced by judging {submission.Judging} before its result was built; nothing to publish";
                await CompleteAsync();
                return;
            }
            if (submission.Status == SubmissionStatus.Finished)
                await Publish(submission, S.CallbackUrl);
            return;
        }
        await DeliverOrScheduleAsync();
    }

    /// <summary>Sends what is due now, then arms a timer for what is due later, or completes.</summary>
    private async Task DeliverOrScheduleAsync()
    {
        if (S.Done || S.Body is null)
        {
            if (S.Done)
                await CompleteAsync();
            return;
        }
        var now = time.GetUtcNow();
        var changed = false;
        if (S.QueuePending && (S.NextQueueAttemptAt is not { } queueDue || queueDue <= now))
        {
            changed = true;
            try
            {
                await queue.SendAsync(Id, S.Body, CancellationToken.None, Judging);
                S.QueuePending = false;
                S.NextQueueAttemptAt = null;
                metrics.Published("queue");
                LogQueued(logger, Id);
            }
            catch (Exception e)
            {
                S.QueueAttempts++;
                S.LastError = $"results queue: {e.GetBaseException().Message}";
                S.NextQueueAttemptAt = time.GetUtcNow() + Backoff(settings.RetryDelay, MaxQueueRetryDelay, S.QueueAttempts);
                metrics.Failed("queue");
                LogQueueFailed(logger, e, Id, S.QueueAttempts);
            }
        }
        if (S.WebhookPending && (S.NextWebhookAttemptAt is not { } hookDue || hookDue <= now))
        {
            changed = true;
            var webhook = settings.Webhook;
            S.WebhookAttempts++;
            var error = await webhooks.DeliverAsync(S.CallbackUrl!, Id, S.Body, S.WebhookAttempts, CancellationToken.None);
            if (error is not null)
                metrics.Failed("webhook");
            if (error is null)
            {
                S.WebhookPending = false;
                S.NextWebhookAttemptAt = null;
                metrics.Published("webhook");
                LogDelivered(logger, Id, S.WebhookAttempts);
            }
            else if (S.WebhookAttempts >= webhook.MaxAttempts)
            {
                S.WebhookPending = false;
                S.WebhookGaveUp = true;
                S.LastError = $"webhook: {error}";
                LogWebhookGaveUp(logger, Id, S.WebhookAttempts, error);
            }
            else
            {
                S.LastError = $"webhook: {error}";
                S.NextWebhookAttemptAt = time.GetUtcNow() + Backoff(webhook.RetryDelay, webhook.MaxRetryDelay, S.WebhookAttempts);
                LogWebhookFailed(logger, Id, S.WebhookAttempts, error);
            }
        }

        if (!S.QueuePending && !S.WebhookPending)
        {
            await CompleteAsync();
            return;
        }
        if (changed)
            await state.WriteStateAsync();
        ScheduleAt(new[] { S.QueuePending ? S.NextQueueAttemptAt : null, S.WebhookPending ? S.NextWebhookAttemptAt : null }
            .Where(d => d is not null).Select(d => d!.Value).DefaultIfEmpty(now).Min());
    }

    private async Task CompleteAsync()
    {
        delivery?.Dispose();
        delivery = null;
        if (!S.Done)
        {
            S.Done = true;
            await state.WriteStateAsync();
        }
        if (await this.GetReminder(ReminderName) is { } reminder)
            await this.UnregisterReminder(reminder);
    }

    private void ScheduleAt(DateTimeOffset due)
    {
        delivery?.Dispose();
        var wait = due - time.GetUtcNow();
        delivery = this.RegisterGrainTimer(_ => DeliverOrScheduleAsync(), new GrainTimerCreationOptions
        {
            DueTime = wait < TimeSpan.Zero ? TimeSpan.Zero : wait,
            Period = Timeout.InfiniteTimeSpan,
            KeepAlive = true, // retries are not cut short by idle collection; the reminder covers a silo's death
        });
    }

    /// <summary><paramref name="first"/> × 2^(attempts − 1), at most <paramref name="max"/>.</summary>
    internal static TimeSpan Backoff(TimeSpan first, TimeSpan max, int attempts) =>
        TimeSpan.FromTicks((long)Math.Min(max.Ticks, first.Ticks * Math.Pow(2, Math.Min(attempts - 1, 40))));

    [LoggerMessage(Level = LogLevel.Debug, Message = "Result of {SubmissionId} built (queue: {Queue}, webhook: {Webhook})")]
    private static partial void LogBuilt(ILogger logger, string submissionId, bool queue, bool webhook);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Result of {SubmissionId} sent to the results queue")]
    private static partial void LogQueued(ILogger logger, string submissionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sending the result of {SubmissionId} to the results queue failed (attempt {Attempt}); retrying")]
    private static partial void LogQueueFailed(ILogger logger, Exception exception, string submissionId, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Result of {SubmissionId} delivered to its webhook (attempt {Attempt})")]
    private static partial void LogDelivered(ILogger logger, string submissionId, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook delivery of {SubmissionId} failed (attempt {Attempt}): {Error}; retrying")]
    private static partial void LogWebhookFailed(ILogger logger, string submissionId, int attempt, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Webhook delivery of {SubmissionId} given up after {Attempt} attempts: {Error}")]
    private static partial void LogWebhookGaveUp(ILogger logger, string submissionId, int attempt, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Result of judging {Judging} of {SubmissionId} is owed but judging {Current} replaced it before it was built; nothing to publish")]
    private static partial void LogSuperseded(ILogger logger, string submissionId, int judging, int current);

    [LoggerMessage(Level = LogLevel.Error, Message = "Result of {SubmissionId} is owed but the submission is not stored; nothing to publish")]
    private static partial void LogSubmissionMissing(ILogger logger, string submissionId);
}
