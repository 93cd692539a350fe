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

    /// <summary>Flags of the problem's output validator (problem.yaml <c>validator_flags</c>), parsed for the default validator.</summary>
    public ValidatorFlags ValidatorFlags { get; init; } = ValidatorFlags.Default;

    /// <summary>The same flags as written, passed to a custom output validator.</summary>
    public string ValidatorFlagsText { get; init; } = "";

    /// <summary>Whether submissions get a score besides their verdict (<c>type: scoring</c>).</summary>
    public bool Scoring { get; init; }

    /// <summary>How output is judged.</summary>
    public ValidationMode Validation { get; init; } = ValidationMode.Default;

    /// <summary>The custom output validator or checker; set exactly when <see cref="Validation"/> is not default.</summary>
    public OutputValidatorProgram? OutputValidator { get; init; }

    /// <summary>Whether the validator may ask for another run of the submission (<c>nextpass.in</c>).</summary>
    public bool MultiPass { get; init; }

    /// <summary>The most runs of the submission per test of a multi-pass problem (<c>limits.validation_passes</c>).</summary>
    public int ValidationPasses { get; init; } = 2;

    /// <summary>Files copied next to a submission, by include directory name (<c>default</c>, <c>cpp</c>, <c>python3</c>, ...).</summary>
    public IReadOnlyDictionary<string, string> IncludeDirectories { get; init; } = new Dictionary<string, string>();

    /// <summary>The test data tree: <c>data</c> with <c>sample</c> and <c>secret</c> and their nested groups.</summary>
    public TestGroup Data { get; init; } = TestGroup.Empty;

    /// <summary>Samples first, then secret tests, each in name order (the order of <see cref="Data"/>).</summary>
    public required IReadOnlyList<TestCase> Tests { get; init; }
}

/// <summary>How a problem judges output.</summary>
public enum ValidationMode
{
    /// <summary>The built-in default output validator (<see cref="DefaultValidator"/>).</summary>
    Default,

    /// <summary>The package's output validator, speaking the Kattis protocol (exit 42 accepted, 43 rejected).</summary>
    Custom,

    /// <summary>The package's checker, speaking the testlib protocol (exit 0 OK, 1 WA, 2 PE, 3 fail, 7 points).</summary>
    Testlib,

    /// <summary>The package's output validator is an interactor: it runs at the same time as the submission, connected to
    /// it by pipes, and speaks the Kattis protocol (exit 42 accepted, 43 rejected).</summary>
    Interactive,
}

/// <summary>A program of a problem package (an output validator or checker): its directory and how it is built and run.</summary>
/// <param name="Name">Where it lives in the package (<c>output_validators/check</c>), for messages.</param>
/// <param name="Directory">The directory holding its source files, absolute.</param>
/// <param name="Kind">Its language, told by its source files.</param>
/// <param name="Sources">Source file names inside <paramref name="Directory"/> (all compiled together, or the script to run first).</param>
public sealed record OutputValidatorProgram(string Name, string Directory, ProgramKind Kind, IReadOnlyList<string> Sources);

/// <summary>The languages package programs may be written in.</summary>
public enum ProgramKind
{
    Cpp,
    C,
    Python,
}

/// <summary>Per-test limits of a problem.</summary>
public sealed record ProblemLimits(TimeSpan TimeLimit, long MemoryBytes, long OutputBytes)
{
    /// <summary>1 s, 2048 MiB, 8 MiB.</summary>
    /// <remarks>Memory and output are the format's defaults for a package that states none: "limits" in the Kattis problem
    /// package format (legacy: memory 2048 MiB, output 8 MiB; 2023-07 and 2025-09: "typical system default" 2048 and 8).</remarks>
    public static ProblemLimits Default { get; } = new(TimeSpan.FromSeconds(1), 2048L * 1024 * 1024, 8L * 1024 * 1024);

    /// <summary>CPU time of one run of an output validator (<c>limits.validation_time</c>, default 60 s).</summary>
    public TimeSpan ValidationTime { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Memory of an output validator (<c>limits.validation_memory</c>, default 2 GiB).</summary>
    public long ValidationMemoryBytes { get; init; } = 2048L * 1024 * 1024;

    /// <summary>Largest feedback file read back from an output validator (<c>limits.validation_output</c>, default 8 MiB).</summary>
    public long ValidationOutputBytes { get; init; } = 8L * 1024 * 1024;

    /// <summary>Recorded from <c>limits.time_multiplier</c> (legacy) or <c>limits.time_multipliers.ac_to_time_limit</c>; the judge
    /// uses the explicit time limit and does not derive one from reference solutions.</summary>
    public double? TimeMultiplier { get; init; }
}

/// <summary>One test: its name (path under <c>data/</c> without extension, like <c>secret/group1/03</c>), group and files.</summary>
public sealed record TestCase(string Name, string Group, string InputPath, string AnswerPath)
{
    /// <summary>Extra arguments for the output validator (<c>output_validator_flags</c> of the test's group and its ancestors).</summary>
    public string ValidatorFlags { get; init; } = "";
}

/// <summary>A problem package that cannot be used, with the problem and the file at fault.</summary>
public sealed class ProblemFormatException(string problem, string file, string message)
    : Exception($"problem '{problem}': {file}: {message}")
{
    public string Problem { get; } = problem;
    public string File { get; } = file;
    public string Reason { get; } = message;
}
