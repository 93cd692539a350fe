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
}
