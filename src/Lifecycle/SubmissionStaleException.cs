namespace Judge.Lifecycle;

/// <summary>Another copy of a submission wrote its record since this copy read it: this copy is stale and goes away.</summary>
public sealed class SubmissionStaleException(string id, Exception inner)
    : InvalidOperationException($"another activation of {id} has written its state; this one is stale", inner);
