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

    /// <summary>Time factors this problem gives languages instead of their own (problem.yaml <c>judge.time_factors</c>), by language id.</summary>
    public IReadOnlyDictionary<string, double> TimeFactors { get; init; } = new Dictionary<string, double>();

    /// <summary>How many times the time limit a run in <paramref name="language"/> gets: the problem's factor for it, else the language's.</summary>
    public double TimeFactorFor(Languages.Language language) => TimeFactors.GetValueOrDefault(language.Id, language.TimeFactor);

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

    /// <summary>The multiplier as the package wrote it (<c>limits.time_multiplier</c>, legacy, or
    /// <c>limits.time_multipliers.ac_to_time_limit</c>), else <c>null</c>; <see cref="Multipliers"/> holds it with the defaults applied.</summary>
    public double? TimeMultiplier { get; init; }

    /// <summary>The format's time multipliers and time resolution, defaults applied (legacy 5 and 2, 2023-07 2 and 1.5, 1 s).</summary>
    public TimeMultipliers Multipliers { get; init; } = TimeMultipliers.Modern;

    /// <summary>Where <see cref="TimeLimit"/> came from: <c>problem.yaml limits.time_limit</c>, <c>.timelimit</c>,
    /// <c>domjudge-problem.ini timelimit</c>, or the derivation (<see cref="DerivedTimeLimit.Description"/>).</summary>
    public string TimeLimitSource { get; init; } = "default";

    /// <summary>Whether the package states no time limit, so that it is derived from its accepted submissions
    /// (<see cref="Judging.TimeLimitDeriver"/>); until <see cref="Derived"/> is set the problem cannot be judged.</summary>
    public bool DerivesTimeLimit { get; init; }

    /// <summary>The derivation that set <see cref="TimeLimit"/>, when <see cref="DerivesTimeLimit"/>.</summary>
    public DerivedTimeLimit? Derived { get; init; }

    /// <summary>Whether the time limit still has to be derived: the problem cannot be judged yet.</summary>
    public bool TimeLimitPending => DerivesTimeLimit && Derived is null;
}

/// <summary>The Kattis time multipliers: the slowest accepted run times <see cref="AcToTimeLimit"/>, rounded up to
/// <see cref="Resolution"/>, is the time limit; time-limit-exceeded submissions should be slower than the limit times
/// <see cref="TimeLimitToTle"/> (recorded, used by problem-setter tooling, not by judging).</summary>
/// <param name="Key">The problem.yaml key that set the multiplier, or the format's default, for messages.</param>
public sealed record TimeMultipliers(double AcToTimeLimit, double TimeLimitToTle, TimeSpan Resolution, string Key)
{
    /// <summary>Legacy format defaults: <c>time_multiplier</c> 5, <c>time_safety_margin</c> 2, whole seconds.</summary>
    public static TimeMultipliers Legacy { get; } = new(5, 2, TimeSpan.FromSeconds(1), "legacy default time_multiplier");

    /// <summary>2023-07 defaults: <c>ac_to_time_limit</c> 2, <c>time_limit_to_tle</c> 1.5, <c>time_resolution</c> 1 s.</summary>
    public static TimeMultipliers Modern { get; } = new(2, 1.5, TimeSpan.FromSeconds(1), "2023-07 default time_multipliers.ac_to_time_limit");

    /// <summary>The time limit for a slowest accepted run of <paramref name="slowest"/>: times <see cref="AcToTimeLimit"/>,
    /// rounded up to a whole number (at least one) of <see cref="Resolution"/>, as problemtools computes it.</summary>
    public TimeSpan LimitFor(TimeSpan slowest)
    {
        var exact = slowest.TotalSeconds * AcToTimeLimit;
        var resolution = Resolution.TotalSeconds;
        // A hair of tolerance, so that 0.3 x 2 = 0.6000000000000001 does not round up to the next step.
        var steps = Math.Max(1, Math.Ceiling(Math.Round(exact / resolution, 9)));
        return TimeSpan.FromSeconds(steps * resolution);
    }
}

/// <summary>A time limit derived from a package's accepted submissions, and how.</summary>
/// <param name="TimeLimit">The derived limit.</param>
/// <param name="Slowest">The slowest test CPU time of the slowest accepted submission.</param>
/// <param name="Submission">That submission, as a path in the package (<c>submissions/accepted/a.cpp</c>).</param>
/// <param name="Multiplier">The multiplier applied (<see cref="TimeMultipliers.AcToTimeLimit"/>).</param>
/// <param name="Resolution">The step the product was rounded up to.</param>
/// <param name="Skipped">Accepted submissions not run, each with why (a language this judge does not offer).</param>
public sealed record DerivedTimeLimit(TimeSpan TimeLimit, TimeSpan Slowest, string Submission, double Multiplier, TimeSpan Resolution,
    IReadOnlyList<string> Skipped)
{
    /// <summary>How the limit came about: <c>derived: slowest accepted 0.31 s (submissions/accepted/a.cpp) x 2 = 0.62 s,
    /// rounded up to 1 s</c>.</summary>
    public string Description
    {
        get
        {
            var c = System.Globalization.CultureInfo.InvariantCulture;
            return string.Create(c, $"derived: slowest accepted {Slowest.TotalSeconds:0.###} s ({Submission}) x {Multiplier:0.###} = {Slowest.TotalSeconds * Multiplier:0.###} s, rounded up to {TimeLimit.TotalSeconds:0.###} s");
        }
    }
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
