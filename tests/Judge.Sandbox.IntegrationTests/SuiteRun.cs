using System.Collections.Concurrent;
using Judge.Engine.Judging;

namespace Judge.Sandbox.IntegrationTests;

/// <summary>What one case got and what was wrong with it.</summary>
public sealed record SuiteCaseResult(SuiteCase Case, JudgeReport? Report, IReadOnlyList<string> Problems);

/// <summary>Judges each of its <c>cases</c> (of <see cref="SuiteCases"/>) once, through one level's <c>judge</c> (the engine, or a
/// silo over HTTP): the cases that may share the machine at most <c>slots</c> at once, then each case that must run alone
/// (<see cref="SuiteCase.RunsAlone"/>) by itself. Started by the first theory row that asks; each row awaits its own case.
/// A case agrees when the expectation has no disagreement and the host shows no effect of it.</summary>
public sealed class SuiteRun(string level, IReadOnlyList<SuiteCase> cases, Func<SuiteCase, CancellationToken, Task<JudgeReport>> judge, HostileHost host, int slots)
{
    private static readonly TimeSpan CaseTimeout = TimeSpan.FromMinutes(4);

    private readonly ConcurrentDictionary<string, TaskCompletionSource<SuiteCaseResult>> results = new(
        cases.Select(c => KeyValuePair.Create(c.Name, new TaskCompletionSource<SuiteCaseResult>(TaskCreationOptions.RunContinuationsAsynchronously))));

    private Task? run;

    /// <summary>The result of the case named <paramref name="name"/>, judging every case first when none has been.</summary>
    public async Task<SuiteCaseResult> ResultAsync(string name)
    {
        lock (results)
            run ??= Task.Run(() => RunAllAsync(judge, host, slots));
        return await results[name].Task;
    }

    /// <summary>Which level this run judges at (<c>engine</c>, <c>http</c>), for messages.</summary>
    public string Level => level;

    private async Task RunAllAsync(Func<SuiteCase, CancellationToken, Task<JudgeReport>> judge, HostileHost host, int slots)
    {
        using var gate = new SemaphoreSlim(slots);
        await Task.WhenAll(cases.Where(c => !c.RunsAlone).Select(async c =>
        {
            await gate.WaitAsync();
            try
            {
                results[c.Name].SetResult(await JudgeOneAsync(c, judge, host));
            }
            finally
            {
                gate.Release();
            }
        }));
        foreach (var c in cases.Where(c => c.RunsAlone))
            results[c.Name].SetResult(await JudgeOneAsync(c, judge, host));
    }

    private static async Task<SuiteCaseResult> JudgeOneAsync(SuiteCase c, Func<SuiteCase, CancellationToken, Task<JudgeReport>> judge, HostileHost host)
    {
        if (c.Submission.SkipReason is { } skip)
            return new SuiteCaseResult(c, null, [$"not judged: {skip}"]);
        if (c.Submission.Expectation is not { } expectation)
            return new SuiteCaseResult(c, null, ["no expected verdict"]);
        try
        {
            var effect = HostEffect.Parse(c.Case?.Effect ?? "none");
            effect.Prepare();
            var contactsBefore = host.Contacts;
            using var timeout = new CancellationTokenSource(CaseTimeout);
            var report = await judge(c, timeout.Token);
            var problems = expectation.Disagreements(report).ToList();
            if (effect.Check(host, contactsBefore, report) is { } harm)
                problems.Add(harm);
            return new SuiteCaseResult(c, report, problems);
        }
        catch (Exception e)
        {
            return new SuiteCaseResult(c, null, [$"judging failed: {e}"]);
        }
    }

    /// <summary>Writes what the case got, hiding the host's secret, and fails with every problem found.</summary>
    public static void Assert(SuiteCaseResult result, HostileHost host, ITestOutputHelper output)
    {
        string Hide(string? text) => (text ?? "").Replace(host.Secret, "<SECRET>", StringComparison.Ordinal);
        var c = result.Case;
        output.WriteLine($"{c.Name} ({c.Submission.Language}), expected {c.Submission.Expectation?.Describe()} ({c.Submission.Expectation?.Origin})" +
            (c.Case?.Note is { } note ? $": {note}" : ""));
        if (result.Report is { } report)
        {
            output.WriteLine($"got {report.Verdict} score {report.Score?.ToString() ?? "-"} of {report.MaxScore?.ToString() ?? "-"} {Hide(report.Message)}");
            foreach (var test in report.Tests)
                output.WriteLine($"  {test.Name}: {test.Verdict} cpu {test.CpuTime.TotalMilliseconds:0} ms, peak {test.PeakMemoryBytes / 1024} KiB, score {test.Score?.ToString() ?? "-"} {Hide(test.Message)} | judges: {Hide(test.JudgeMessage)}");
            if (report.CompileOutput is { Length: > 0 } compileOutput)
                output.WriteLine("compile output:\n" + Hide(compileOutput.Length <= 2000 ? compileOutput : compileOutput[..2000] + "..."));
        }
        Xunit.Assert.True(result.Problems.Count == 0, $"{c.Name}: {Hide(string.Join("; ", result.Problems))}");
    }
}
