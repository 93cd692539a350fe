using Judge.Engine.Checkers;
using Judge.Engine.Sandbox;

namespace Judge.Engine.Verdicts;

/// <summary>The one place that turns a compilation, or a sandboxed run and its check, into a verdict.</summary>
/// <remarks>
/// Precedence, first match wins: IE (the sandbox failed) &gt; MLE &gt; TLE &gt; OLE &gt; RE &gt; the checker's answer
/// (AC, WA, PE; a checker failure is IE). MLE comes first: a program that needed more memory than its limit is MLE
/// however it then ended (the sandbox reports a peak above the limit first, even when the program also ran out of
/// time), and a crash that its runtime reports as running out of memory (C++ <c>std::bad_alloc</c>, Python
/// <c>MemoryError</c>, Java <c>OutOfMemoryError</c>: <see cref="Languages.Language.IsOutOfMemory"/>) is MLE, not RE.
/// The checker runs only on a clean run, so a program that prints the right answer and then crashes is RE.
/// </remarks>
public static class VerdictRules
{
    /// <summary>Whether a run ended cleanly enough for its output to be checked.</summary>
    public static bool NeedsCheck(SandboxResult run) => run.Status == SandboxStatus.Ok;

    /// <summary>Whether a run with transparent huge pages (<see cref="Languages.Language.HugePages"/>) must be run again
    /// without them: it went over its memory limit, and whole 2 MiB pages may be what took it there.</summary>
    public static bool NeedsRunWithoutHugePages(SandboxResult run) => run.Status == SandboxStatus.MemoryLimitExceeded;

    /// <summary>Whether the run again without huge pages counts, rather than the run with them that went over its memory
    /// limit: it does, unless it ran out of time. A program charged only its own 4 KiB pages gets the verdict those earn
    /// (a sparse toucher, AC within its limit, or whatever else it earns). One that ran out of time without huge pages filled its
    /// memory densely and slowly (a page fault per 4 KiB): it reached its memory limit first when faults were cheap, MLE.</summary>
    public static bool CountsOverHugePageRun(SandboxResult withoutHugePages) =>
        withoutHugePages.Status is not (SandboxStatus.CpuTimeLimitExceeded or SandboxStatus.WallTimeLimitExceeded);

    /// <summary>The verdict of a run, given the checker's outcome when the run was clean.</summary>
    /// <param name="run">How the run ended.</param>
    /// <param name="check">The checker's outcome; required exactly when <see cref="NeedsCheck"/> holds.</param>
    /// <param name="outOfMemory">The program's standard error shows that its runtime ran out of memory
    /// (<see cref="Languages.Language.IsOutOfMemory"/>). It counts only for a run that failed (non-zero exit or a signal):
    /// a contestant who prints such a text can at most turn their own RE into MLE, which is still a rejection.</param>
    public static (Verdict Verdict, string? Message) ForRun(SandboxResult run, CheckOutcome? check, bool outOfMemory = false)
    {
        switch (run.Status)
        {
            case SandboxStatus.InternalError:
                return (Verdict.IE, run.Message ?? "the sandbox failed");
            case SandboxStatus.MemoryLimitExceeded:
                return (Verdict.MLE, run.Message);
            case SandboxStatus.CpuTimeLimitExceeded:
            case SandboxStatus.WallTimeLimitExceeded:
                return (Verdict.TLE, run.Message);
            case SandboxStatus.OutputLimitExceeded:
                return (Verdict.OLE, run.Message);
        }

        if (outOfMemory && run.Status is SandboxStatus.Signaled or SandboxStatus.NonZeroExit)
            return (Verdict.MLE, RanOutOfMemory(run));

        switch (run.Status)
        {
            case SandboxStatus.Signaled:
                return (Verdict.RE, $"killed by {run.SignalName}");
            case SandboxStatus.NonZeroExit:
                return (Verdict.RE, $"exit code {run.ExitCode}");
        }

        if (check is null)
            throw new ArgumentNullException(nameof(check), "a clean run must be checked before it gets a verdict");

        return check.Status switch
        {
            CheckStatus.Accepted => (Verdict.AC, check.Message),
            CheckStatus.WrongAnswer => (Verdict.WA, check.Message),
            CheckStatus.PresentationError => (Verdict.PE, check.Message),
            _ => (Verdict.IE, check.Message ?? "the checker failed"),
        };
    }

