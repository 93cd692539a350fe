namespace Judge.Engine.Problems;

/// <summary>Where a silo finds its problems: the local directory (<see cref="ProblemCatalog"/>) today; a remote store
/// (S3, cached by content hash) can stand behind the same interface.</summary>
public interface IProblemSource
{
    /// <summary>Valid problems, by id order.</summary>
    IReadOnlyList<Problem> Problems { get; }

    /// <summary>Packages that were rejected, each naming the problem and the file.</summary>
    IReadOnlyList<ProblemFormatException> Errors { get; }

    /// <summary>The problem with this id, or <c>null</c>.</summary>
    Problem? Find(string id);
}
