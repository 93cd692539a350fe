using System.Text;
using System.Text.Json;
using Judge.Grains.Feed;
using Judge.Interfaces;
using Judge.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Microsoft.AspNetCore.Builder;

/// <summary>The HTTP API behind the dashboard: the submissions list, the live feed over Server-Sent Events and the cluster
/// view (README "Live updates").</summary>
public static class DashboardApi
{
    /// <summary>Default and largest page of <c>GET /api/submissions</c>.</summary>
    public const int DefaultLimit = 50, MaxLimit = 500;

    /// <summary>How often an idle event stream gets a comment line, so that proxies keep it open.</summary>
    public static readonly TimeSpan PingInterval = TimeSpan.FromSeconds(15);

    /// <summary>The reconnection delay the event stream asks of clients, in milliseconds.</summary>
    public const int RetryMilliseconds = 2000;

    public static WebApplication MapDashboardApi(this WebApplication app)
    {
        var api = app.MapGroup("/api");
        api.MapGet("/submissions", ListSubmissions).RequireScope(JudgeScopes.Read, ownSubmissionsSuffice: true);
        api.MapGet("/events", StreamEvents).RequireScope(JudgeScopes.Read, ownSubmissionsSuffice: true).WithoutLoadShedding(); // long-lived
        api.MapGet("/cluster", DescribeCluster).RequireScope(JudgeScopes.Read);
        return app;
    }

    private static IResult Error(int status, string message) => Results.Json(new { error = message }, statusCode: status);

    private static async Task<IResult> ListSubmissions(HttpContext context, ISubmissionIndex index)
    {
        if (ParseQuery(context.Request.Query, context.GetJudgeCaller(), out var error) is not { } query)
            return Error(400, error!);
        var page = await index.QueryAsync(query, context.RequestAborted);
        return Results.Ok(new { items = page.Items, next = page.Next?.Encode() });
    }

    /// <summary>Reads the list's query parameters for <paramref name="caller"/> (a caller without <c>read</c> sees only its own
    /// submissions); a bad parameter answers <c>null</c> and an error naming it.</summary>
    public static SubmissionQuery? ParseQuery(IQueryCollection parameters, JudgeCaller caller, out string? error)
    {
        error = null;
        string? Single(string name, ref string? failure)
        {
            if (!parameters.TryGetValue(name, out var values))
                return null;
            if (values.Count != 1)
                failure ??= $"query parameter '{name}' is given {values.Count} times; give it once";
            var value = values[0];
            return string.IsNullOrEmpty(value) ? null : value;
        }

        var limit = DefaultLimit;
        if (Single("limit", ref error) is { } limitText && (!int.TryParse(limitText, out limit) || limit < 1 || limit > MaxLimit))
            error ??= $"query parameter 'limit' must be a whole number from 1 to {MaxLimit}, not '{Shorten(limitText)}'";

        SubmissionCursor? before = null;
        if (Single("before", ref error) is { } beforeText)
        {
            if (SubmissionCursor.TryDecode(beforeText, out var cursor))
                before = cursor;
            else
                error ??= "query parameter 'before' must be the 'next' of an earlier page";
        }

        Verdict? verdict = null;
        if (Single("verdict", ref error) is { } verdictText)
        {
            if (Enum.GetNames<Verdict>().Contains(verdictText, StringComparer.Ordinal))
                verdict = Enum.Parse<Verdict>(verdictText);
            else
                error ??= $"query parameter 'verdict' must be one of {string.Join(", ", Enum.GetNames<Verdict>())}, not '{Shorten(verdictText)}'";
        }

        SubmissionStatus? status = null;
        if (Single("status", ref error) is { } statusText)
        {
            status = statusText switch
            {
                "queued" => SubmissionStatus.Queued,
                "compiling" => SubmissionStatus.Compiling,
                "running" => SubmissionStatus.Running,
                "finished" => SubmissionStatus.Finished,
                _ => null,
            };
            if (status is null)
                error ??= $"query parameter 'status' must be one of queued, compiling, running, finished, not '{Shorten(statusText)}'";
        }

        var problem = Single("problem", ref error);
        var language = Single("language", ref error);
        var idPrefix = Single("idPrefix", ref error);
        foreach (var (name, value) in new[] { ("problem", problem), ("language", language), ("idPrefix", idPrefix) })
        {
            if (value is { Length: > 128 })
                error ??= $"query parameter '{name}' must be at most 128 characters";
        }
        if (error is not null)
            return null;

        var ownOnly = !caller.Has(JudgeScopes.Read);
        return new SubmissionQuery(limit, before, problem, language, verdict, status, idPrefix, ownOnly, ownOnly ? caller.KeyName : null);
    }

