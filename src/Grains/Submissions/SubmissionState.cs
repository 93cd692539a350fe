using Judge.Interfaces;

namespace Judge.Grains.Submissions;

/// <summary>What a submission grain persists: the request, the view clients see, and the judging attempt.</summary>
[GenerateSerializer, Alias("judge.SubmissionState")]
public sealed class SubmissionState
{
    [Id(0)] public SubmissionRequest? Request { get; set; }
    [Id(1)] public Submission? Submission { get; set; }

    /// <summary>Number of the current judging attempt; progress of older attempts is ignored.</summary>
    [Id(2)] public int Attempt { get; set; }

    /// <summary>Counts this state's writes; orders the copies published to <see cref="ISubmissionResults"/>.</summary>
    [Id(3)] public long Revision { get; set; }
}
