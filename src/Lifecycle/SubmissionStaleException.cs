namespace Judge.Lifecycle;

/// <summary>This copy of a submission no longer knows what storage holds: another copy wrote its record since this one read
/// it, or one of its own writes failed. It answers nothing more and goes away; the caller retries and reaches the next copy.</summary>
public sealed class SubmissionStaleException(string id, Exception inner, string? message = null)
    : InvalidOperationException(message ?? $"another activation of {id} has written its state; this one is stale", inner);
