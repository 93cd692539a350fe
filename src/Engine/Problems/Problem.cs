using Judge.Engine.Checkers;

namespace Judge.Engine.Problems;

/// <summary>A loaded, validated problem package.</summary>
public sealed record Problem
{
    /// <summary>The problem's short name: its directory name (lower-case letters, digits, '-' and '_').</summary>
    public required string Id { get; init; }

    /// <summary>The human-readable name (problem.yaml <c>name</c>), or the id.</summary>
    public required string Name { get; init; }

    /// <summary>The package directory, absolute.</summary>
    public required string Directory { get; init; }

    public required ProblemLimits Limits { get; init; }

    public ValidatorFlags ValidatorFlags { get; init; } = ValidatorFlags.Default;

    /// <summary>Samples first, then secret tests, each in name order.</summary>
    public required IReadOnlyList<TestCase> Tests { get; init; }
}

/// <summary>Per-test limits of a problem.</summary>
public sealed record ProblemLimits(TimeSpan TimeLimit, long MemoryBytes, long OutputBytes)
{
    /// <summary>1 s, 256 MiB, 8 MiB.</summary>
    public static ProblemLimits Default { get; } = new(TimeSpan.FromSeconds(1), 256L * 1024 * 1024, 8L * 1024 * 1024);
}

/// <summary>One test: its name (path under <c>data/</c> without extension, like <c>secret/group1/03</c>), group and files.</summary>
public sealed record TestCase(string Name, string Group, string InputPath, string AnswerPath);

/// <summary>A problem package that cannot be used, with the problem and the file at fault.</summary>
public sealed class ProblemFormatException(string problem, string file, string message)
    : Exception($"problem '{problem}': {file}: {message}")
{
    public string Problem { get; } = problem;
    public string File { get; } = file;
    public string Reason { get; } = message;
}
