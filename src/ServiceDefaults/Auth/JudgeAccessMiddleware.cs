using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Judge.ServiceDefaults.Auth;

/// <summary>How the caller of a request proved who it is: by the <c>Authorization</c> header, by a session cookie, or not at all.</summary>
public sealed record JudgeCredential(bool ByHeader, SessionCookies.Session? Session);

/// <summary>Marks an endpoint whose requests are submits (or rejudges): rate-limited and logged with the key's name.</summary>
public sealed record SubmitEndpoint;

/// <summary>Enforces the access rules on every request: establishes the <see cref="JudgeCaller"/> (from a bearer key or the
/// session cookie), refuses callers without a key (401, or a redirect to <c>/login</c> for a page) and without the endpoint's
/// <see cref="RequiredScope"/> (403), and refuses forged state-changing requests (403).</summary>
public sealed partial class JudgeAccessMiddleware(RequestDelegate next, JudgeAccessRules rules, ILogger<JudgeAccessMiddleware> logger)
{
    // Anonymous callers of an open judge that has a judges' token: everything but the judge scope, which the token guards.
    private static readonly JudgeCaller OpenButJudge = new(null, new HashSet<string>(JudgeScopes.All.Where(s => s != JudgeScopes.Judge), StringComparer.Ordinal));

    /// <summary>Applies the rules, then calls the rest of the pipeline.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        var (options, keys, cookies) = rules.Current;
        var request = context.Request;
        var anonymous = keys.Closed ? JudgeCaller.Nobody : options.JudgeToken is null ? JudgeCaller.Open : OpenButJudge;

