using System.Collections.Immutable;
using Judge.Engine.Judging;
using Judge.Interfaces;

namespace Judge.Grains.Workers;

/// <summary>Translates the engine's results into the public contracts.</summary>
public static class ResultMapping
{
    public static Verdict ToContract(this Engine.Verdicts.Verdict verdict) => Enum.Parse<Verdict>(verdict.ToString());

    public static TestResult ToContract(this TestOutcome outcome) => new(
        outcome.Name,
        outcome.Verdict.ToContract(),
        (long)Math.Round(outcome.CpuTime.TotalMilliseconds),
        (long)Math.Round(outcome.WallTime.TotalMilliseconds),
        outcome.PeakMemoryBytes / 1024,
        outcome.ExitCode,
        outcome.Signal,
        outcome.Message,
        outcome.Score,
        Capped(outcome.JudgeMessage));

    /// <summary>The engine's outcome of a test judged on another silo (a range of the fan-out), as precise as the contract
    /// keeps it: times in whole milliseconds and memory in KiB, which is all a submission reports.</summary>
    public static TestOutcome ToOutcome(this TestResult result) => new(
        result.Name,
        Enum.Parse<Engine.Verdicts.Verdict>(result.Verdict.ToString()),
        TimeSpan.FromMilliseconds(result.TimeMs),
        TimeSpan.FromMilliseconds(result.WallMs),
        result.MemoryKb * 1024,
        result.ExitCode,
        result.Signal,
        result.Message)
    {
        Score = result.Score,
        JudgeMessage = result.JudgeMessage,
    };

    /// <summary>The most characters of a judge message kept per test (it is stored with the submission).</summary>
    public const int JudgeMessageChars = 4096;

    private static string? Capped(string? text) =>
        text is null || text.Length <= JudgeMessageChars ? text : text[..JudgeMessageChars] + "\n[truncated]";

    public static JudgeResult ToContract(this JudgeReport report, string judgedBy) => new(
        report.Verdict.ToContract(),
        report.CompileOutput,
        report.Tests.Select(t => t.ToContract()).ToImmutableArray(),
        report.Message,
        judgedBy)
    {
        Score = report.Score,
        MaxScore = report.MaxScore,
    };
}
