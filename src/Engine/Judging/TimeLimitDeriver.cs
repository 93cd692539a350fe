using Judge.Engine.Languages;
using Judge.Engine.Problems;
using Judge.Engine.Verdicts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Judge.Engine.Judging;

/// <summary>Derives the time limit of a package that states none, the way the Kattis format and problemtools do: judges
/// every accepted submission (<c>submissions/accepted/*</c>, in the languages offered) through the real pipeline with a
/// generous limit, takes the slowest test's CPU time of the slowest of them, multiplies it by the package's multiplier
/// and rounds up to its time resolution (<see cref="TimeMultipliers.LimitFor"/>).</summary>
public sealed partial class TimeLimitDeriver(SubmissionJudge judge, ILogger<TimeLimitDeriver>? logger = null)
{
    /// <summary>The package folder whose submissions set the limit.</summary>
    public const string AcceptedFolder = "submissions/accepted";

    /// <summary>The largest accepted submission file that is run, in bytes.</summary>
    public const long MaxSourceBytes = 1024 * 1024;

    /// <summary>CPU time each test of an accepted submission may use while the limit is derived (default 60 s): an accepted
    /// submission slower than that would give a limit of at least 2 min (2023-07 default multiplier 2) or 5 min (legacy 5),
    /// beyond any contest's, and the cap bounds how long a broken package occupies the sandbox (tests x submissions x cap;
    /// problemtools uses 5 min, for a single problem setter's machine).</summary>
    public static readonly TimeSpan DefaultRunLimit = TimeSpan.FromSeconds(60);

    private readonly ILogger log = logger ?? NullLogger<TimeLimitDeriver>.Instance;
    private int judged;

    /// <summary>The CPU time each test may use while the limit is derived.</summary>
    public TimeSpan RunLimit { get; init; } = DefaultRunLimit;

    /// <summary>Accepted submissions judged so far by this deriver (for tests and metrics).</summary>
    public int SubmissionsJudged => Volatile.Read(ref judged);

    /// <summary>Derives the time limit of <paramref name="problem"/> from its accepted submissions written in the
    /// <paramref name="offered"/> languages; submissions in other languages are skipped, and said so in the result.</summary>
    /// <exception cref="ProblemFormatException">No accepted submission can be run, one of them is not accepted (the message
    /// names its file and verdict), or the derived limit is larger than <see cref="ProblemLoader.MaxTimeLimitSeconds"/>.</exception>
    public async Task<DerivedTimeLimit> DeriveAsync(Problem problem, IReadOnlyDictionary<string, Language> offered, CancellationToken cancellationToken = default)
    {
        var multipliers = problem.Limits.Multipliers;
        var (runnable, skipped) = CheckDerivable(problem, offered);

        var trial = problem with
        {
            Limits = problem.Limits with { TimeLimit = RunLimit, DerivesTimeLimit = false, TimeLimitSource = "the derivation's run limit" },
        };
        var slowest = TimeSpan.MinValue;
        var slowestFile = "";
        foreach (var (file, language, source) in runnable)
        {
            var report = await judge.JudgeAsync(trial, language, source, IJudgeProgress.None, runAll: false, cancellationToken);
            Interlocked.Increment(ref judged);
            if (!FullyAccepted(problem, report))
                throw new ProblemFormatException(problem.Id, file, NotAccepted(report));
            LogJudged(log, problem.Id, file, language.Id, report.MaxCpuTime.TotalSeconds);
            if (report.MaxCpuTime > slowest)
                (slowest, slowestFile) = (report.MaxCpuTime, file);
        }

        var limit = multipliers.LimitFor(slowest);
        var derived = new DerivedTimeLimit(limit, slowest, slowestFile, multipliers.AcToTimeLimit, multipliers.Resolution, skipped);
        if (limit.TotalSeconds > ProblemLoader.MaxTimeLimitSeconds)
        {
            throw new ProblemFormatException(problem.Id, slowestFile,
                $"the time limit derived from it is larger than {ProblemLoader.MaxTimeLimitSeconds} s ({derived.Description})");
        }

        LogDerived(log, problem.Id, derived.Description, skipped.Count);
        return derived;
    }

