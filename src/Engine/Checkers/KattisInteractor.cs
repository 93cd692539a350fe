using Judge.Engine.Sandbox;

namespace Judge.Engine.Checkers;

/// <summary>The interactor of an interactive problem, speaking the Kattis protocol: it runs in a sandbox of its own at the
/// same time as the submission, as <c>interactor input answer feedback_dir [flags]</c>, reading the submission's standard
/// output and writing its standard input; exit 42 accepts, 43 rejects, anything else is a judge error. Its feedback files
/// (<c>teammessage.txt</c>, <c>judgemessage.txt</c>, <c>score.txt</c>) mean what they mean for <see cref="KattisValidator"/>.</summary>
public sealed class KattisInteractor(ISandbox sandbox, BuiltProgram program, SandboxLimits limits, long feedbackBytes)
{
    private const string What = "interactor";

    /// <summary>Runs <paramref name="submission"/> (its standard input and output left unset) against the interactor on one test.</summary>
    public async Task<Interaction> InteractAsync(SandboxRequest submission, InteractionRequest request, CancellationToken cancellationToken = default)
    {
        if (KattisValidator.Prepare(program, request.WorkDirectory, request.InputPath, request.AnswerPath, What) is { } refused)
        {
            var notRun = SandboxResult.Internal($"not run: {refused.Message}");
            return new Interaction(notRun, notRun, refused, InteractorEndedFirst: false);
        }

        var log = $"{request.WorkDirectory}.log";
        File.Delete(log);
        var interactor = new SandboxRequest
        {
            Argv = KattisValidator.Argv(program, request.Flags),
            WorkingDirectory = request.WorkDirectory,
            PersistWorkingDirectory = true,
            StderrPath = log,
            // It may wait for the submission as long as the submission may run, then needs its own time.
            Limits = limits with { WallTime = submission.Limits.EffectiveWallTime + limits.CpuTime },
        };
        var connected = await sandbox.RunConnectedAsync(submission, interactor, cancellationToken);
        var outcome = KattisValidator.Interpret(connected.Second, request.WorkDirectory, log, feedbackBytes, What);
        if (outcome.NextPassInput is { } next)
        {
            File.Delete(next); // interactive problems have one pass
            outcome = outcome with { NextPassInput = null };
        }
        return new Interaction(connected.First, connected.Second, outcome, InteractorEndedFirst: !connected.FirstEndedFirst);
    }
}

/// <summary>The files of one interaction: the test's input and answer, the interactor's private work directory under the
/// sandbox's work root, and the arguments after the feedback directory.</summary>
public sealed record InteractionRequest(string InputPath, string AnswerPath, string WorkDirectory)
{
    /// <summary>The problem's <c>validator_flags</c>, then the test group's <c>output_validator_flags</c>.</summary>
    public IReadOnlyList<string> Flags { get; init; } = [];
}

/// <summary>How one interaction ended: both runs, the interactor's judgement (its exit code and feedback, or why it failed),
/// and which program ended first.</summary>
public sealed record Interaction(SandboxResult Submission, SandboxResult Interactor, CheckOutcome Outcome, bool InteractorEndedFirst);
