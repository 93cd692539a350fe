using Judge.Grains.Feed;
using Judge.Interfaces;
using Judge.ServiceDefaults.Auth;

namespace Microsoft.AspNetCore.Builder;

/// <summary><c>GET /api/cluster/backlog</c>: the cluster's unfinished submissions per language, the metric each toolchain
/// pool scales on (deploy/k8s: KEDA's <c>metrics-api</c> trigger asks for its pool's languages and reads <c>total</c>).</summary>
public static class BacklogApi
{
    /// <summary>Maps the endpoint: <c>read</c> scope, and exempt from load shedding, since a loaded cluster is when an
    /// autoscaler must still get an answer.</summary>
    public static WebApplication MapBacklogApi(this WebApplication app)
    {
        app.MapGet("/api/cluster/backlog", Backlog).RequireScope(JudgeScopes.Read).WithoutLoadShedding();
        return app;
    }

    /// <summary><c>?languages=cpp17,cpp20</c> (comma-separated language ids; every language of the contract when left
    /// out) answers <c>{"total": 3, "languages": {"cpp17": 2, "cpp20": 1}}</c>.</summary>
    private static async Task<IResult> Backlog(HttpContext context, ISubmissionBacklog backlog)
    {
        if (ParseLanguages(context.Request.Query, out var error) is not { } languages)
            return Results.Json(new { error }, statusCode: StatusCodes.Status400BadRequest);
        var counts = await backlog.CountAsync(languages, context.RequestAborted);
        return Results.Ok(new
        {
            total = counts.Values.Sum(),
            languages = languages.ToDictionary(l => l, l => counts.GetValueOrDefault(l), StringComparer.Ordinal),
        });
    }

    /// <summary>The languages asked for, in the order given, each once; <c>null</c> and an error naming the parameter when
    /// it is repeated, empty, or names an id that is no language of the contract.</summary>
    public static IReadOnlyList<string>? ParseLanguages(IQueryCollection query, out string? error)
    {
        error = null;
        if (!query.TryGetValue("languages", out var values))
            return LanguageIds.All;
        if (values.Count != 1)
        {
            error = $"query parameter 'languages' is given {values.Count} times; give it once, comma-separated (languages=cpp17,cpp20)";
            return null;
        }
        var ids = (values[0] ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToList();
        if (ids.Count == 0)
        {
            error = "query parameter 'languages' is empty: give language ids, comma-separated (languages=cpp17,cpp20), or leave it out for all";
            return null;
        }
        if (ids.FirstOrDefault(id => !LanguageIds.IsKnown(id)) is { } unknown)
        {
            error = $"query parameter 'languages': '{(unknown.Length > 40 ? unknown[..40] + "…" : unknown)}' is not a language id; known: {string.Join(", ", LanguageIds.All)}";
            return null;
        }
        return ids;
    }
}
