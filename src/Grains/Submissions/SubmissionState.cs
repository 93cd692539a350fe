using Judge.Abstractions;
using Judge.Interfaces;
using Judge.Lifecycle;

namespace Judge.Grains.Submissions;

/// <summary>What a submission grain persists: the request, the view clients see, and the judging attempt.</summary>
[GenerateSerializer, Alias("judge.SubmissionState")]
public sealed class SubmissionState : ISubmissionRecord
{
    [Id(0)] public SubmissionRequest? Request { get; set; }
    [Id(1)] public Submission? Submission { get; set; }

    /// <summary>Number of the current judging attempt; progress of older attempts is ignored.</summary>
    [Id(2)] public int Attempt { get; set; }

    /// <summary>Counts this state's writes; orders the copies published to <see cref="ISubmissionResults"/>.</summary>
    [Id(3)] public long Revision { get; set; }

    /// <summary>The value of <see cref="Attempt"/> when the current judging began: the attempts of this judging are the
    /// ones above it, so a late result of an earlier judging's attempt never finishes this one. 0 for the first judging.</summary>
    [Id(4)] public int JudgingAttemptBase { get; set; }
}
