using Judge.Engine.Judging;
using Judge.Engine.Verdicts;
using Judge.Engine.Verification;

namespace Judge.Engine.UnitTests.Verification;

/// <summary>What each kind of expectation accepts and rejects, over judgements made up here.</summary>
public sealed class SubmissionExpectationTests
{
    private static TestOutcome Test(string name, Verdict verdict, string? judgeMessage = null) =>
        new(name, verdict, TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(12), 1 << 20) { JudgeMessage = judgeMessage };

    private static JudgeReport Report(params TestOutcome[] tests) =>
        new(VerdictRules.ForSubmission(tests.Select(t => t.Verdict)), null, tests);

    private static SubmissionExpectation Directory(string name) =>
        new() { Origin = name, Rules = [ExpectationRule.ForDirectory(name)!] };

    [Theory]
    [InlineData("accepted", new[] { Verdict.AC, Verdict.AC }, true)]
    [InlineData("accepted", new[] { Verdict.AC, Verdict.WA }, false)]
    [InlineData("wrong_answer", new[] { Verdict.AC, Verdict.WA, Verdict.SK }, true)]
    [InlineData("wrong_answer", new[] { Verdict.AC, Verdict.PE }, true)]
    [InlineData("wrong_answer", new[] { Verdict.AC, Verdict.AC }, false)]
    [InlineData("wrong_answer", new[] { Verdict.TLE, Verdict.SK }, false)]
    [InlineData("time_limit_exceeded", new[] { Verdict.AC, Verdict.TLE }, true)]
    [InlineData("time_limit_exceeded", new[] { Verdict.RE }, false)]
    [InlineData("run_time_error", new[] { Verdict.RE }, true)]
    [InlineData("run_time_error", new[] { Verdict.MLE }, true)]
    [InlineData("run_time_error", new[] { Verdict.WA }, false)]
    [InlineData("memory_limit_exceeded", new[] { Verdict.AC, Verdict.MLE }, true)]
    [InlineData("memory_limit_exceeded", new[] { Verdict.RE }, false)]
    [InlineData("output_limit_exceeded", new[] { Verdict.OLE }, true)]
    [InlineData("rejected", new[] { Verdict.AC, Verdict.TLE }, true)]
    [InlineData("rejected", new[] { Verdict.AC, Verdict.AC }, false)]
    [InlineData("rejected", new[] { Verdict.IE }, false)]
    [InlineData("brute_force", new[] { Verdict.AC, Verdict.TLE }, true)]
    [InlineData("brute_force", new[] { Verdict.WA }, false)]
    [InlineData("accepted", new[] { Verdict.AC, Verdict.IE }, false)]
    public void A_verdict_directory_accepts_exactly_the_judgements_its_name_stands_for(string directory, Verdict[] verdicts, bool agrees)
    {
        var report = Report(verdicts.Select((v, i) => Test($"secret/{i}", v)).ToArray());

        Assert.Equal(agrees, Directory(directory).Disagreements(report).Count == 0);
    }

    [Fact]
    public void A_submission_that_does_not_compile_agrees_only_with_compile_error()
    {
        var report = new JudgeReport(Verdict.CE, "error: expected ';'", []);

        Assert.Empty(Directory("compile_error").Disagreements(report));
        Assert.Equal(["no test got WA|PE (got CE)"], Directory("wrong_answer").Disagreements(report).Skip(1));
    }

    [Fact]
    public void A_directory_with_no_verdict_in_its_name_has_no_expectation()
    {
        Assert.Null(ExpectationRule.ForDirectory("misc"));
        Assert.Null(ExpectationRule.ForDirectory("judge_error"));
    }

    [Fact]
    public void A_group_rule_looks_only_at_that_groups_tests()
    {
        var expectation = new SubmissionExpectation
        {
            Origin = "submissions.yaml",
            Rules =
            [
                new ExpectationRule { Tests = "secret/group1", Permitted = ExpectationRule.Set(Verdict.AC) },
                new ExpectationRule { Tests = "secret/group2", Required = ExpectationRule.Set(Verdict.TLE) },
            ],
        };

        Assert.Empty(expectation.Disagreements(Report(Test("secret/group1/a", Verdict.AC), Test("secret/group2/a", Verdict.TLE))));
        Assert.Equal(["test secret/group1/a got WA, only AC permitted in secret/group1"],
            expectation.Disagreements(Report(Test("secret/group1/a", Verdict.WA), Test("secret/group2/a", Verdict.TLE))));
        Assert.Equal(["no test in secret/group2 got TLE (got AC)"],
            expectation.Disagreements(Report(Test("secret/group1/a", Verdict.AC), Test("secret/group2/a", Verdict.AC))));
        Assert.True(expectation.RunAll);
    }

