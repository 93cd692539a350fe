using Judge.Abstractions;
using Judge.Engine.Problems;
using Judge.Grains.Submissions;
using Judge.Grains.Toolchains;
using Judge.Interfaces;
using Judge.ServiceDefaults.Auth;
using Judge.ServiceDefaults.Http;
using Judge.Silo.Http;
using Microsoft.AspNetCore.Diagnostics;

namespace Microsoft.AspNetCore.Builder;

/// <summary>The public HTTP API (ARCHITECTURE.md section 6): submissions, languages, problems, health.</summary>
public static class JudgeApi
{
    /// <summary>Default and largest wait of <c>?wait=true</c>, in seconds.</summary>
    public const int DefaultWaitSeconds = 60, MaxWaitSeconds = 600;

    public static WebApplication MapJudgeApi(this WebApplication app)
    {
        app.UseExceptionHandler(error => error.Run(async context =>
        {
            var exception = context.Features.Get<IExceptionHandlerFeature>()?.Error;
            if (exception is not null)
                context.RequestServices.GetService<Judge.Silo.Database.DatabasePools>()?.ClearIfLost(exception); // the next request gets a live connection
            if (exception is not null && TransientFailure.Describe(exception) is { } transient)
            {
                // Load or a changing cluster, not the request: worth repeating (a submission POST with the same id is idempotent).
                var retryAfter = context.RequestServices.GetRequiredService<JudgeHttpOptions>().RetryAfterSeconds;
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                context.Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
                await context.Response.WriteAsJsonAsync(new ErrorBody(
                    $"the judge is busy: {transient}; retry after {retryAfter} s (a submission sent again with the same id is not judged twice)"));
                return;
            }
            context.Response.StatusCode = exception is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError;
            var message = exception is BadHttpRequestException ? exception.Message : "internal error; the judge logged the details";
            await context.Response.WriteAsJsonAsync(new ErrorBody(message));
        }));

        var api = app.MapGroup("/api");
        api.MapPost("/submissions", Submit)
            .RequireScope(JudgeScopes.Submit).RequireSubmitRateLimit();
        api.MapGet("/submissions/{id}", GetSubmission)
            .RequireScope(JudgeScopes.Read, ownSubmissionsSuffice: true);
        // Languages and problems: readers, and submitters too (they pick from them); ownSubmissionsSuffice lets a
        // submit-only key through, and nothing here belongs to another key.
        api.MapGet("/languages", ListLanguages)
            .RequireScope(JudgeScopes.Read, ownSubmissionsSuffice: true);
        api.MapGet("/problems", ListProblems)
            .RequireScope(JudgeScopes.Read, ownSubmissionsSuffice: true);
        api.MapRejudgeApi();
        // /health and /ready (the silo is an active cluster member and its storage answers) come with the service defaults.
        return app;
    }

    /// <summary>The languages the cluster offers; with <c>?all=true</c> also every other language of the contract
    /// (<c>status: "unavailable"</c>) with the reason: this silo's (toolchain missing, self-test failed, not in
    /// <c>Judge:Toolchains</c>), else that no silo of the cluster offers it.</summary>
    private static async Task<IResult> ListLanguages(HttpContext context, ClusterLanguages languages)
    {
        var all = false;
        if (context.Request.Query.TryGetValue("all", out var value) && !bool.TryParse(value.ToString(), out all))
            return Error(400, $"query parameter 'all' must be true or false, not '{Truncate(value.ToString())}'");
        var offered = await languages.DescribeAsync();
        if (!all)
            return Results.Ok(offered);

        var local = context.RequestServices.GetService<Judge.Grains.Toolchains.ToolchainInventory>();
        var entries = offered.Select(l => new Dictionary<string, object?>
        {
            ["id"] = l.Id, ["name"] = l.Name, ["version"] = l.Version, ["displayName"] = l.DisplayName, ["status"] = "offered",
        }).ToList();
        foreach (var id in LanguageIds.All.Where(id => offered.All(l => l.Id != id)))
        {
            var reason = local?.Unavailable.GetValueOrDefault(id) is { } here
                ? $"silo {context.RequestServices.GetService<Orleans.Runtime.ILocalSiloDetails>()?.SiloAddress}: {here}"
                : "no silo of this cluster offers it";
            entries.Add(new() { ["id"] = id, ["status"] = "unavailable", ["reason"] = reason });
        }
        return Results.Ok(entries);
    }

