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

    [Theory]
    [InlineData(SandboxStatus.MemoryLimitExceeded, true)]
    [InlineData(SandboxStatus.Ok, false)]
    [InlineData(SandboxStatus.CpuTimeLimitExceeded, false)]
    [InlineData(SandboxStatus.Signaled, false)]
    [InlineData(SandboxStatus.InternalError, false)]
    public void Only_a_run_over_its_memory_limit_runs_again_without_huge_pages(SandboxStatus status, bool again)
    {
        Assert.Equal(again, VerdictRules.NeedsRunWithoutHugePages(Run(status)));
    }

    [Theory]
    [InlineData(SandboxStatus.Ok, true)]
    [InlineData(SandboxStatus.NonZeroExit, true)]
    [InlineData(SandboxStatus.Signaled, true)]
    [InlineData(SandboxStatus.OutputLimitExceeded, true)]
    [InlineData(SandboxStatus.MemoryLimitExceeded, true)]
    [InlineData(SandboxStatus.InternalError, true)]
    [InlineData(SandboxStatus.CpuTimeLimitExceeded, false)]
    [InlineData(SandboxStatus.WallTimeLimitExceeded, false)]
    public void The_run_without_huge_pages_counts_unless_it_ran_out_of_time(SandboxStatus without, bool counts)
    {
        Assert.Equal(counts, VerdictRules.CountsOverHugePageRun(Run(without)));
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

    [Fact]
    public void Uncaught_bad_alloc_abort_is_memory_limit_exceeded_not_a_crash()
    {
        var (verdict, message) = VerdictRules.ForRun(Run(SandboxStatus.Signaled, signal: 6), null, outOfMemory: true);
        Assert.Equal(Verdict.MLE, verdict);
        Assert.Contains("ran out of memory", message);
        Assert.Contains("SIGABRT", message);
    }

    [Fact]
    public void Printing_an_out_of_memory_text_cannot_turn_a_clean_run_into_memory_limit_exceeded()
    {
        Assert.Equal(Verdict.AC, VerdictRules.ForRun(Run(SandboxStatus.Ok, exit: 0), CheckOutcome.Accepted, outOfMemory: true).Verdict);
        Assert.Equal(Verdict.WA, VerdictRules.ForRun(Run(SandboxStatus.Ok, exit: 0), CheckOutcome.Wrong("no"), outOfMemory: true).Verdict);
    }

    [Fact]
    public void Memory_limit_comes_before_time_output_and_crash_in_one_precedence()
    {
        // the sandbox reports one status, MLE first when the peak passed the limit; the runtime's report only turns a crash
        Assert.Equal(Verdict.MLE, VerdictRules.ForRun(Run(SandboxStatus.MemoryLimitExceeded), null, outOfMemory: false).Verdict);
        Assert.Equal(Verdict.OLE, VerdictRules.ForRun(Run(SandboxStatus.OutputLimitExceeded), null, outOfMemory: true).Verdict);
        Assert.Equal(Verdict.RE, VerdictRules.ForRun(Run(SandboxStatus.Signaled, signal: 6), null, outOfMemory: false).Verdict);
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

    private static readonly SandboxResult Clean = Run(SandboxStatus.Ok, exit: 0);
    private static readonly SandboxResult BrokenPipe = Run(SandboxStatus.Signaled, signal: 13);
    private static readonly CheckOutcome Rejected = CheckOutcome.Wrong("wrong guess");
    private static readonly CheckOutcome InteractorFailed = CheckOutcome.Failed("the interactor exited with code 3 (expected 42 or 43)");

    private static (Verdict Verdict, string? Message) Interaction(SandboxResult submission, CheckOutcome outcome, bool interactorFirst) =>
        VerdictRules.ForInteraction(new Interaction(submission, Run(SandboxStatus.NonZeroExit, exit: 43), outcome, interactorFirst));

    [Fact]
    public void Interactor_rejecting_first_is_wrong_answer_even_when_the_submission_then_dies_of_a_broken_pipe()
    {
        Assert.Equal((Verdict.WA, "wrong guess"), Interaction(BrokenPipe, Rejected, interactorFirst: true));
        Assert.Equal(Verdict.WA, Interaction(Run(SandboxStatus.Signaled, signal: 11), Rejected, interactorFirst: true).Verdict);
    }

    [Fact]
    public void Submission_crashing_first_is_run_time_error_although_the_interactor_then_rejects_or_fails()
    {
        Assert.Equal((Verdict.RE, "killed by SIGSEGV"), Interaction(Run(SandboxStatus.Signaled, signal: 11), Rejected, interactorFirst: false));
        Assert.Equal(Verdict.RE, Interaction(Run(SandboxStatus.NonZeroExit, exit: 1), InteractorFailed, interactorFirst: false).Verdict);
        Assert.Equal(Verdict.MLE, Interaction(Run(SandboxStatus.MemoryLimitExceeded), Rejected, interactorFirst: false).Verdict);
    }

    [Fact]
    public void Submission_over_its_memory_limit_is_memory_limit_exceeded_whatever_the_interactor_did()
    {
        Assert.Equal(Verdict.MLE, Interaction(Run(SandboxStatus.MemoryLimitExceeded), Rejected, interactorFirst: true).Verdict);
        Assert.Equal(Verdict.MLE, Interaction(Run(SandboxStatus.MemoryLimitExceeded), InteractorFailed, interactorFirst: true).Verdict);
        Assert.Equal(Verdict.MLE, Interaction(Run(SandboxStatus.MemoryLimitExceeded), CheckOutcome.Accepted, interactorFirst: true).Verdict);
    }

    [Fact]
    public void Interactive_submission_that_only_prints_an_out_of_memory_text_is_judged_by_the_interactor()
    {
        Assert.Equal(Verdict.AC, VerdictRules.ForInteraction(
            new Interaction(Clean, Run(SandboxStatus.NonZeroExit, exit: 42), CheckOutcome.Accepted, false), outOfMemory: true).Verdict);
        Assert.Equal(Verdict.MLE, VerdictRules.ForInteraction(
            new Interaction(Run(SandboxStatus.NonZeroExit, exit: 1), Run(SandboxStatus.NonZeroExit, exit: 43), Rejected, false), outOfMemory: true).Verdict);
    }

    [Fact]
    public void Submission_over_its_time_limit_is_time_limit_exceeded_whatever_the_interactor_did()
    {
        Assert.Equal(Verdict.TLE, Interaction(Run(SandboxStatus.CpuTimeLimitExceeded), Rejected, interactorFirst: true).Verdict);
        Assert.Equal(Verdict.TLE, Interaction(Run(SandboxStatus.WallTimeLimitExceeded), Rejected, interactorFirst: true).Verdict);
        Assert.Equal(Verdict.TLE, Interaction(Run(SandboxStatus.WallTimeLimitExceeded), Rejected, interactorFirst: false).Verdict);
        Assert.Equal(Verdict.TLE, Interaction(Run(SandboxStatus.CpuTimeLimitExceeded), InteractorFailed, interactorFirst: true).Verdict);
        Assert.Equal(Verdict.TLE, Interaction(Run(SandboxStatus.CpuTimeLimitExceeded), CheckOutcome.Accepted, interactorFirst: true).Verdict);
    }

    [Fact]
    public void Submission_failing_after_the_interactor_accepted_keeps_its_failure()
    {
        Assert.Equal((Verdict.RE, "exit code 3"), Interaction(Run(SandboxStatus.NonZeroExit, exit: 3), CheckOutcome.Accepted, interactorFirst: true));
    }

    [Fact]
    public void Broken_pipe_is_no_failure_of_the_submission_the_interactor_decides()
    {
        Assert.Equal(Verdict.AC, Interaction(BrokenPipe, CheckOutcome.Accepted, interactorFirst: true).Verdict);
        Assert.Equal(Verdict.IE, Interaction(BrokenPipe, InteractorFailed, interactorFirst: true).Verdict);
    }

    [Fact]
    public void Interactor_failure_is_a_judge_error_when_the_submission_did_not_fail_first()
    {
        Assert.Equal((Verdict.IE, InteractorFailed.Message), Interaction(Clean, InteractorFailed, interactorFirst: true));
        Assert.Equal(Verdict.IE, Interaction(Clean, InteractorFailed, interactorFirst: false).Verdict);
        Assert.Equal(Verdict.IE, Interaction(Run(SandboxStatus.NonZeroExit, exit: 1), InteractorFailed, interactorFirst: true).Verdict);
    }

    [Fact]
    public void Clean_interaction_gets_the_interactors_judgement_with_its_team_message()
    {
        Assert.Equal((Verdict.AC, "found with 3 queries"), Interaction(Clean, new CheckOutcome(CheckStatus.Accepted, "found with 3 queries"), interactorFirst: false));
        Assert.Equal((Verdict.WA, "wrong guess"), Interaction(Clean, Rejected, interactorFirst: false));
    }

    [Fact]
    public void Sandbox_failure_of_either_program_is_a_judge_error()
    {
        Assert.Equal(Verdict.IE, Interaction(Run(SandboxStatus.InternalError), CheckOutcome.Accepted, interactorFirst: false).Verdict);
        var interactorNotStarted = new Interaction(Clean, SandboxResult.Internal("cannot start"), CheckOutcome.Failed("the interactor failed: cannot start"), true);
        Assert.Equal((Verdict.IE, "the interactor failed: cannot start"), VerdictRules.ForInteraction(interactorNotStarted));
    }

    [Theory]
    [InlineData(SandboxStatus.NonZeroExit, "compilation failed (exit code 1)")]
    [InlineData(SandboxStatus.CpuTimeLimitExceeded, "compilation exceeded its time limit of 30 s")]
    [InlineData(SandboxStatus.MemoryLimitExceeded, "compilation exceeded its memory limit of 1024 MiB")]
    public void A_compiler_that_fails_or_runs_over_its_limits_is_a_compile_error(SandboxStatus status, string message)
    {
        var limits = new SandboxLimits { CpuTime = TimeSpan.FromSeconds(30), MemoryBytes = 1024L * 1024 * 1024 };

        Assert.Equal((Verdict.CE, message), VerdictRules.ForCompile(Run(status, exit: 1), limits));
    }

    [Fact]
    public void A_compiler_that_cannot_be_run_is_a_judge_error_and_a_clean_compile_has_no_verdict()
    {
        Assert.Equal(Verdict.IE, VerdictRules.ForCompile(Run(SandboxStatus.InternalError), SandboxLimits.Compile)!.Value.Verdict);
        Assert.Null(VerdictRules.ForCompile(Run(SandboxStatus.Ok), SandboxLimits.Compile));
    }
}
