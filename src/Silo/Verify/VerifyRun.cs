using Judge.Engine.Judging;
using Judge.Engine.Problems;
using Judge.Engine.Problems.Store;
using Judge.Engine.Verification;
using Judge.Grains.Toolchains;

namespace Judge.Silo.Verify;

/// <summary>One run of <c>verify</c>: loads each package as a silo does (copied into the problem cache and validated), then
/// judges its submissions, at most <c>slots</c> at once, and compares each result with its expectation. Each judged
/// submission is announced on <c>progress</c> as it finishes; a cancelled run reports the rest as skipped.</summary>
internal sealed class VerifyRun(SubmissionJudge judge, ToolchainInventory toolchains, PackageLimits limits, string cacheDirectory, ILogger problemsLogger,
    int slots, TextWriter progress)
{
    public async Task<VerifyReport> RunAsync(IReadOnlyList<string> packageDirectories, CancellationToken cancellationToken)
    {
        var packages = new List<PackageResult>();
        var jobs = new List<(string Package, Problem Problem, PackageSubmission Submission)>();
        foreach (var directory in packageDirectories)
        {
            var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
            var (problem, loadError) = await LoadAsync(full, cancellationToken);
            var name = Path.GetFileName(full);
            IReadOnlyList<PackageSubmission> submissions;
            try
            {
                submissions = PackageSubmissions.Read(full);
            }
            catch (InvalidDataException e)
            {
                packages.Add(new PackageResult(name, e.Message));
                continue;
            }
            packages.Add(new PackageResult(name, loadError));
            if (problem is null)
                continue;
            foreach (var submission in submissions)
                jobs.Add((name, problem, submission));
        }

        using var gate = new SemaphoreSlim(slots);
        var done = 0;
        var results = await Task.WhenAll(jobs.Select(async job =>
        {
            SubmissionResult result;
            try
            {
                await gate.WaitAsync(cancellationToken);
                try
                {
                    result = await JudgeAsync(job.Package, job.Problem, job.Submission, cancellationToken);
                }
                finally
                {
                    gate.Release();
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return SubmissionResult.Skipped(job.Package, job.Submission, "not judged: interrupted");
            }
            var count = Interlocked.Increment(ref done);
            if (result.Report is { } report)
            {
                lock (progress)
                    progress.WriteLine($"[{count}/{jobs.Count}] {job.Package}/{job.Submission.Path}: {report.Verdict} ({(result.Outcome == Outcome.Agree ? "agrees" : "DISAGREES")})");
            }
            return result;
        }));
        return new VerifyReport(packages, results, cancellationToken.IsCancellationRequested);
    }

    /// <summary>The package through the silo's problem cache: copied by content hash, its links checked, validated by
    /// <see cref="ProblemLoader"/>; or why it is refused.</summary>
    private async Task<(Problem? Problem, string? Error)> LoadAsync(string directory, CancellationToken cancellationToken)
    {
        var id = Path.GetFileName(directory);
        var parent = Path.GetDirectoryName(directory) ?? directory;
        if (PackageFiles.PathError(id) is { } nameError)
            return (null, $"the directory name '{id}' cannot be a problem id: {nameError}");
        // A package that states no time limit gets it derived from its accepted submissions, as a silo does (recorded next
        // to the cached version, so that verifying the same version again does not derive it again).
        var derivation = new TimeLimitDerivation(new TimeLimitDeriver(judge), () => toolchains.Available,
            new FileDerivedTimeLimitStore(cacheDirectory), TimeLimitDerivation.DefaultTimeout);
        using var cache = new ProblemCache(new DirectoryPackageStore(parent, limits), cacheDirectory, limits, TimeProvider.System, problemsLogger,
            keepReplaced: TimeSpan.Zero, unknownLookupInterval: TimeSpan.Zero, derivation);
        try
        {
            if (await cache.WhenReadyAsync(id, cancellationToken) is { } problem)
                return (problem, null);
        }
        catch (ProblemStoreException e)
        {
            return (null, e.Message);
        }
        if (cache.Errors.FirstOrDefault(e => e.Problem == id) is { } rejected)
            return (null, $"{rejected.File}: {rejected.Reason}");
        return (null, "the package could not be copied into the problem cache (see the log above)");
    }

    private async Task<SubmissionResult> JudgeAsync(string package, Problem problem, PackageSubmission submission, CancellationToken cancellationToken)
    {
        if (submission.SkipReason is { } skip)
            return SubmissionResult.Skipped(package, submission, skip);
        if (submission.Expectation is not { } expectation)
            return SubmissionResult.Skipped(package, submission, "no expected verdict");
        if (submission.Language is not { } id || !toolchains.Available.TryGetValue(id, out var language))
        {
            var why = submission.Language is null ? "unknown" : toolchains.Unavailable.GetValueOrDefault(submission.Language, "not a language this judge knows");
            return SubmissionResult.Skipped(package, submission, $"language {submission.Language ?? "?"} is not offered here: {why}");
        }

        var source = await File.ReadAllTextAsync(submission.SourcePath!, cancellationToken);
        var report = await judge.JudgeAsync(problem, language, source, IJudgeProgress.None, expectation.RunAll, cancellationToken);
        var reasons = expectation.Disagreements(report);
        return new SubmissionResult(package, submission.Path, id, expectation.Describe(), report, reasons.Count == 0 ? Outcome.Agree : Outcome.Disagree, reasons);
    }
}

/// <summary>Whether a package loaded, and why not.</summary>
internal sealed record PackageResult(string Package, string? Error);

/// <summary>How a submission's judgement compared with its expectation.</summary>
internal enum Outcome
{
    Agree,
    Disagree,
    Skipped,
}

/// <summary>One submission's line of the report.</summary>
internal sealed record SubmissionResult(string Package, string Submission, string? Language, string Expected, JudgeReport? Report, Outcome Outcome, IReadOnlyList<string> Reasons)
{
    public static SubmissionResult Skipped(string package, PackageSubmission submission, string reason) =>
        new(package, submission.Path, submission.Language, submission.Expectation?.Describe() ?? "-", null, Outcome.Skipped, [reason]);
}
