using Judge.Engine.Judging;
using Judge.Engine.Problems;
using Judge.Grains.Toolchains;
using Judge.Interfaces;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace Judge.Grains.Workers;

/// <summary>Judges submissions of one language on this silo; each language's subclass has its own pinned grain type.</summary>
public abstract partial class JudgeWorker(
    IProblemSource problems,
    ToolchainInventory toolchains,
    SubmissionJudge judge,
    JudgeSlots slots,
    ILocalSiloDetails silo,
    ILogger<JudgeWorker> logger) : Grain, IJudgeWorker
{
    /// <summary>The language id this worker judges.</summary>
    protected abstract string LanguageId { get; }

    public async Task<JudgeResult> Judge(JudgeJob job)
    {
        var judgedBy = silo.SiloAddress.ToString();
        if (!toolchains.Available.TryGetValue(LanguageId, out var language))
            return Failure($"silo {judgedBy} does not offer language '{LanguageId}'", judgedBy);
        if (job.Request.Language != LanguageId)
            return Failure($"a {job.Request.Language} submission reached the {LanguageId} worker", judgedBy);
        if (await problems.FindAsync(job.Request.Problem) is not { } problem)
            return Failure($"problem '{job.Request.Problem}' is not available on silo {judgedBy}", judgedBy);

        using var slot = await slots.AcquireAsync();
        var submission = GrainFactory.GetGrain<ISubmissionGrain>(job.SubmissionId);
        var progress = new ProgressReporter(submission, job.Attempt, logger, job.SubmissionId);
        await progress.ReportAsync(new JudgeProgress(JudgeProgressKind.Compiling));
        LogJudging(logger, job.SubmissionId, LanguageId, problem.Id, judgedBy);
        try
        {
            var report = await judge.JudgeAsync(problem, language, job.Request.Source, progress, job.Request.RunAll);
            LogJudged(logger, job.SubmissionId, LanguageId, report.Verdict.ToString());
            return report.ToContract(judgedBy);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogJudgeFailed(logger, e, job.SubmissionId, LanguageId);
            return Failure($"the judge failed on silo {judgedBy}: {e.Message}", judgedBy);
        }
    }

    public Task<LanguageInfo> Describe()
    {
        var language = toolchains.Available[LanguageId];
        return Task.FromResult(new LanguageInfo(language.Id, language.Name, language.Version, language.DisplayName));
    }

    private static JudgeResult Failure(string message, string judgedBy) => new(Verdict.IE, null, [], message, judgedBy);

    /// <summary>Forwards engine progress to the submission grain; a lost report never fails the judging.</summary>
    private sealed class ProgressReporter(ISubmissionGrain submission, int attempt, ILogger logger, string submissionId) : IJudgeProgress
    {
        public Task CompiledAsync(string? compileOutput, int testCount) =>
            ReportAsync(new JudgeProgress(JudgeProgressKind.Compiled, TestCount: testCount, CompileOutput: compileOutput));

        public Task TestStartedAsync(int index, string name) =>
            ReportAsync(new JudgeProgress(JudgeProgressKind.TestStarted, index, name));

        public Task TestJudgedAsync(int index, TestOutcome outcome) =>
            ReportAsync(new JudgeProgress(JudgeProgressKind.TestJudged, index, outcome.Name, outcome.ToContract()));

        public async Task ReportAsync(JudgeProgress progress)
        {
            try
            {
                await submission.ReportProgress(attempt, progress);
            }
            catch (Exception e)
            {
                LogProgressLost(logger, e, submissionId, progress.Kind.ToString());
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Judging {SubmissionId} in {Language} on problem {Problem} at {Silo}")]
    private static partial void LogJudging(ILogger logger, string submissionId, string language, string problem, string silo);

    [LoggerMessage(Level = LogLevel.Information, Message = "Judged {SubmissionId} in {Language}: {Verdict}")]
    private static partial void LogJudged(ILogger logger, string submissionId, string language, string verdict);

    [LoggerMessage(Level = LogLevel.Error, Message = "Judging {SubmissionId} in {Language} failed")]
    private static partial void LogJudgeFailed(ILogger logger, Exception exception, string submissionId, string language);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Progress {Kind} of {SubmissionId} could not be reported")]
    private static partial void LogProgressLost(ILogger logger, Exception exception, string submissionId, string kind);
}
