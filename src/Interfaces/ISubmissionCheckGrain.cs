namespace Judge.Interfaces;

/// <summary>Tells whether this cluster can judge a submission: a known problem and a language some silo offers.
/// Entry points that are not silos (the SQS ingress) ask it before they hand a submission over.</summary>
public interface ISubmissionCheckGrain : IGrainWithIntegerKey
{
    /// <returns><c>null</c> when the submission can be judged, else why not, in words safe to show its submitter.</returns>
    [Alias("Check")]
    Task<string?> Check(SubmissionRequest request);
}
