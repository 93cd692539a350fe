using Judge.Interfaces;

namespace Judge.Lifecycle;

/// <summary>What the lifecycle keeps of one submission between activations: the host stores it (the grain's persistent state).</summary>
public interface ISubmissionRecord
{
    /// <summary>The accepted request; <c>null</c> until the submission is accepted.</summary>
    SubmissionRequest? Request { get; set; }

    /// <summary>The view clients see; <c>null</c> until the submission is accepted.</summary>
    Submission? Submission { get; set; }

    /// <summary>Number of the latest judging attempt; reports of older attempts are ignored.</summary>
    int Attempt { get; set; }

    /// <summary>Counts the writes; orders the copies published to the results and the live feed.</summary>
    long Revision { get; set; }

    /// <summary>The value of <see cref="Attempt"/> when the current judging began: this judging's attempts are the ones above it.</summary>
    int JudgingAttemptBase { get; set; }
}
