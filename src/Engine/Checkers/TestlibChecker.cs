using System.Globalization;
using Judge.Engine.Sandbox;

namespace Judge.Engine.Checkers;

/// <summary>A checker speaking the testlib protocol, run in the sandbox: <c>checker input output answer</c>; exit 0 OK, 1 wrong
/// answer, 2 presentation error, 3 checker failure (a judge error), 7 points (the fraction follows <c>points</c> in its
/// message). Its message (standard error) is shown to the submitter and the judges.</summary>
public sealed class TestlibChecker(ISandbox sandbox, BuiltProgram program, SandboxLimits limits) : IChecker
{
    private const int MessageBytes = 4096;

    public async Task<CheckOutcome> CheckAsync(CheckRequest request, CancellationToken cancellationToken = default)
    {
        var work = request.WorkDirectory ?? throw new ArgumentException("a testlib checker needs a work directory", nameof(request));
        Workspaces.Recreate(work);
        program.CopyTo(work);
        SandboxFiles.CopyIn(request.InputPath, Path.Combine(work, "input"));
        SandboxFiles.CopyIn(request.OutputPath, Path.Combine(work, "output"));
        SandboxFiles.CopyIn(request.AnswerPath, Path.Combine(work, "answer"));

        var log = $"{work}.log";
        File.Delete(log);
        var result = await sandbox.RunAsync(new SandboxRequest
        {
            Argv = [.. program.Argv, "input", "output", "answer"],
            WorkingDirectory = work,
            StdoutPath = log,
            MergeStderrIntoStdout = true,
            Limits = limits,
        }, cancellationToken);
        var message = SandboxFiles.ReadText(log, MessageBytes)?.Trim();
        File.Delete(log);
        if (string.IsNullOrEmpty(message))
            message = null;

        if (result.Status is not (SandboxStatus.Ok or SandboxStatus.NonZeroExit))
            return CheckOutcome.Failed($"the checker failed: {KattisValidator.Describe(result)}", message);

        return result.ExitCode switch
        {
            0 => new CheckOutcome(CheckStatus.Accepted, message) { JudgeMessage = message },
            1 => new CheckOutcome(CheckStatus.WrongAnswer, message) { JudgeMessage = message },
            2 => new CheckOutcome(CheckStatus.PresentationError, message) { JudgeMessage = message },
            7 => Points(message),
            3 => CheckOutcome.Failed("the checker reported a failure (FAIL)", message),
            var code => CheckOutcome.Failed($"the checker exited with code {code} (expected 0, 1, 2, 3 or 7)", message),
        };
    }

    /// <summary>Exit 7: the message is <c>points X ...</c> or <c>X ...</c>, X the fraction of the test's points (clamped to 0..1).</summary>
    private static CheckOutcome Points(string? message)
    {
        var words = (message ?? "").Split((char[])[' ', '\n', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries);
        var index = words.Length > 0 && words[0].Equals("points", StringComparison.OrdinalIgnoreCase) ? 1 : 0;
        if (index < words.Length
            && double.TryParse(words[index], NumberStyles.Float, CultureInfo.InvariantCulture, out var points)
            && double.IsFinite(points))
        {
            return new CheckOutcome(CheckStatus.Accepted, message) { JudgeMessage = message, Score = Math.Clamp(points, 0, 1) };
        }

        return CheckOutcome.Failed("the checker gave points (exit 7) without a number in its message", message);
    }
}

/// <summary>Private per-check directories.</summary>
internal static class Workspaces
{
    /// <summary>Deletes <paramref name="directory"/> if it exists (links inside are removed, never followed) and creates it empty.</summary>
    public static void Recreate(string directory)
    {
        if (Directory.Exists(directory))
            Directory.Delete(directory, recursive: true);
        Directory.CreateDirectory(directory);
    }
}