    /// <summary>Checks, without running anything, that <paramref name="problem"/> has an accepted submission in an
    /// <paramref name="offered"/> language; returns them, and the others with why they are skipped.</summary>
    /// <exception cref="ProblemFormatException">There is none: the message says so and lists the skipped ones.</exception>
    public static (List<(string File, Language Language, string Source)> Runnable, List<string> Skipped) CheckDerivable(
        Problem problem, IReadOnlyDictionary<string, Language> offered)
    {
        var (runnable, skipped) = FindAccepted(problem, offered);
        if (runnable.Count == 0)
        {
            var why = skipped.Count == 0 ? $"there is none in {AcceptedFolder}/" : $"none in {AcceptedFolder}/ can be run here ({string.Join("; ", skipped)})";
            throw new ProblemFormatException(problem.Id, AcceptedFolder,
                $"the package states no time limit (problem.yaml limits.time_limit, .timelimit or domjudge-problem.ini) and it cannot be derived from accepted submissions: {why}");
        }
        return (runnable, skipped);
    }

    /// <summary>The accepted submissions this judge can run, in ordinal name order, and the others with why not.</summary>
    private static (List<(string File, Language Language, string Source)> Runnable, List<string> Skipped) FindAccepted(
        Problem problem, IReadOnlyDictionary<string, Language> offered)
    {
        var runnable = new List<(string, Language, string)>();
        var skipped = new List<string>();
        var folder = Path.Combine(problem.Directory, "submissions", "accepted");
        if (!Directory.Exists(folder) || new DirectoryInfo(folder).LinkTarget is not null)
            return (runnable, skipped);
        foreach (var entry in new DirectoryInfo(folder).EnumerateFileSystemInfos().OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            var file = $"{AcceptedFolder}/{entry.Name}";
            if (entry.LinkTarget is not null)
                skipped.Add($"{file}: a symbolic link, not run");
            else if (entry is DirectoryInfo)
                skipped.Add($"{file}: a submission of several files, which this judge does not run");
            else if (!ProblemLoader.IsRegularFile(entry.FullName))
                skipped.Add($"{file}: not a regular file");
            else if (((FileInfo)entry).Length > MaxSourceBytes)
                skipped.Add($"{file}: larger than {MaxSourceBytes / 1024} KiB");
            else if (SubmissionFileLanguages.Pick(entry.Name, offered) is ({ } language, _))
                runnable.Add((file, language, File.ReadAllText(entry.FullName)));
            else
                skipped.Add($"{file}: {SubmissionFileLanguages.Pick(entry.Name, offered).Reason}");
        }
        return (runnable, skipped);
    }

    private static bool FullyAccepted(Problem problem, JudgeReport report) =>
        report.Verdict == Verdict.AC && (!problem.Scoring || report.Score is null || report.MaxScore is null || report.Score >= report.MaxScore - 1e-9);

    private string NotAccepted(JudgeReport report)
    {
        var failed = report.Tests.FirstOrDefault(t => t.Verdict is not (Verdict.AC or Verdict.SK));
        var verdict = report.Verdict == Verdict.AC ? $"AC with {report.Score} of {report.MaxScore} points" : report.Verdict.ToString();
        var where = failed is null ? "" : $" on test {failed.Name}";
        var detail = failed?.Message ?? report.Message;
        if (detail is null && report.Verdict == Verdict.CE)
            detail = report.CompileOutput;
        if (detail is { Length: > 300 })
            detail = detail[..300] + "...";
        var cap = report.Verdict == Verdict.TLE ? $", with up to {RunLimit.TotalSeconds:0} s of CPU time per test" : "";
        return $"an accepted submission got {verdict}{where}{(detail is null ? "" : $" ({detail.Trim()})")}{cap}, so the time limit cannot be derived";
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Problem {Problem}: accepted submission {File} ({Language}) took {Seconds} s on its slowest test")]
    private static partial void LogJudged(ILogger logger, string problem, string file, string language, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Problem {Problem}: time limit {Description} ({Skipped} accepted submissions skipped)")]
    private static partial void LogDerived(ILogger logger, string problem, string description, int skipped);
}
