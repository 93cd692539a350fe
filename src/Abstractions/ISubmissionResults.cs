using Judge.Interfaces;

namespace Judge.Abstractions;

/// <summary>Where a submission grain publishes its submission for backends (the results tables in production).
/// Called after every state write with the submission and its revision; implementations are idempotent upserts that
/// keep the highest revision, so repeated and out-of-order calls leave exactly one current row per submission.</summary>
public interface ISubmissionResults
{
    /// <summary>Records <paramref name="submission"/> as of <paramref name="revision"/> (increasing with every write).</summary>
    Task RecordAsync(Submission submission, long revision, CancellationToken cancellationToken = default);

    /// <summary>The ids of recorded submissions that are not finished, oldest first, at most <paramref name="limit"/>:
    /// what a silo wakes after another silo died (the submission recovery of Judge.Grains).</summary>
    Task<IReadOnlyList<string>> ListUnfinishedAsync(int limit, CancellationToken cancellationToken = default);
}

/// <summary>The embedded default: nothing outside the grain keeps results.</summary>
public sealed class NoSubmissionResults : ISubmissionResults
{
    public Task RecordAsync(Submission submission, long revision, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task<IReadOnlyList<string>> ListUnfinishedAsync(int limit, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<string>>([]);
}
