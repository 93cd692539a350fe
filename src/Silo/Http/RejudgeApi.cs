using System.Globalization;
using Judge.Interfaces;
using Judge.ServiceDefaults.Auth;
using Judge.Silo.Http;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Rejudging and the stored source: <c>POST /api/submissions/{id}/rejudge</c> (scope <c>admin</c>) and
/// <c>GET /api/submissions/{id}/source</c> (scope <c>read</c>, or <c>submit</c> for one's own submissions).</summary>
public static partial class RejudgeApi
{
    /// <summary>Maps the two routes on the <c>/api</c> group.</summary>
    public static RouteGroupBuilder MapRejudgeApi(this RouteGroupBuilder api)
    {
        api.MapPost("/submissions/{id}/rejudge", Rejudge).RequireScope(JudgeScopes.Admin).RequireSubmitRateLimit();
        api.MapGet("/submissions/{id}/source", GetSource).RequireScope(JudgeScopes.Read, ownSubmissionsSuffice: true);
        return api;
    }

    private static IResult Error(int status, string message, string? id = null) =>
        Results.Json(new JudgeApi.ErrorBody(message, id), statusCode: status);

    private static async Task<IResult> Rejudge(string id, HttpContext context, IGrainFactory grains, ILoggerFactory loggers)
    {
        if (!SubmissionInput.IsValidId(id))
            return Error(404, $"submission '{SubmissionJson.Echo(id)}' not found (not a valid submission id)");
        var caller = context.GetJudgeCaller();
        if (!caller.Has(JudgeScopes.Admin))
            return Error(403, $"rejudging needs a key with the '{JudgeScopes.Admin}' scope");

        int? expected = null;
        if (context.Request.Query.TryGetValue("judging", out var value))
        {
            if (!int.TryParse(value.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var judging) || judging < 1)
                return Error(400, $"query parameter 'judging' must be the current judging's number (a whole number from 1), not '{SubmissionJson.Echo(value.ToString())}'");
            expected = judging;
        }

        var answer = await grains.GetGrain<ISubmissionGrain>(id).Rejudge(expected);
        var location = $"/api/submissions/{Uri.EscapeDataString(id)}";
        switch (answer.Outcome)
        {
            case RejudgeOutcome.Unknown:
                return Error(404, $"submission '{id}' not found", id);
            case RejudgeOutcome.NotFinished:
                return Error(409, $"submission '{id}' is still being judged (judging {answer.Judging}); only a finished submission can be rejudged", id);
            case RejudgeOutcome.JudgingMismatch:
                return Error(409, $"submission '{id}' is at judging {answer.Judging}, not judging {expected}; GET {location} shows its current judging", id);
            default:
                if (answer.Outcome == RejudgeOutcome.Started)
                    LogRejudged(loggers.CreateLogger(typeof(RejudgeApi).FullName!), id, answer.Judging, caller.KeyName ?? "(no key: open judge)");
                return Results.Accepted(location, new { id, judging = answer.Judging });
        }
    }

    private static async Task<IResult> GetSource(string id, HttpContext context, IGrainFactory grains)
    {
        if (!SubmissionInput.IsValidId(id))
            return Error(404, $"submission '{SubmissionJson.Echo(id)}' not found (not a valid submission id)");
        var request = await grains.GetGrain<ISubmissionGrain>(id).GetRequest();
        // A caller that may not read the submission learns nothing, not even that it exists.
        if (request is null || !context.GetJudgeCaller().CanRead(request.SubmittedBy))
            return Error(404, $"submission '{id}' not found", id);
        context.Response.Headers.XContentTypeOptions = "nosniff";
        return Results.Bytes(request.SourceContent(), "application/octet-stream");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Rejudging {SubmissionId} as judging {Judging}, asked by key {KeyName}")]
    private static partial void LogRejudged(ILogger logger, string submissionId, int judging, string keyName);
}
