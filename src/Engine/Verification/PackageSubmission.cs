namespace Judge.Engine.Verification;

/// <summary>One submission of a package's <c>submissions/</c> folder: its path there, its language and source, and what it
/// must get; or why it cannot be judged here (<see cref="SkipReason"/>).</summary>
public sealed record PackageSubmission
{
    /// <summary>The path under <c>submissions/</c> (<c>accepted/sol.cpp</c>, <c>wa-rounded</c>).</summary>
    public required string Path { get; init; }

    /// <summary>The language id (<c>cpp17</c>, <c>python3</c>, ...), or <c>null</c> when it is not known.</summary>
    public string? Language { get; init; }

    /// <summary>The source file judged.</summary>
    public string? SourcePath { get; init; }

    /// <summary>What the submission must get, or <c>null</c> when the package says nothing about it.</summary>
    public SubmissionExpectation? Expectation { get; init; }

    /// <summary>Why this submission is not judged (no expectation, an unknown language, several source files), or <c>null</c>.</summary>
    public string? SkipReason { get; init; }
}
