namespace Judge.Engine.Problems;

/// <summary>Where a silo finds its problems: <see cref="Store.ProblemCache"/> over a local directory or S3 in a silo,
/// or <see cref="ProblemCatalog"/>, a directory loaded once.</summary>
public interface IProblemSource
{
    /// <summary>Valid problems, by id order.</summary>
    IReadOnlyList<Problem> Problems { get; }

    /// <summary>Packages that were rejected, each naming the problem and the file.</summary>
    IReadOnlyList<ProblemFormatException> Errors { get; }

    /// <summary>The problem with this id, or <c>null</c>.</summary>
    Problem? Find(string id);

    /// <summary>The problem with this id, or <c>null</c>; a source that can look an unknown id up in its store does so first.</summary>
    Task<Problem?> FindAsync(string id, CancellationToken cancellationToken = default) => Task.FromResult(Find(id));

    /// <summary>The version of the problem with this id offered now (its package's content hash), or <c>null</c> when the
    /// source does not tell versions apart.</summary>
    string? ContentHash(string id) => null;

    /// <summary>Problems not offered yet because their time limit is being derived from their accepted submissions.</summary>
    IReadOnlyCollection<string> Deriving => [];

    /// <summary>Whether submissions to <paramref name="id"/> are to be accepted and judged once its time limit is derived.</summary>
    bool IsDeriving(string id) => Deriving.Contains(id);

    /// <summary>The problem, waiting while its time limit is being derived (bounded by the derivation's timeout and the
    /// token); <c>null</c> when it is unknown or was refused.</summary>
    Task<Problem?> WhenReadyAsync(string id, CancellationToken cancellationToken = default) => FindAsync(id, cancellationToken);
}
