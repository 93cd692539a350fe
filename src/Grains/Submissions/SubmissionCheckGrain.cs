using Judge.Abstractions;
using Judge.Engine.Problems;
using Judge.Grains.Toolchains;
using Judge.Interfaces;
using Orleans.Concurrency;

namespace Judge.Grains.Submissions;

/// <summary>Checks submissions against the problems this silo loaded, the languages the cluster offers and the webhook policy.</summary>
[StatelessWorker, GrainType("submission-check")]
public sealed class SubmissionCheckGrain(IProblemSource problems, ClusterLanguages languages, IResultsOut resultsOut) : Grain, ISubmissionCheckGrain
{
    public async Task<string?> Check(SubmissionRequest request) =>
        await Problem(request) ?? Language(request) ?? resultsOut.CheckCallback(request.CallbackUrl);

    // A problem whose time limit is being derived is accepted: its submissions are judged once the limit is known.
    private async Task<string?> Problem(SubmissionRequest request) => await problems.FindAsync(request.Problem) is null && !problems.IsDeriving(request.Problem)
        ? $"unknown problem '{SubmissionJson.Echo(request.Problem)}'; known problems: {string.Join(", ", problems.Problems.Select(p => p.Id))}"
        : null;

    private string? Language(SubmissionRequest request)
    {
        if (!LanguageIds.IsKnown(request.Language))
            return $"unknown language '{SubmissionJson.Echo(request.Language)}'; known languages: {string.Join(", ", LanguageIds.All)}";
        if (!languages.IsOffered(request.Language))
            return $"language '{SubmissionJson.Echo(request.Language)}' is not offered by any silo of this cluster; offered: {string.Join(", ", languages.OfferedIds())}";
        return null;
    }
}