    /// <summary>The problems offered, with their limits and where the time limit came from; with <c>?all=true</c> also the
    /// problems whose time limit is being derived (<c>status: "deriving"</c>) and those refused at load, with the reason
    /// naming the file (<c>status: "refused"</c>, <c>refused</c>; a problem still offered in an earlier version keeps its
    /// entry and gets <c>refused</c> for its newest one).</summary>
    private static IResult ListProblems(HttpContext context, IProblemSource problems)
    {
        var all = false;
        if (context.Request.Query.TryGetValue("all", out var value) && !bool.TryParse(value.ToString(), out all))
            return Error(400, $"query parameter 'all' must be true or false, not '{Truncate(value.ToString())}'");

        var refused = all
            ? problems.Errors.GroupBy(e => e.Problem, StringComparer.Ordinal).ToDictionary(g => g.Key, g => $"{g.Last().File}: {g.Last().Reason}", StringComparer.Ordinal)
            : [];
        var entries = new List<(string Id, Dictionary<string, object?> Entry)>();
        foreach (var p in problems.Problems)
        {
            var entry = new Dictionary<string, object?>
            {
                ["id"] = p.Id,
                ["name"] = p.Name,
                ["timeLimitMs"] = (long)p.Limits.TimeLimit.TotalMilliseconds,
                ["memoryLimitMb"] = p.Limits.MemoryBytes / (1024 * 1024),
                ["tests"] = p.Tests.Count,
                ["type"] = p.Scoring ? "scoring" : "pass-fail",
                ["timeLimitSource"] = p.Limits.TimeLimitSource,
                ["interactive"] = p.Validation == ValidationMode.Interactive,
                ["multiPass"] = p.MultiPass,
                ["status"] = "ready",
            };
            if (refused.Remove(p.Id, out var reason))
                entry["refused"] = reason;
            entries.Add((p.Id, entry));
        }

        if (all)
        {
            foreach (var id in problems.Deriving)
            {
                refused.Remove(id); // an earlier version's refusal: the version deriving now replaces it
                entries.Add((id, new() { ["id"] = id, ["name"] = id, ["status"] = "deriving", ["timeLimitSource"] = "being derived from submissions/accepted" }));
            }
            foreach (var (id, reason) in refused)
                entries.Add((id, new() { ["id"] = id, ["name"] = id, ["status"] = "refused", ["refused"] = reason }));
        }

        return Results.Ok(entries.OrderBy(e => e.Id, StringComparer.Ordinal).Select(e => e.Entry));
    }

    private static string Truncate(string text) => text.Length <= 64 ? text : text[..64] + "...";

    /// <summary>The body of every error answer.</summary>
    public sealed record ErrorBody(string Error, string? Id = null);

    private static IResult Error(int status, string message, string? id = null) => Results.Json(new ErrorBody(message, id), statusCode: status);

    /// <summary>The configuration key of the judges' token: with it (<c>Authorization: Bearer &lt;token&gt;</c>) and
    /// <c>?judge=true</c>, submissions are answered with each test's <c>judgeMessage</c>.</summary>
    public const string JudgeTokenKey = "Judge:Http:JudgeToken";

    /// <summary>The shortest judge token accepted.</summary>
    public const int MinJudgeTokenLength = 16;

