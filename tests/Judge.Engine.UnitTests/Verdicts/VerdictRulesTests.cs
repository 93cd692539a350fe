using Judge.Engine.Checkers;
using Judge.Engine.Sandbox;
using Judge.Engine.Verdicts;

namespace Judge.Engine.UnitTests.Verdicts;

public class VerdictRulesTests
{
    private static SandboxResult Run(SandboxStatus status, int? exit = null, int? signal = null) =>
        new() { Status = status, ExitCode = exit, Signal = signal, Message = status.ToString() };

    [Theory]
    [InlineData(SandboxStatus.InternalError, Verdict.IE)]
    [InlineData(SandboxStatus.CpuTimeLimitExceeded, Verdict.TLE)]
    [InlineData(SandboxStatus.WallTimeLimitExceeded, Verdict.TLE)]
    [InlineData(SandboxStatus.MemoryLimitExceeded, Verdict.MLE)]
    [InlineData(SandboxStatus.OutputLimitExceeded, Verdict.OLE)]
    public void Limit_statuses_decide_without_a_check(SandboxStatus status, Verdict expected)
    {
        Assert.False(VerdictRules.NeedsCheck(Run(status)));
        Assert.Equal(expected, VerdictRules.ForRun(Run(status), check: null).Verdict);
    }

    [Fact]
    public void Sandbox_failure_beats_everything_even_an_out_of_memory_runtime()
    {
        Assert.Equal(Verdict.IE, VerdictRules.ForRun(Run(SandboxStatus.InternalError), null, outOfMemory: true).Verdict);
    }

    [Fact]
    public void Time_limit_beats_out_of_memory()
    {
        Assert.Equal(Verdict.TLE, VerdictRules.ForRun(Run(SandboxStatus.CpuTimeLimitExceeded), null, outOfMemory: true).Verdict);
    }

    [Fact]
    public void Crash_after_correct_output_is_run_time_error_with_the_signal()
    {
        var (verdict, message) = VerdictRules.ForRun(Run(SandboxStatus.Signaled, signal: 11), CheckOutcome.Accepted);
        Assert.Equal(Verdict.RE, verdict);
        Assert.Equal("killed by SIGSEGV", message);
    }

    [Fact]
    public void Non_zero_exit_is_run_time_error_with_the_code()
    {
        var (verdict, message) = VerdictRules.ForRun(Run(SandboxStatus.NonZeroExit, exit: 3), null);
        Assert.Equal(Verdict.RE, verdict);
        Assert.Equal("exit code 3", message);
    }

    [Fact]
    public void Runtime_out_of_memory_is_memory_limit_exceeded()
    {
        Assert.Equal(Verdict.MLE, VerdictRules.ForRun(Run(SandboxStatus.NonZeroExit, exit: 1), null, outOfMemory: true).Verdict);
    }

    [Theory]
    [InlineData(CheckStatus.Accepted, Verdict.AC)]
    [InlineData(CheckStatus.WrongAnswer, Verdict.WA)]
    [InlineData(CheckStatus.PresentationError, Verdict.PE)]
    [InlineData(CheckStatus.JudgeError, Verdict.IE)]
    public void Clean_run_takes_the_checker_outcome(CheckStatus check, Verdict expected)
    {
        Assert.True(VerdictRules.NeedsCheck(Run(SandboxStatus.Ok)));
        Assert.Equal(expected, VerdictRules.ForRun(Run(SandboxStatus.Ok), new CheckOutcome(check, "m")).Verdict);
    }

    [Fact]
    public void Clean_run_without_a_check_is_a_programming_error()
    {
        Assert.Throws<ArgumentNullException>(() => VerdictRules.ForRun(Run(SandboxStatus.Ok), null));
    }

    [Fact]
    public void Submission_verdict_is_the_first_failing_test()
    {
        Assert.Equal(Verdict.TLE, VerdictRules.ForSubmission([Verdict.AC, Verdict.TLE, Verdict.WA, Verdict.SK]));
        Assert.Equal(Verdict.AC, VerdictRules.ForSubmission([Verdict.AC, Verdict.AC]));
        Assert.Equal(Verdict.WA, VerdictRules.ForSubmission([Verdict.WA, Verdict.SK]));
    }
}
