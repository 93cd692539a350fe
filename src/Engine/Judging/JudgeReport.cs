using Judge.Engine.Verdicts;

namespace Judge.Engine.Judging;

/// <summary>The judgement of one test.</summary>
public sealed record TestOutcome(
    string Name,
    Verdict Verdict,
    TimeSpan CpuTime,
    TimeSpan WallTime,
    long PeakMemoryBytes,
    int? ExitCode = null,
    string? Signal = null,
    string? Message = null)
{
    /// <summary>The fraction of the test's points it earned (0 to 1) in a scoring problem; <c>null</c> in pass-fail problems.</summary>
    public double? Score { get; init; }

    /// <summary>What the checker told the judges (not for the submitter).</summary>
    public string? JudgeMessage { get; init; }

    /// <summary>A test not run because an earlier one failed.</summary>
    public static TestOutcome Skipped(string name) => new(name, Verdict.SK, TimeSpan.Zero, TimeSpan.Zero, 0);
}

/// <summary>The judgement of a whole submission.</summary>
public sealed record JudgeReport(Verdict Verdict, string? CompileOutput, IReadOnlyList<TestOutcome> Tests, string? Message = null)
{
    /// <summary>Points earned, in a scoring problem (<c>null</c> in pass-fail problems).</summary>
    public double? Score { get; init; }

    /// <summary>The most points the problem gives, in a scoring problem.</summary>
    public double? MaxScore { get; init; }

    /// <summary>The largest CPU time over the tests that ran.</summary>
    public TimeSpan MaxCpuTime => Tests.Count == 0 ? TimeSpan.Zero : Tests.Max(t => t.CpuTime);

    /// <summary>The largest peak memory over the tests that ran.</summary>
    public long MaxPeakMemoryBytes => Tests.Count == 0 ? 0 : Tests.Max(t => t.PeakMemoryBytes);
}

/// <summary>Receives progress while a submission is judged.</summary>
public interface IJudgeProgress
{
    /// <summary>The source compiled (or needed no compiling); <paramref name="testCount"/> tests follow.</summary>
    Task CompiledAsync(string? compileOutput, int testCount);

    /// <summary>Test <paramref name="index"/> (0-based) starts.</summary>
    Task TestStartedAsync(int index, string name);

    /// <summary>Test <paramref name="index"/> has its verdict.</summary>
    Task TestJudgedAsync(int index, TestOutcome outcome);

    /// <summary>Progress that goes nowhere.</summary>
    public static IJudgeProgress None { get; } = new NoProgress();

    private sealed class NoProgress : IJudgeProgress
    {
        public Task CompiledAsync(string? compileOutput, int testCount) => Task.CompletedTask;
        public Task TestStartedAsync(int index, string name) => Task.CompletedTask;
        public Task TestJudgedAsync(int index, TestOutcome outcome) => Task.CompletedTask;
    }
}
