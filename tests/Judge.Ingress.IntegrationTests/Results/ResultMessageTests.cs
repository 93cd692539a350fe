using System.Collections.Immutable;
using System.Text;
using Judge.Interfaces;
using Judge.Results.Messages;

namespace Judge.Ingress.IntegrationTests.Results;

public sealed class ResultMessageTests
{
    private static readonly Submission Finished = new()
    {
        Id = "sub-42",
        Problem = "aplusb",
        Language = "python3",
        Status = SubmissionStatus.Finished,
        Verdict = Verdict.WA,
        Score = 0,
        MaxScore = 1,
        TimeMs = 14,
        MemoryKb = 9216,
        TestCount = 2,
        Tests = [
            new TestResult("sample/1", Verdict.WA, 14, 20, 9216, 0, null, "token 1 differs: \"-1\""),
            new TestResult("sample/2", Verdict.SK, 0, 0, 0),
        ],
        CreatedAt = new DateTimeOffset(2026, 11, 28, 9, 30, 0, TimeSpan.FromHours(1)),
        FinishedAt = new DateTimeOffset(2026, 11, 28, 8, 30, 1, 500, TimeSpan.Zero),
        JudgedBy = "S127.0.0.1:11111:1",
    };

    [Fact]
    public void Finished_submission_becomes_the_documented_version_1_body()
    {
        // The example in README.md, "Results out", is this body.
        Assert.Equal(
            """{"version":1,"id":"sub-42","problem":"aplusb","language":"python3","status":"finished","verdict":"WA","score":0,"maxScore":1,"timeMs":14,"memoryKb":9216,"testCount":2,"tests":[{"name":"sample/1","verdict":"WA","timeMs":14,"wallMs":20,"memoryKb":9216,"exitCode":0,"signal":null,"message":"token 1 differs: \"-1\"","score":null},{"name":"sample/2","verdict":"SK","timeMs":0,"wallMs":0,"memoryKb":0,"exitCode":null,"signal":null,"message":null,"score":null}],"compileOutput":null,"message":null,"createdAt":"2026-11-28T08:30:00.0000000Z","finishedAt":"2026-11-28T08:30:01.5000000Z","judgedBy":"S127.0.0.1:11111:1","truncated":false,"judging":1}""",
            ResultMessage.Build(Finished));
    }

    [Fact]
    public void A_rejudged_submissions_result_names_its_judging_last()
    {
        var body = ResultMessage.Build(Finished with { Judging = 3, Judgings = [new JudgingSummary(1, Verdict.AC, 1, 1, 5, 100, null, null, null)] });
        Assert.EndsWith(""","truncated":false,"judging":3}""", body);
        Assert.Equal(ResultMessage.Build(Finished)[..^"1}".Length], body[..^"3}".Length]); // the earlier judgings are not in it
    }

    [Fact]
    public void The_same_submission_always_gives_the_same_bytes()
    {
        Assert.Equal(ResultMessage.Build(Finished), ResultMessage.Build(Finished with { Tests = [.. Finished.Tests] }));
    }

    [Fact]
    public void Unfinished_submission_is_not_a_result()
    {
        var error = Assert.Throws<ArgumentException>(() => ResultMessage.Build(Finished with { Status = SubmissionStatus.Running, Verdict = null }));
        Assert.Contains("not finished", error.Message);
    }

    [Fact]
    public void Result_too_large_for_sqs_keeps_its_verdicts_and_cuts_long_texts()
    {
        var huge = Finished with
        {
            CompileOutput = new string('w', 64 * 1024),
            Tests = Enumerable.Range(0, 400).Select(i => new TestResult($"secret/{i}", Verdict.WA, 1, 1, 1, 0, null, new string('m', 2000) + "😀")).ToImmutableArray(),
        };
        var body = ResultMessage.Build(huge);
        Assert.True(Encoding.UTF8.GetByteCount(body) <= ResultMessage.MaxBytes);
        using var json = System.Text.Json.JsonDocument.Parse(body);
        Assert.True(json.RootElement.GetProperty("truncated").GetBoolean());
        Assert.Equal(400, json.RootElement.GetProperty("tests").GetArrayLength());
        Assert.Equal(ResultMessage.TruncatedCompileOutputChars + 1, json.RootElement.GetProperty("compileOutput").GetString()!.Length);
    }
}
