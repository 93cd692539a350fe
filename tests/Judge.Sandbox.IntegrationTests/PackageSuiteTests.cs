using System.Collections.Concurrent;
using Judge.Engine.Judging;
using Judge.Engine.Languages;
using Judge.Engine.Problems;

namespace Judge.Sandbox.IntegrationTests;

/// <summary>
/// Judges every case of tests/packages (tests/packages/README.md) through <see cref="SubmissionJudge"/>, the isolating sandbox
/// of <see cref="TestSandbox"/> and the real toolchains: the verdict, and where the case names them the score, the first
/// failing test's message and single tests' verdicts, must be what the case expects.
/// </summary>
public class PackageSuiteTests(ITestOutputHelper output)
{
    private static readonly TimeSpan CaseTimeout = TimeSpan.FromMinutes(4);

    // One judge for the whole suite, so package programs are built once per content hash, as on a silo.
    private static readonly Lazy<SubmissionJudge> Judge = new(() =>
        new SubmissionJudge(TestSandbox.Create(), JudgeOptions.Default with { WorkRoot = TestSandbox.WorkRoot }));

    private static readonly ConcurrentDictionary<string, Problem> Problems = new(StringComparer.Ordinal);

    public static TheoryData<string> Cases => new(PackageCase.Names(RepositoryPaths.Packages));

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Package_submission_gets_its_expected_judgement(string name)
    {
        var expected = PackageCase.Load(RepositoryPaths.Packages, name);
        var problem = Problems.GetOrAdd(expected.Problem, id => ProblemLoader.Load(Path.Combine(RepositoryPaths.Packages, id)));
        var language = LanguageCatalog.Find(expected.Language)
            ?? throw new InvalidDataException($"{name}: unknown language '{expected.Language}'");

        using var timeout = new CancellationTokenSource(CaseTimeout);
        var report = await Judge.Value.JudgeAsync(problem, language, expected.Source, IJudgeProgress.None, expected.RunAll, timeout.Token);

        output.WriteLine($"{name}: {report.Verdict} score {report.Score?.ToString() ?? "-"} of {report.MaxScore?.ToString() ?? "-"} {report.Message}");
        foreach (var test in report.Tests)
            output.WriteLine($"  {test.Name}: {test.Verdict} score {test.Score?.ToString() ?? "-"} {test.Message} | judges: {test.JudgeMessage}");
        if (report.CompileOutput is { Length: > 0 } compileOutput)
            output.WriteLine("compile output:\n" + compileOutput);

        Assert.Equal(expected.Verdict, report.Verdict.ToString());
        if (expected.Score is { } score)
        {
            Assert.NotNull(report.Score);
            Assert.Equal(score, report.Score.Value, 6);
        }

        if (expected.Message is { } fragment)
        {
            var message = report.Tests.FirstOrDefault(t => t.Verdict is not (Engine.Verdicts.Verdict.AC or Engine.Verdicts.Verdict.SK))?.Message
                ?? report.Tests.FirstOrDefault(t => t.Message is not null)?.Message
                ?? report.Message;
            Assert.Contains(fragment, message ?? "");
        }

        if (expected.JudgeMessage is { } judgeFragment)
        {
            var judgeMessage = report.Tests.FirstOrDefault(t => t.Verdict is not (Engine.Verdicts.Verdict.AC or Engine.Verdicts.Verdict.SK))?.JudgeMessage;
            Assert.Contains(judgeFragment, judgeMessage ?? "");
        }

        if (expected.Signal is { } signal)
            Assert.Equal(signal, report.Tests.First(t => t.Verdict is not (Engine.Verdicts.Verdict.AC or Engine.Verdicts.Verdict.SK)).Signal);

        if (expected.MessagesLack is { } secret)
        {
            Assert.All(report.Tests, test =>
            {
                Assert.DoesNotContain(secret, test.Message ?? "");
                Assert.DoesNotContain(secret, test.JudgeMessage ?? "");
            });
        }

        foreach (var (test, verdict) in expected.Tests)
            Assert.Equal((test, verdict), (test, report.Tests.Single(t => t.Name == test).Verdict.ToString()));
    }
}
