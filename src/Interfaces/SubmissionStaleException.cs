namespace Judge.Interfaces;

/// <summary>This copy (activation) of a submission no longer knows what storage holds: another copy wrote its record since
/// this one read it, or one of its own writes failed. It answers nothing more and goes away; the caller calls again and
/// reaches the next copy, which reads storage. It crosses silos (a grain call's answer), so it carries the reason in its
/// message and no inner exception (a database driver's exception has no codec here).</summary>
[GenerateSerializer, Alias("judge.SubmissionStaleException")]
public sealed class SubmissionStaleException : Exception
{
    /// <summary>Creates the exception for submission <paramref name="submissionId"/>, stale because of <paramref name="reason"/>.</summary>
    public SubmissionStaleException(string submissionId, string reason)
        : base($"this activation of submission {submissionId} is stale ({reason}) and goes away; call again")
    {
        SubmissionId = submissionId;
    }

    /// <summary>The submission's id.</summary>
    [Id(0)] public string SubmissionId { get; }
}