    /// <summary>The verdict of one test of an interactive problem, from both runs, the interactor's judgement and which
    /// program ended first (the Kattis rules, as problemtools applies them).</summary>
    /// <remarks>
    /// Precedence, first match wins:
    /// <list type="number">
    /// <item>the sandbox failed for either program: IE;</item>
    /// <item>the submission ran over its memory or time limit: MLE, then TLE (resource limits come first, in the order of
    /// <see cref="ForRun"/>);</item>
    /// <item>the interactor ended first and rejected (exit 43): WA, whatever the submission did afterwards (crash, broken
    /// pipe);</item>
    /// <item>the submission failed (RE by exit code or signal, MLE when its runtime reported running out of memory) and it
    /// ended first, or the interactor did not fail: that verdict. Death by SIGPIPE (writing to an interactor that had
    /// ended) is no failure of its own: the interactor decides;</item>
    /// <item>the interactor failed (any other exit code, a signal, its own limits): IE, never the submitter's fault;</item>
    /// <item>the interactor's judgement: exit 42 AC, 43 WA.</item>
    /// </list>
    /// </remarks>
    public static (Verdict Verdict, string? Message) ForInteraction(Interaction interaction, bool outOfMemory = false)
    {
        var run = interaction.Submission;
        var outcome = interaction.Outcome;
        if (run.Status == SandboxStatus.InternalError)
            return (Verdict.IE, run.Message ?? "the sandbox failed");
        if (interaction.Interactor.Status == SandboxStatus.InternalError)
            return (Verdict.IE, outcome.Message ?? interaction.Interactor.Message ?? "the sandbox failed");
        if (run.Status is SandboxStatus.MemoryLimitExceeded or SandboxStatus.CpuTimeLimitExceeded or SandboxStatus.WallTimeLimitExceeded)
            return ForRun(run, null);
        if (interaction.InteractorEndedFirst && outcome.Status == CheckStatus.WrongAnswer)
            return (Verdict.WA, outcome.Message);

        var brokenPipe = run.Status == SandboxStatus.Signaled && run.Signal == BrokenPipeSignal;
        var failed = !brokenPipe && run.Status != SandboxStatus.Ok;
        if (failed && (!interaction.InteractorEndedFirst || outcome.Status != CheckStatus.JudgeError))
            return ForRun(run, null, outOfMemory);

        return outcome.Status switch
        {
            CheckStatus.Accepted => (Verdict.AC, outcome.Message),
            CheckStatus.WrongAnswer => (Verdict.WA, outcome.Message),
            CheckStatus.PresentationError => (Verdict.PE, outcome.Message),
            _ => (Verdict.IE, outcome.Message ?? "the interactor failed"),
        };
    }

    /// <summary>SIGPIPE: a write to a pipe nobody reads any more.</summary>
    private const int BrokenPipeSignal = 13;

    private static string RanOutOfMemory(SandboxResult run) =>
        run.Signal is not null
            ? $"ran out of memory: its runtime failed to allocate and it was killed by {run.SignalName}"
            : $"ran out of memory: its runtime failed to allocate and it exited with code {run.ExitCode}";

    /// <summary>The verdict of a compilation that did not end cleanly, with the message shown to the submitter; <c>null</c>
    /// when it did (<see cref="SandboxStatus.Ok"/>). The compiler failing to start is IE (never the submitter's fault);
    /// everything else the compiler ran into is CE.</summary>
    /// <param name="run">How the compiler's run ended.</param>
    /// <param name="limits">The limits the compiler ran under, named in the message.</param>
    public static (Verdict Verdict, string Message)? ForCompile(SandboxResult run, SandboxLimits limits) => run.Status switch
    {
        SandboxStatus.Ok => null,
        SandboxStatus.InternalError => (Verdict.IE, $"the compiler could not be run: {run.Message}"),
        SandboxStatus.CpuTimeLimitExceeded or SandboxStatus.WallTimeLimitExceeded =>
            (Verdict.CE, $"compilation exceeded its time limit of {limits.CpuTime.TotalSeconds:0} s"),
        SandboxStatus.MemoryLimitExceeded => (Verdict.CE, $"compilation exceeded its memory limit of {limits.MemoryBytes / (1024 * 1024)} MiB"),
        SandboxStatus.OutputLimitExceeded when run.Message is { } written && written.StartsWith("output exceeds", StringComparison.Ordinal) =>
            (Verdict.CE, $"compilation {written}"),
        SandboxStatus.OutputLimitExceeded => (Verdict.CE, $"the compiler wrote more than {limits.OutputBytes / 1024} KiB of messages"),
        SandboxStatus.Signaled => (Verdict.CE, $"the compiler was killed by {run.SignalName}"),
        _ => (Verdict.CE, $"compilation failed (exit code {run.ExitCode})"),
    };

    /// <summary>The verdict of a submission from its test verdicts in run order: the first one that is not AC or SK, else AC.</summary>
    public static Verdict ForSubmission(IEnumerable<Verdict> tests)
    {
        foreach (var verdict in tests)
        {
            if (verdict is not (Verdict.AC or Verdict.SK))
                return verdict;
        }
        return Verdict.AC;
    }
}
