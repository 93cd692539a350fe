using Orleans.Concurrency;

namespace Judge.Interfaces;

/// <summary>Publishes one submission's final result (keyed by the submission id) to the results queue and its webhook:
/// built once from the finished submission, stored, then delivered until each target has it.</summary>
[Alias("judge.IResultPublisherGrain")]
public interface IResultPublisherGrain : IGrainWithStringKey
{
    /// <summary>The submission is accepted: its result is owed. Durable (a reminder), so that a crash before the
    /// submission finishes does not lose the publication. Idempotent.</summary>
    [Alias("Track")]
    Task Track(string? callbackUrl);

    /// <summary>The submission is finished: builds the result from <paramref name="submission"/> unless it was built
    /// before (then this changes nothing), stores it, and starts delivering it.</summary>
    [Alias("Publish")]
    Task Publish(Submission submission, string? callbackUrl);

    /// <summary>Where publication stands (for operators and tests).</summary>
    [Alias("GetStatus"), AlwaysInterleave]
    Task<ResultPublication> GetStatus();
}

/// <summary>Where the publication of one result stands.</summary>
[GenerateSerializer, Immutable, Alias("judge.ResultPublication")]
public sealed record ResultPublication(
    [property: Id(0)] bool Tracked,
    [property: Id(1)] string? Body,
    [property: Id(2)] bool QueuePending,
    [property: Id(3)] bool WebhookPending,
    [property: Id(4)] int QueueAttempts,
    [property: Id(5)] int WebhookAttempts,
    [property: Id(6)] bool WebhookGaveUp,
    [property: Id(7)] string? LastError,
    [property: Id(8)] bool Done);