        // Who is calling: the Authorization header wins over the cookie; a bad header is refused, a bad cookie ignored.
        JudgeCaller caller = anonymous;
        var credential = new JudgeCredential(false, null);
        if (request.Headers.Authorization.Count > 0)
        {
            var header = request.Headers.Authorization.ToString();
            const string Bearer = "Bearer ";
            context.Features.Set(anonymous);
            if (!header.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase))
            {
                await RefuseAsync(context, 401, "the Authorization header must be 'Authorization: Bearer <key>'");
                return;
            }
            if (keys.Find(header[Bearer.Length..].Trim()) is not { } key)
            {
                await RefuseAsync(context, 401, "unknown API key: send 'Authorization: Bearer <key>' with a key this judge is configured with");
                return;
            }
            caller = CallerOf(key, anonymous);
            credential = new JudgeCredential(true, null);
        }
        else if (request.Cookies[SessionCookies.CookieName] is { } cookie)
        {
            if (cookies.Verify(cookie, keys) is var (session, key))
            {
                caller = CallerOf(key, anonymous);
                credential = new JudgeCredential(false, session);
            }
        }
        context.Features.Set(caller);
        context.Features.Set(credential);

        var path = request.Path;
        var metrics = path.Equals("/metrics", StringComparison.OrdinalIgnoreCase);
        var open = IsOpenPath(path) || (metrics && options.OpenMetrics);
        if (!open && caller.KeyName is null && keys.Closed)
        {
            if (IsPageRequest(request))
            {
                var target = request.PathBase + request.Path + request.QueryString;
                context.Response.Redirect("/login?return=" + Uri.EscapeDataString(target.ToString()));
                return;
            }
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await RefuseAsync(context, 401, "this judge needs an API key: send 'Authorization: Bearer <key>' or log in at /login");
            return;
        }

        if (!open)
        {
            var required = context.GetEndpoint()?.Metadata.GetMetadata<RequiredScope>();
            if (metrics)
                required = new RequiredScope(JudgeScopes.Read);
            if (required is not null && !Allows(caller, required))
            {
                var status = caller.KeyName is null ? 401 : 403;
                var who = caller.KeyName is null ? "an anonymous caller" : $"the key '{caller.KeyName}'";
                if (status == 401)
                    context.Response.Headers.WWWAuthenticate = "Bearer";
                await RefuseAsync(context, status, $"this needs the '{required.Scope}' scope, which {who} does not have; send 'Authorization: Bearer <key>' with a key that has it");
                return;
            }
        }

        if (IsStateChanging(request.Method) && !credential.ByHeader && Forgery(context, credential, cookies) is { } forgery)
        {
            await RefuseAsync(context, 403, forgery);
            return;
        }

        await next(context);

        if (context.GetEndpoint()?.Metadata.GetMetadata<SubmitEndpoint>() is not null)
            LogSubmit(logger, request.Method, path.ToString(), caller.KeyName ?? "(anonymous)", context.Connection.RemoteIpAddress?.ToString(), context.Response.StatusCode);
    }

    /// <summary>Whether a caller may use an endpoint that needs <paramref name="required"/>.</summary>
    public static bool Allows(JudgeCaller caller, RequiredScope required) =>
        caller.Has(required.Scope) || (required.OwnSubmissionsSuffice && caller.KeyName is not null && caller.Has(JudgeScopes.Submit));

    // In an open judge a key never takes away what anonymous callers may do.
    private static JudgeCaller CallerOf(ApiKeys.ApiKey key, JudgeCaller anonymous) =>
        new(key.Name, anonymous.Scopes.Count == 0 ? key.Scopes : new HashSet<string>(key.Scopes.Union(anonymous.Scopes), StringComparer.Ordinal));

    /// <summary>Paths anyone may reach: liveness, readiness, the login page, the pages' assets, logging in and out.</summary>
    public static bool IsOpenPath(PathString path) =>
        path.Equals("/health", StringComparison.OrdinalIgnoreCase)
        || path.Equals("/ready", StringComparison.OrdinalIgnoreCase)
        || path.Equals("/login", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/assets", StringComparison.OrdinalIgnoreCase)
        || path.Equals("/favicon.ico", StringComparison.OrdinalIgnoreCase)
        || path.Equals(JudgeAuthEndpoints.LoginPath, StringComparison.OrdinalIgnoreCase)
        || path.Equals(JudgeAuthEndpoints.LogoutPath, StringComparison.OrdinalIgnoreCase);

    // A browser asking for a page (not the API): GET or HEAD outside /api whose Accept names HTML.
    private static bool IsPageRequest(HttpRequest request) =>
        (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
        && !request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
        && request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);

    private static bool IsStateChanging(string method) =>
        HttpMethods.IsPost(method) || HttpMethods.IsPut(method) || HttpMethods.IsPatch(method) || HttpMethods.IsDelete(method);

    /// <summary>Why a state-changing request not authenticated by the Authorization header looks forged, or <c>null</c>:
    /// another origin (<c>Origin</c>, <c>Sec-Fetch-Site: cross-site</c>) is refused; a request with the session cookie, or
    /// an anonymous one from a browser (it sends <c>Origin</c> or <c>Sec-Fetch-Site</c>), needs the CSRF token. Logging in
    /// and out need no token (there is no session yet).</summary>
    private static string? Forgery(HttpContext context, JudgeCredential credential, SessionCookies cookies)
    {
        var request = context.Request;
        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0 && !string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase))
            return $"cross-origin request refused: Origin '{(origin.Length > 100 ? origin[..100] + "..." : origin)}' is not this judge ({request.Scheme}://{request.Host})";
        var fetchSite = request.Headers["Sec-Fetch-Site"].ToString();
        if (fetchSite.Equals("cross-site", StringComparison.OrdinalIgnoreCase))
            return "cross-site request refused (Sec-Fetch-Site: cross-site)";
        if (request.Path.Equals(JudgeAuthEndpoints.LoginPath, StringComparison.OrdinalIgnoreCase)
            || request.Path.Equals(JudgeAuthEndpoints.LogoutPath, StringComparison.OrdinalIgnoreCase))
            return null;

        string? expected = null;
        if (credential.Session is { } session)
            expected = cookies.CsrfFor(session);
        else if (origin.Length > 0 || fetchSite.Length > 0)
            expected = cookies.OpenCsrf;
        if (expected is null)
            return null;
        var given = request.Headers[SessionCookies.CsrfHeader].ToString();
        if (given.Length == 0)
            return $"missing {SessionCookies.CsrfHeader} header: a request from a page must carry the token that POST {JudgeAuthEndpoints.LoginPath} or GET {JudgeAuthEndpoints.MePath} gives";
        return SessionCookies.FixedTimeEquals(expected, given) ? null : $"wrong {SessionCookies.CsrfHeader} token for this session";
    }

    private static Task RefuseAsync(HttpContext context, int status, string error)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new AuthError(error));
    }

    /// <summary>The body of an access error.</summary>
    public sealed record AuthError([property: System.Text.Json.Serialization.JsonPropertyName("error")] string Error);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Method} {Path} by key {KeyName} from {RemoteAddress}: {StatusCode}")]
    private static partial void LogSubmit(ILogger logger, string method, string path, string keyName, string? remoteAddress, int statusCode);
}
