using System.Collections.Concurrent;
using Judge.Engine.Judging;
using Judge.Engine.Languages;
using Judge.Engine.Problems;
using Judge.Engine.Verification;

namespace Judge.Sandbox.IntegrationTests;

/// <summary>
/// Judges every case of tests/packages (tests/packages/README.md) through <see cref="SubmissionJudge"/>, the isolating sandbox
/// of <see cref="TestSandbox"/> and the real toolchains: the verdict, and where the case names them the score, the first
/// failing test's message and single tests' verdicts, must be what the case expects. The case.json reader and its checks are
/// the ones the <c>verify</c> command uses (<see cref="PackageCase"/>).
/// </summary>
public class PackageSuiteTests(ITestOutputHelper output)
{
    private static readonly TimeSpan CaseTimeout = TimeSpan.FromMinutes(4);

    // One judge for the whole suite, so package programs are built once per content hash, as on a silo.
    private static readonly Lazy<SubmissionJudge> Judge = new(() =>
        new SubmissionJudge(TestSandbox.Create(), JudgeOptions.Default with { WorkRoot = TestSandbox.WorkRoot }));

    private static readonly ConcurrentDictionary<string, Problem> Problems = new(StringComparer.Ordinal);

    /// <summary>Every case folder (<c>submissions/&lt;case&gt;/case.json</c>) of every package, as <c>problem/case</c>, sorted.</summary>
    public static TheoryData<string> Cases => new(
        Directory.EnumerateDirectories(RepositoryPaths.Packages)
            .SelectMany(problem => Directory.Exists(Path.Combine(problem, PackageSubmissions.Folder))
                ? Directory.EnumerateDirectories(Path.Combine(problem, PackageSubmissions.Folder))
                    .Where(c => File.Exists(Path.Combine(c, PackageCase.FileName)))
                    .Select(c => $"{Path.GetFileName(problem)}/{Path.GetFileName(c)}")
                : [])
            .Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Package_submission_gets_its_expected_judgement(string name)
    {
        var (problemId, folder) = (name.Split('/')[0], name.Split('/')[1]);
        var expected = PackageCase.Load(Path.Combine(RepositoryPaths.Packages, problemId, PackageSubmissions.Folder, folder), name);
        var problem = Problems.GetOrAdd(problemId, id => ProblemLoader.Load(Path.Combine(RepositoryPaths.Packages, id)));
        var language = LanguageCatalog.Find(expected.Language)
            ?? throw new InvalidDataException($"{name}: unknown language '{expected.Language}'");

        using var timeout = new CancellationTokenSource(CaseTimeout);
        var report = await Judge.Value.JudgeAsync(problem, language, File.ReadAllText(expected.SourcePath), IJudgeProgress.None, expected.RunAll, timeout.Token);

        output.WriteLine($"{name}: {report.Verdict} score {report.Score?.ToString() ?? "-"} of {report.MaxScore?.ToString() ?? "-"} {report.Message}");
        foreach (var test in report.Tests)
            output.WriteLine($"  {test.Name}: {test.Verdict} score {test.Score?.ToString() ?? "-"} {test.Message} | judges: {test.JudgeMessage}");
        if (report.CompileOutput is { Length: > 0 } compileOutput)
            output.WriteLine("compile output:\n" + compileOutput);

        Assert.Empty(expected.Disagreements(report));
    }
}
