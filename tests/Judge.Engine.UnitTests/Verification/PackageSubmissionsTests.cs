using Judge.Engine.Verdicts;
using Judge.Engine.Verification;

namespace Judge.Engine.UnitTests.Verification;

/// <summary>How a package's submissions/ folder is read: languages, and which expectation each submission gets.</summary>
public sealed class PackageSubmissionsTests : IDisposable
{
    private readonly string package = Path.Combine(Path.GetTempPath(), "judge-submissions-" + Guid.NewGuid().ToString("N"), "demo");

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(package)!, recursive: true);

    private void Write(string path, string text)
    {
        var full = Path.Combine(package, "submissions", path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
    }

    private PackageSubmission Read(string path) => PackageSubmissions.Read(package).Single(s => s.Path == path);

    [Fact]
    public void Verdict_directories_give_each_file_its_language_and_expectation()
    {
        Write("accepted/sol.cpp", "int main(){}");
        Write("accepted/Sol.java", "class Sol {}");
        Write("wrong_answer/wa.py", "print(1)");
        Write("run_time_error/crash.c", "int main(){return 1;}");
        Write("accepted/README.md", "notes");

        var submissions = PackageSubmissions.Read(package);

        Assert.Equal(["accepted/Sol.java", "accepted/sol.cpp", "run_time_error/crash.c", "wrong_answer/wa.py"], submissions.Select(s => s.Path));
        Assert.Equal(["java", "cpp17", "c11", "python3"], submissions.Select(s => s.Language));
        Assert.Equal(["AC", "AC", "RTE", "WA"], submissions.Select(s => s.Expectation!.Describe()));
        Assert.All(submissions, s => Assert.Null(s.SkipReason));
    }

    [Fact]
    public void Expected_results_comment_replaces_the_directory()
    {
        Write("wrong_answer/slow.py", "# @EXPECTED_RESULTS@: WRONG_ANSWER, TIMELIMIT\nprint(1)");

        var submission = Read("wrong_answer/slow.py");

        Assert.Equal("@EXPECTED_RESULTS@", submission.Expectation!.Origin);
        var rule = Assert.Single(submission.Expectation.Rules);
        Assert.Equal([Verdict.WA, Verdict.PE, Verdict.TLE], rule.Final!.Order());
    }

    [Fact]
    public void Submissions_yaml_overrides_a_directory_and_adds_rules_for_globs_and_groups()
    {
        Write("submissions.yaml", """
            time_limit_exceeded:
              permitted: [AC, WA, TLE]
            partial/*.py:
              language: pypy3
              score: [20, 40]
              sample:
                permitted: [AC]
            """);
        Write("time_limit_exceeded/slow.cpp", "int main(){for(;;);}");
        Write("partial/half.py", "print(1)");
        Write("misc/other.py", "print(2)");

        var slow = Read("time_limit_exceeded/slow.cpp").Expectation!;
        var rule = Assert.Single(slow.Rules);
        Assert.Equal([Verdict.AC, Verdict.WA, Verdict.PE, Verdict.TLE], rule.Permitted!.Order());
        Assert.Equal([Verdict.TLE], rule.Required!); // inherited from the directory's default

        var half = Read("partial/half.py");
        Assert.Equal("pypy3", half.Language);
        Assert.Equal("submissions.yaml", half.Expectation!.Origin);
        Assert.Equal([(null, (20.0, 40.0)), ("sample", null)], half.Expectation.Rules.Select(r => (r.Tests, r.Score)));
        Assert.True(half.Expectation.RunAll);

        Assert.Contains("no expected verdict", Read("misc/other.py").SkipReason);
    }

    [Fact]
    public void Expectations_yaml_matches_by_prefix_and_knows_bapctools_words()
    {
        Write("expectations.yaml", """
            mixed/: does not terminate
            mixed/bob: wrong answer
            """);
        Write("mixed/alice.py", "");
        Write("mixed/bob.py", "");

        Assert.Equal("TLE|MLE|OLE|RE", Read("mixed/alice.py").Expectation!.Describe());
        Assert.Equal("TLE|MLE|OLE|RE; WA", Read("mixed/bob.py").Expectation!.Describe());
    }

    [Theory]
    [InlineData("accepted: {permitted: [AC, XX]}", "submissions/submissions.yaml: accepted: permitted: 'XX' is not a verdict")]
    [InlineData("accepted: {permited: [AC]}", "'permited' is neither a known key")]
    [InlineData("accepted: [1, 2, 3]", "expected a number or a list of two numbers")]
    [InlineData("- accepted", "must be a mapping of submission patterns")]
    public void A_malformed_submissions_yaml_is_refused_naming_the_key(string yaml, string message)
    {
        Write("submissions.yaml", yaml);
        Write("accepted/a.py", "");

        var error = Assert.Throws<InvalidDataException>(() => PackageSubmissions.Read(package));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Languages_this_judge_does_not_know_and_multi_file_programs_are_named_not_dropped()
    {
        Write("accepted/sol.kt", "fun main() {}");
        Write("accepted/multi/main.py", "import util");
        Write("accepted/multi/util.py", "");
        Write("accepted/single/main.cpp", "int main(){}");

        Assert.Equal("kotlin", Read("accepted/sol.kt").Language);
        Assert.Contains("2 source files", Read("accepted/multi").SkipReason);
        Assert.Equal("cpp17", Read("accepted/single").Language);
    }

    [Fact]
    public void A_case_folder_is_read_with_its_case_json()
    {
        Write("wa-short/case.json", """{"language": "python3", "verdict": "WA", "score": 30, "tests": {"secret/1": "AC"}}""");
        Write("wa-short/source.py", "print(0)");
        Write("broken/case.json", """{"language": "python3"}""");
        Write("broken/source.py", "");

        var submission = Read("wa-short");
        Assert.Equal("python3", submission.Language);
        Assert.Equal("WA score 30", submission.Expectation!.Describe());
        Assert.EndsWith("source.py", submission.SourcePath);
        Assert.Equal("submissions/broken/case.json: verdict is missing", Read("broken").SkipReason);
    }
}