    private static async Task<IResult> Submit(HttpContext context, IGrainFactory grains, SubmissionIntake intake, SubmissionAdmission admission,
        JudgeHttpOptions http)
    {
        var request = context.Request;
        if (request.ContentType is not { } contentType || !contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
            return Error(415, "the request body must be JSON with content-type application/json");
        var (judge, denied) = JudgeAccess(context);
        if (denied is not null)
            return denied;

        var (wait, waitTimeout, queryError) = ParseWait(request.Query);
        if (queryError is not null)
            return Error(400, queryError);

        var body = await ReadBodyAsync(request, context.RequestAborted);
        if (body is null)
            return Error(413, $"the request body is larger than {SubmissionInput.MaxBodyBytes / (1024 * 1024)} MiB");

        var parsed = SubmissionInput.Parse(body);
        if (parsed.Request is not { } submission)
            return Error(parsed.Status, parsed.Error!);
        submission = submission with { SubmittedBy = context.GetJudgeCaller().KeyName };

        if (await intake.CheckAsync(submission, context.RequestAborted) is { } refused)
            return Error(400, refused);

        var id = parsed.Id ?? Guid.CreateVersion7().ToString("N");
        var grain = grains.GetGrain<ISubmissionGrain>(id);
        // A place among this silo's unfinished submissions is taken before the grain accepts, so that concurrent submits
        // never overshoot the bound; a duplicate or a refusal gives it back.
        if (!admission.TryReserve())
        {
            context.Response.Headers.RetryAfter = http.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Error(503, $"the judge is full: {admission.Capacity} submissions accepted here are not finished yet "
                + $"({JudgeHttpOptions.Section}:MaxUnfinishedSubmissions); retry after {http.RetryAfterSeconds} s");
        }
        SubmitOutcome outcome;
        try
        {
            outcome = await grain.Submit(submission);
        }
        catch
        {
            admission.Cancel();
            throw;
        }
        if (outcome == SubmitOutcome.Accepted)
            admission.Accepted(id);
        else
            admission.Cancel();
        if (outcome == SubmitOutcome.Conflict)
            return Error(409, $"submission id '{id}' is already taken by a different submission", id);

        var location = $"/api/submissions/{Uri.EscapeDataString(id)}";
        if (!wait)
            return Results.Accepted(location, new { id });

        // Waiting for the verdict takes no place among Judge:Http:MaxConcurrentRequests: many clients may wait at once.
        context.ReleaseLoadPlace();
        // A copy of the submission that goes stale while it is waited on (a write failed) is waited out at the next copy.
        var result = await SubmissionWaits.WaitForResultAsync(grain.WaitForResult, waitTimeout, TimeProvider.System, context.RequestAborted);
        if (result is { Status: SubmissionStatus.Finished })
            return Results.Ok(ForAudience(result, judge));
        context.Response.Headers.Location = location;
        return Error(408, $"submission '{id}' did not finish within {waitTimeout.TotalSeconds:0} s; it is still being judged: poll GET {location}", id);
    }

    private static async Task<IResult> GetSubmission(string id, HttpContext context, IGrainFactory grains)
    {
        if (!SubmissionInput.IsValidId(id))
            return Error(404, $"submission '{SubmissionJson.Echo(id)}' not found (not a valid submission id)");
        var (judge, denied) = JudgeAccess(context);
        if (denied is not null)
            return denied;
        var submission = await grains.GetGrain<ISubmissionGrain>(id).Get();
        // A caller that may read only its own submissions is not told that the others exist.
        if (submission is not null && !context.GetJudgeCaller().CanRead(submission.SubmittedBy))
            submission = null;
        return submission is null ? Error(404, $"submission '{id}' not found", id) : Results.Ok(ForAudience(submission, judge));
    }

    /// <summary>Whether the request asks for judge messages (<c>?judge=true</c>) and may have them: the caller needs the
    /// <c>judge</c> scope (a key with it, the judges' token, or anyone on an open judge without a judges' token).</summary>
    private static (bool Judge, IResult? Denied) JudgeAccess(HttpContext context)
    {
        var request = context.Request;
        if (!request.Query.TryGetValue("judge", out var value))
            return (false, null);
        if (!bool.TryParse(value.ToString(), out var judge))
            return (false, Error(400, $"query parameter 'judge' must be true or false, not '{SubmissionJson.Echo(value.ToString())}'"));
        if (!judge)
            return (false, null);
        var caller = context.GetJudgeCaller();
        if (caller.Has(JudgeScopes.Judge))
            return (true, null);
        return caller.KeyName is null
            ? (false, Error(401, $"judge=true needs the header 'Authorization: Bearer <a key with the judge scope>' (or the token of {JudgeTokenKey})"))
            : (false, Error(403, $"judge=true needs the judge scope, which the key '{caller.KeyName}' does not have"));
    }

    /// <summary>The submission as its audience may see it: judge messages only for judges.</summary>
    private static Submission ForAudience(Submission submission, bool judge) => judge ? submission : submission.WithoutJudgeMessages();

    private static (bool Wait, TimeSpan Timeout, string? Error) ParseWait(IQueryCollection query)
    {
        var wait = false;
        if (query.TryGetValue("wait", out var waitValue) && !bool.TryParse(waitValue.ToString(), out wait))
            return (false, default, $"query parameter 'wait' must be true or false, not '{SubmissionJson.Echo(waitValue.ToString())}'");

        var seconds = DefaultWaitSeconds;
        if (query.TryGetValue("timeout", out var timeoutValue)
            && (!int.TryParse(timeoutValue.ToString(), out seconds) || seconds < 1 || seconds > MaxWaitSeconds))
            return (false, default, $"query parameter 'timeout' must be a whole number of seconds from 1 to {MaxWaitSeconds}, not '{SubmissionJson.Echo(timeoutValue.ToString())}'");
        return (wait, TimeSpan.FromSeconds(seconds), null);
    }

    // Reads the body with a cap, so an oversized upload is refused with a clear answer instead of buffered.
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > SubmissionInput.MaxBodyBytes)
            return null;
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > SubmissionInput.MaxBodyBytes)
                return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