    [Fact]
    public void A_score_range_and_a_judge_message_are_checked()
    {
        var expectation = new SubmissionExpectation
        {
            Origin = "submissions.yaml",
            Rules = [new ExpectationRule { Score = (30, 40), Message = "too many", MessageIgnoresCase = true }],
        };
        var report = Report(Test("secret/1", Verdict.AC, "Too Many queries")) with { Score = 35 };

        Assert.Empty(expectation.Disagreements(report));
        Assert.Equal(["score 50, expected 30-40", "no judge message contains \"too many\""],
            expectation.Disagreements(Report(Test("secret/1", Verdict.AC)) with { Score = 50 }));
    }

    [Fact]
    public void A_case_json_checks_verdict_score_messages_signal_and_single_tests()
    {
        var expected = new PackageCase
        {
            Language = "python3", Verdicts = ["WA"], Score = 30, Message = "differs", JudgeMessage = "pass 2", Signal = "SIGPIPE",
            MessagesLack = "secret-token", Tests = new Dictionary<string, string> { ["secret/1"] = "AC" }, SourcePath = "source.py",
        };
        var failing = new TestOutcome("secret/2", Verdict.WA, TimeSpan.Zero, TimeSpan.Zero, 0, Signal: "SIGPIPE", Message: "token 1 differs")
        {
            JudgeMessage = "pass 2: wrong",
        };
        var good = new JudgeReport(Verdict.WA, null, [Test("secret/1", Verdict.AC), failing]) { Score = 30 };

        Assert.Empty(expected.Disagreements(good));

        var bad = new JudgeReport(Verdict.RE, null,
            [Test("secret/1", Verdict.WA), failing with { Verdict = Verdict.RE, Signal = "SIGSEGV", Message = "secret-token", JudgeMessage = null }]) { Score = 0 };
        Assert.Equal(
        [
            "verdict RE, expected WA",
            "score 0, expected 30",
            "message \"secret-token\" lacks \"differs\"",
            "judge message \"\" lacks \"pass 2\"",
            "signal none, expected SIGPIPE",
            "test secret/2's messages contain \"secret-token\"",
            "test secret/1 got WA, expected AC",
        ], expected.Disagreements(bad));
    }
    [Fact]
    public void A_case_naming_several_honest_verdicts_accepts_any_of_them_and_no_other()
    {
        var expected = new PackageCase { Language = "cpp17", Verdicts = ["OLE", "RE"], SourcePath = "source.cpp" };

        Assert.Empty(expected.Disagreements(new JudgeReport(Verdict.RE, null, [])));
        Assert.Empty(expected.Disagreements(new JudgeReport(Verdict.OLE, null, [])));
        Assert.Equal(["verdict WA, expected OLE or RE"], expected.Disagreements(new JudgeReport(Verdict.WA, null, [])));
    }

    [Theory]
    [InlineData("""{"language": "cpp17", "verdict": "AC", "verdicts": ["AC"]}""", "give verdict or verdicts, not both")]
    [InlineData("""{"language": "cpp17", "verdicts": []}""", "verdict is missing")]
    [InlineData("""{"language": "cpp17", "verdicts": ["AC", "OOPS"]}""", "verdict 'OOPS' is not one of")]
    [InlineData("""{"language": "cpp17", "verdict": "AC", "effect": "no-file:relative"}""", "effect 'no-file:relative' is not")]
    [InlineData("""{"language": "cpp17", "verdict": "AC", "effect": "explode"}""", "effect 'explode' is not")]
    public void A_malformed_case_json_is_refused_naming_the_file(string json, string reason)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("judge-case-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(directory, "case.json"), json);
            File.WriteAllText(Path.Combine(directory, "source.cpp"), "int main() {}");

            var error = Assert.Throws<InvalidDataException>(() => PackageCase.Load(directory, "submissions/bad"));

            Assert.Contains("submissions/bad", error.Message);
            Assert.Contains(reason, error.Message);
        }
        finally
        {
            System.IO.Directory.Delete(directory, recursive: true);
        }
    }
}