    private static async Task StreamEvents(HttpContext context, FeedHub hub, IGrainFactory grains, IHostApplicationLifetime lifetime,
        IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json)
    {
        var caller = context.GetJudgeCaller();
        var request = context.Request;
        var lastEventId = request.Headers["Last-Event-ID"].ToString() is { Length: > 0 } header ? header
            : request.Query["lastEventId"].ToString() is { Length: > 0 } fromQuery ? fromQuery : null;

        string? only = null;
        Submission? current = null;
        if (request.Query.TryGetValue("id", out var idValues))
        {
            only = idValues.ToString();
            if (idValues.Count != 1 || !SubmissionJson.IsValidId(only))
            {
                await Error(400, $"query parameter 'id' must be one submission id; an id {SubmissionJson.IdRule}").ExecuteAsync(context);
                return;
            }
        }

        using var subscription = hub.Subscribe(lastEventId);
        long currentRevision = 0;
        if (only is not null)
        {
            // Subscribed first, so no change is missed; events not newer than this state (still on their way) are dropped.
            var change = await grains.GetGrain<ISubmissionGrain>(only).GetChange();
            (current, currentRevision) = (change?.Submission, change?.Revision ?? 0);
            if (current is null || !caller.CanRead(current.SubmittedBy))
            {
                await Error(404, $"submission '{only}' not found").ExecuteAsync(context);
                return;
            }
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        var options = json.Value.SerializerOptions;
        var judge = caller.Has(JudgeScopes.Judge);
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        try
        {
            await WriteAsync(response, $"retry: {RetryMilliseconds}\n\n", stop.Token);
            if (subscription.ResetReason is { } reason)
                await WriteEventAsync(response, "reset", subscription.StartEventId, JsonSerializer.Serialize(new { reason }, options), stop.Token);
            // A client replayed what it missed needs no current state; others get it first.
            if (current is not null && (lastEventId is null || subscription.ResetReason is not null))
                await WriteEventAsync(response, "submission", subscription.StartEventId, Data(current), stop.Token);
            else
                currentRevision = 0;
            foreach (var missed in subscription.Replay)
                await SendAsync(missed);

            while (!stop.IsCancellationRequested)
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
                wait.CancelAfter(PingInterval);
                bool more;
                try
                {
                    more = await subscription.Reader.WaitToReadAsync(wait.Token);
                }
                catch (OperationCanceledException) when (!stop.IsCancellationRequested)
                {
                    await WriteAsync(response, ": ping\n\n", stop.Token);
                    continue;
                }
                if (!more)
                    return; // fell too far behind: the client reconnects with Last-Event-ID and is replayed what it missed
                while (subscription.Reader.TryRead(out var next))
                    await SendAsync(next);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // the client went away, or the silo stops
        }
        catch (IOException) when (context.RequestAborted.IsCancellationRequested)
        {
            // the client went away mid-write
        }

        Task SendAsync(FeedEvent feedEvent)
        {
            if (only is not null)
                return feedEvent.Submission.Id == only && feedEvent.Revision > currentRevision
                    ? WriteEventAsync(response, "submission", feedEvent.EventId, Data(feedEvent.Submission), stop.Token)
                    : Task.CompletedTask;
            return caller.CanRead(feedEvent.Summary.SubmittedBy)
                ? WriteEventAsync(response, "submission", feedEvent.EventId, JsonSerializer.Serialize(feedEvent.Summary, options), stop.Token)
                : Task.CompletedTask;
        }

        string Data(Submission submission) => JsonSerializer.Serialize(judge ? submission : submission.WithoutJudgeMessages(), options);
    }

    private static Task WriteEventAsync(HttpResponse response, string type, string id, string data, CancellationToken cancellationToken) =>
        WriteAsync(response, $"event: {type}\nid: {id}\ndata: {data}\n\n", cancellationToken);

    private static async Task WriteAsync(HttpResponse response, string text, CancellationToken cancellationToken)
    {
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }

    private static async Task<IResult> DescribeCluster(HttpContext context, ClusterView cluster, ISubmissionIndex index, TimeProvider time)
    {
        var silos = cluster.SilosAsync();
        var ingress = cluster.IngressAsync();
        var stats = await index.StatsAsync(time.GetUtcNow(), context.RequestAborted);
        return Results.Ok(new { silos = await silos, ingress = await ingress, stats });
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..60] + "...";
}
