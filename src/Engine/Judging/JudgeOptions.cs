using Judge.Engine.Sandbox;

namespace Judge.Engine.Judging;

/// <summary>How the engine judges: where it works, compile limits, when it stops.</summary>
public sealed record JudgeOptions
{
    /// <summary>Directory for per-submission working directories and the problem cache (<c>Judge:WorkRoot</c>); created
    /// with mode 0700 if missing. Default: <see cref="WorkRootPolicy.Default"/>.</summary>
    public string WorkRoot { get; init; } = WorkRootPolicy.Default;

    /// <summary>Limits of a compilation (Kattis defaults: 60 s, 2 GiB).</summary>
    public SandboxLimits CompileLimits { get; init; } = SandboxLimits.Compile;

    /// <summary>Bytes of compiler output kept for the submitter.</summary>
    public int CompileOutputBytes { get; init; } = 64 * 1024;

    /// <summary>Honour the problem's <c>on_reject</c> (by default: stop at the first failing test, later tests are skipped, SK);
    /// <c>false</c> runs every test of every submission.</summary>
    public bool StopOnFirstFailure { get; init; } = true;

    /// <summary>Compilers and interpreter for problem-setter programs (output validators, checkers).</summary>
    public Checkers.PackageToolchain PackageToolchain { get; init; } = Checkers.PackageToolchain.Default;

    public static JudgeOptions Default { get; } = new();
}
