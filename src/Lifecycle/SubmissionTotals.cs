using Judge.Interfaces;
using ScoreRules = Judge.Engine.Verdicts.ScoreRules;

namespace Judge.Lifecycle;

/// <summary>The final time, memory and score of a judging, from its worker's result.</summary>
public static class SubmissionTotals
{
    /// <summary>The view of a judging that <paramref name="result"/> finished at <paramref name="now"/>: the worker's full
    /// list of tests (skipped ones included) replaces what progress reported; time and memory are the most any test that ran
    /// used; a pass-fail problem scores by <see cref="ScoreRules.PassFail"/>.</summary>
    public static Submission Finish(Submission view, JudgeResult result, DateTimeOffset now)
    {
        var tests = result.Tests.IsDefaultOrEmpty ? view.Tests : result.Tests;
        long? time = null, memory = null;
        foreach (var test in tests.IsDefault ? [] : tests)
        {
            if (test.Verdict == Verdict.SK)
                continue;
            time = Math.Max(time ?? long.MinValue, test.TimeMs);
            memory = Math.Max(memory ?? long.MinValue, test.MemoryKb);
        }
        var passFail = ScoreRules.PassFail(result.Verdict == Verdict.AC);
        return view with
        {
            Status = SubmissionStatus.Finished,
            Verdict = result.Verdict,
            Score = result.Score ?? passFail.Score,
            MaxScore = result.MaxScore ?? passFail.MaxScore,
            TimeMs = time,
            MemoryKb = memory,
            CompileOutput = result.CompileOutput ?? view.CompileOutput,
            Tests = tests,
            TestCount = view.TestCount ?? (tests.IsDefaultOrEmpty ? null : tests.Length),
            CurrentTest = null,
            Message = result.Message,
            JudgedBy = string.IsNullOrEmpty(result.JudgedBy) ? null : result.JudgedBy,
            FinishedAt = now,
        };
    }
}
