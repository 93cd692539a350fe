using Judge.Interfaces;

namespace Judge.Abstractions;

/// <summary>Where a submission grain hands its final result for publication to backends (an outbound queue, the
/// submission's webhook). Told when a submission is accepted, so that publication survives a crash before it finishes,
/// and when it finishes; implementations publish each submission's result once and never fail the caller's judging.</summary>
public interface IResultsOut
{
    /// <summary>Why this judge will not call <paramref name="callbackUrl"/> (a submission naming it is refused), or
    /// <c>null</c> when it may (or when there is none).</summary>
    string? CheckCallback(string? callbackUrl);

    /// <summary>Submission <paramref name="id"/> is stored (newly, or again by a duplicate submit): its result is to be
    /// published once it finishes. Idempotent; throws when this could not be recorded durably.</summary>
    Task AcceptedAsync(string id, SubmissionRequest request);

    /// <summary>Submission <paramref name="id"/> is finished and stored as <paramref name="submission"/> (its judging
    /// <see cref="Submission.Judging"/>: each judging's result is published once).</summary>
    Task FinishedAsync(string id, SubmissionRequest request, Submission submission);

    /// <summary>Submission <paramref name="id"/> is judged again as judging <paramref name="judging"/>: its result is owed
    /// too, apart from the earlier judgings' results. Idempotent; throws when this could not be recorded durably.</summary>
    Task RejudgedAsync(string id, SubmissionRequest request, int judging);
}

/// <summary>The default when no results queue or webhook secret is configured: nothing is published, and a callback URL
/// is refused rather than silently never called.</summary>
public sealed class NoResultsOut : IResultsOut
{
    public string? CheckCallback(string? callbackUrl) => callbackUrl is null
        ? null
        : "field 'callbackUrl' is not accepted: this judge sends no webhooks (Judge:Results:Webhook:Secret is not set)";

    public Task AcceptedAsync(string id, SubmissionRequest request) => Task.CompletedTask;

    public Task FinishedAsync(string id, SubmissionRequest request, Submission submission) => Task.CompletedTask;

    public Task RejudgedAsync(string id, SubmissionRequest request, int judging) => Task.CompletedTask;
}
