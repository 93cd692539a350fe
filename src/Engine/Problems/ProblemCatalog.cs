namespace Judge.Engine.Problems;

/// <summary>The problems found under one root directory, loaded once; malformed packages are listed as errors, not offered.</summary>
public sealed class ProblemCatalog
{
    public ProblemCatalog(string root) => throw new NotImplementedException();

    public string Root { get; } = "";

    /// <summary>Valid problems, by id order.</summary>
    public IReadOnlyList<Problem> Problems { get; } = [];

    /// <summary>Packages that were rejected, each naming the problem and the file.</summary>
    public IReadOnlyList<ProblemFormatException> Errors { get; } = [];

    /// <summary>The problem with this id, or <c>null</c>.</summary>
    public Problem? Find(string id) => throw new NotImplementedException();
}
