using Judge.Abstractions;
using Judge.Engine.Problems;
using Judge.Grains.Toolchains;
using Judge.Interfaces;

namespace Judge.Grains.Submissions;

/// <summary>The one place that decides whether this cluster takes a submission: a problem this silo has (or is deriving
/// the time limit of), a known language some silo offers, and a callback URL the webhook policy allows. HTTP
/// (<c>POST /api/submissions</c>, answered 400) and SQS (through <see cref="SubmissionCheckGrain"/>, dead-lettered) both ask it.</summary>
public sealed class SubmissionIntake(IProblemSource problems, ClusterLanguages languages, IResultsOut resultsOut)
{
    /// <returns><c>null</c> when the submission can be judged, else why not, in words safe to show its submitter.</returns>
    public async Task<string?> CheckAsync(SubmissionRequest request, CancellationToken cancellationToken = default) =>
        await ProblemAsync(request.Problem, cancellationToken) ?? Language(request.Language) ?? resultsOut.CheckCallback(request.CallbackUrl);

    // A problem whose time limit is being derived is accepted: its submissions are judged once the limit is known.
    private async Task<string?> ProblemAsync(string problem, CancellationToken cancellationToken)
    {
        if (await problems.FindAsync(problem, cancellationToken) is not null || problems.IsDeriving(problem))
            return null;
        return problems.Errors.LastOrDefault(e => e.Problem == problem) is { } rejection
            ? $"problem '{SubmissionJson.Echo(problem)}' is refused: {rejection.File}: {rejection.Reason}"
            : $"unknown problem '{SubmissionJson.Echo(problem)}'; GET /api/problems lists the problems";
    }

    private string? Language(string language)
    {
        if (!LanguageIds.IsKnown(language))
            return $"unknown language '{SubmissionJson.Echo(language)}'; known languages: {string.Join(", ", LanguageIds.All)}";
        if (!languages.IsOffered(language))
            return $"language '{SubmissionJson.Echo(language)}' is not offered by any silo of this cluster; offered: {string.Join(", ", languages.OfferedIds())}";
        return null;
    }
}
