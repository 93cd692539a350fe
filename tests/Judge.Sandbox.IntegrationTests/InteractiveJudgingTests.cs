using Judge.Engine.Judging;
using Judge.Engine.Languages;
using Judge.Engine.Problems;
using Judge.Engine.Sandbox.Process;
using Judge.Engine.Verdicts;

namespace Judge.Sandbox.IntegrationTests;

/// <summary>Interactive problems outside the isolating sandbox: the development sandbox cannot connect two programs, and
/// judging says so instead of hanging or blaming the submitter.</summary>
public class InteractiveJudgingTests
{
    [Fact]
    public async Task Interactive_problem_in_the_development_sandbox_is_a_judge_error_saying_why()
    {
        var problem = ProblemLoader.Load(Path.Combine(RepositoryPaths.Packages, "guessgame"));
        var source = await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Packages, "guessgame", "submissions", "ac", "source.cpp"));
        var judge = new SubmissionJudge(new ProcessSandbox(), JudgeOptions.Default with { WorkRoot = Path.Combine(Path.GetTempPath(), "judge-unsafe-interactive") });

        var report = await judge.JudgeAsync(problem, LanguageCatalog.Find("cpp17")!, source, IJudgeProgress.None);

        Assert.Equal(Verdict.IE, report.Verdict);
        Assert.Contains("interactive problems need the isolating sandbox", report.Tests[0].Message);
    }
}
