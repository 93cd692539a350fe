using System.Globalization;
using Judge.Engine.Sandbox;

namespace Judge.Engine.Checkers;

/// <summary>A custom output validator speaking the Kattis protocol, run in the sandbox:
/// <c>validator input answer feedback_dir [flags] &lt; team_output</c>; exit 42 accepts, 43 rejects, anything else is a judge error.
/// It may leave <c>teammessage.txt</c> (for the submitter), <c>judgemessage.txt</c> (for judges), <c>score.txt</c> (a fraction
/// of the test's points) and <c>nextpass.in</c> (multi-pass problems) in the feedback directory.</summary>
public sealed class KattisValidator(ISandbox sandbox, BuiltProgram program, SandboxLimits limits, long feedbackBytes) : IChecker
{
    /// <summary>Exit code of an accepted output.</summary>
    public const int AcceptExitCode = 42;

    /// <summary>Exit code of a rejected output.</summary>
    public const int RejectExitCode = 43;

    private const string InputName = "testdata.in";
    private const string AnswerName = "testdata.ans";
    private const string FeedbackName = "feedback";
    private const int TeamMessageBytes = 4096;
    private const int LogBytes = 4096;

    public async Task<CheckOutcome> CheckAsync(CheckRequest request, CancellationToken cancellationToken = default)
    {
        var work = request.WorkDirectory ?? throw new ArgumentException("a custom validator needs a work directory", nameof(request));
        if (Prepare(program, work, request.InputPath, request.AnswerPath, "output validator") is { } refused)
            return refused;

        var log = $"{work}.log";
        File.Delete(log);
        var result = await sandbox.RunAsync(new SandboxRequest
        {
            Argv = Argv(program, request.Flags),
            WorkingDirectory = work,
            PersistWorkingDirectory = true,
            StdinPath = request.OutputPath,
            StdoutPath = log,
            MergeStderrIntoStdout = true,
            Limits = limits,
        }, cancellationToken);
        return Interpret(result, work, log, feedbackBytes, "output validator");
    }

    /// <summary>The command line of the protocol: <c>program input answer feedback_dir/ [flags]</c>, in the work directory.</summary>
    internal static IReadOnlyList<string> Argv(BuiltProgram program, IReadOnlyList<string> flags) =>
        [.. program.Argv, InputName, AnswerName, FeedbackName + "/", .. flags];

    /// <summary>Fills <paramref name="work"/> with a copy of the program, the pass's input and the test's answer and an empty
    /// feedback directory. A later pass of a multi-pass test starts as problemtools starts it (the 2023-07/2025-09 format,
    /// "Multi-pass validation"): every feedback file persists except <c>nextpass.in</c>, and the validator's input file is
    /// that pass's input (the previous pass's <c>nextpass.in</c>), not the test's first input.</summary>
    /// <returns><c>null</c>, or the judge error when the directory was tampered with.</returns>
    internal static CheckOutcome? Prepare(BuiltProgram program, string work, string input, string answer, string what)
    {
        Directory.CreateDirectory(work);
        var feedback = Path.Combine(work, FeedbackName);
        if (!File.Exists(Path.Combine(work, InputName)))
        {
            program.CopyTo(work);
            SandboxFiles.CopyIn(input, Path.Combine(work, InputName));
            SandboxFiles.CopyIn(answer, Path.Combine(work, AnswerName));
            SandboxFiles.CreateShared(feedback);
        }
        else if (SandboxFiles.IsRealDirectory(feedback))
        {
            // a later pass: the validator may run under another uid than the one that wrote the feedback files
            File.Delete(Path.Combine(feedback, "nextpass.in"));
            SandboxFiles.ShareFiles(feedback);
            File.Delete(Path.Combine(work, InputName));
            SandboxFiles.CopyIn(input, Path.Combine(work, InputName));
        }
        else
        {
            return CheckOutcome.Failed($"the {what} replaced its feedback directory");
        }
        return null;
    }

    /// <summary>Reads the judgement of a finished run: its exit code, the feedback files and the log at <paramref name="log"/>
    /// (deleted here). Files are read without following links and within the size limits.</summary>
    internal static CheckOutcome Interpret(SandboxResult result, string work, string log, long feedbackBytes, string what)
    {
        var output = SandboxFiles.ReadText(log, LogBytes)?.Trim();
        File.Delete(log);

        var feedback = Path.Combine(work, FeedbackName);
        if (!SandboxFiles.IsRealDirectory(feedback))
            return CheckOutcome.Failed($"the {what} replaced its feedback directory", output);
        var judgeMessage = SandboxFiles.ReadText(Path.Combine(feedback, "judgemessage.txt"), (int)Math.Min(feedbackBytes, 64 * 1024));
        var teamMessage = SandboxFiles.ReadText(Path.Combine(feedback, "teammessage.txt"), TeamMessageBytes)?.Trim();
        var judgeReport = string.Join('\n', new[] { judgeMessage?.Trim(), output }.Where(s => !string.IsNullOrEmpty(s)));
        var report = judgeReport.Length == 0 ? null : judgeReport;

        if (result.Status is not (SandboxStatus.Ok or SandboxStatus.NonZeroExit))
            return CheckOutcome.Failed($"the {what} failed: {Describe(result)}", report);

        switch (result.ExitCode)
        {
            case AcceptExitCode:
                var scoreText = SandboxFiles.ReadText(Path.Combine(feedback, "score.txt"), 256);
                double? score = null;
                if (scoreText is not null)
                {
                    if (!double.TryParse(scoreText.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
                        return CheckOutcome.Failed($"the {what} wrote an invalid score.txt: '{scoreText.Trim()}'", report);
                    score = Math.Clamp(value, 0, 1);
                }

                string? next = null;
                var nextPass = Path.Combine(feedback, "nextpass.in");
                if (File.Exists(nextPass) || new FileInfo(nextPass).LinkTarget is not null)
                {
                    next = $"{work}.nextpass-{Guid.NewGuid():N}.in";
                    if (!SandboxFiles.CopyOut(nextPass, next, feedbackBytes))
                        return CheckOutcome.Failed($"the {what}'s nextpass.in is not a regular file within the validation output limit", report);
                }

                return new CheckOutcome(CheckStatus.Accepted, teamMessage) { JudgeMessage = report, Score = score, NextPassInput = next };
            case RejectExitCode:
                var leftNextPass = new FileInfo(Path.Combine(feedback, "nextpass.in")) is var left && (left.Exists || left.LinkTarget is not null);
                return new CheckOutcome(CheckStatus.WrongAnswer, string.IsNullOrEmpty(teamMessage) ? null : teamMessage) { JudgeMessage = report, RejectedWithNextPass = leftNextPass };
            default:
                return CheckOutcome.Failed($"the {what} exited with code {result.ExitCode} (expected {AcceptExitCode} or {RejectExitCode})", report);
        }
    }

    internal static string Describe(SandboxResult result) => result.Status switch
    {
        SandboxStatus.CpuTimeLimitExceeded or SandboxStatus.WallTimeLimitExceeded => "it exceeded its time limit",
        SandboxStatus.MemoryLimitExceeded => "it exceeded its memory limit",
        SandboxStatus.OutputLimitExceeded => "it wrote too much output",
        SandboxStatus.Signaled => $"it was killed by {result.SignalName}",
        SandboxStatus.NonZeroExit => $"exit code {result.ExitCode}",
        _ => result.Message ?? result.Status.ToString(),
    };
}
