namespace Judge.Abstractions;

/// <summary>Which problem store the silo uses: the local directory by default (it needs <c>Judge:Problems:Root</c>);
/// a <c>Use…Problems</c> builder method that picks another store replaces this registration.</summary>
/// <param name="Name">The store's name for messages (<c>directory</c>, <c>s3</c>).</param>
/// <param name="ReadsProblemsRoot">Whether <c>Judge:Problems:Root</c> must name an existing directory.</param>
public sealed record ProblemStoreSelection(string Name, bool ReadsProblemsRoot)
{
    /// <summary>The local directory store.</summary>
    public static ProblemStoreSelection Directory { get; } = new("directory", true);
}
