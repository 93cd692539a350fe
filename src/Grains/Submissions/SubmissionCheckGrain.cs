using Judge.Interfaces;
using Orleans.Concurrency;

namespace Judge.Grains.Submissions;

/// <summary>Lets entry points that are not silos (the SQS ingress) ask <see cref="SubmissionIntake"/> whether the cluster takes a submission.</summary>
[StatelessWorker, GrainType("submission-check")]
public sealed class SubmissionCheckGrain(SubmissionIntake intake) : Grain, ISubmissionCheckGrain
{
    public Task<string?> Check(SubmissionRequest request) => intake.CheckAsync(request);
}
