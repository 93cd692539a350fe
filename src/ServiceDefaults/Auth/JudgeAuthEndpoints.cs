using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Judge.ServiceDefaults.Auth;

/// <summary>The browser's login: <c>POST /api/auth/login</c>, <c>POST /api/auth/logout</c>, <c>GET /api/auth/me</c>.</summary>
public static class JudgeAuthEndpoints
{
    /// <summary>Paths of the endpoints.</summary>
    public const string LoginPath = "/api/auth/login", LogoutPath = "/api/auth/logout", MePath = "/api/auth/me";

    private const int MaxBodyBytes = 8 * 1024;

    /// <summary>Maps the three endpoints.</summary>
    public static IEndpointRouteBuilder MapJudgeAuthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(LoginPath, LoginAsync);
        endpoints.MapPost(LogoutPath, Logout);
        endpoints.MapGet(MePath, Me);
        return endpoints;
    }

    /// <summary>What login and <c>me</c> answer.</summary>
    public sealed record Identity(bool Open, string? Name, IReadOnlyList<string> Scopes, string? Csrf);

    private static async Task<IResult> LoginAsync(HttpContext context, JudgeAccessRules rules)
    {
        var (_, keys, cookies) = rules.Current;
        string? key;
        try
        {
            using var body = new MemoryStream();
            var buffer = new byte[4096];
            int read;
            while ((read = await context.Request.Body.ReadAsync(buffer, context.RequestAborted)) > 0)
            {
                if (body.Length + read > MaxBodyBytes)
                    return Error(413, $"the login body is larger than {MaxBodyBytes} bytes");
                body.Write(buffer, 0, read);
            }
            using var json = JsonDocument.Parse(body.ToArray(), new JsonDocumentOptions { AllowDuplicateProperties = false });
            key = json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("key", out var value)
                && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException) // not JSON, a key twice, or not valid Unicode
        {
            return Error(400, "the login body must be JSON: {\"key\": \"<your API key>\"}");
        }
        if (string.IsNullOrEmpty(key))
            return Error(400, "the login body must be JSON: {\"key\": \"<your API key>\"}");
        if (keys.Find(key) is not { } found)
            return Error(401, "unknown API key");

        var (session, cookie) = cookies.Issue(found);
        context.Response.Cookies.Append(SessionCookies.CookieName, cookie, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = context.Request.IsHttps,
            Path = "/",
            Expires = session.Expires,
            IsEssential = true,
        });
        context.Response.Headers.CacheControl = "no-store";
        return Results.Ok(new { name = found.Name, scopes = Ordered(found.Scopes), csrf = cookies.CsrfFor(session) });
    }

    private static IResult Logout(HttpContext context)
    {
        context.Response.Cookies.Delete(SessionCookies.CookieName, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = context.Request.IsHttps,
            Path = "/",
        });
        return Results.NoContent();
    }

    private static IResult Me(HttpContext context, JudgeAccessRules rules)
    {
        var (_, keys, cookies) = rules.Current;
        var caller = context.GetJudgeCaller();
        var credential = context.Features.Get<JudgeCredential>();
        var csrf = credential?.Session is { } session ? cookies.CsrfFor(session)
            : credential is { ByHeader: false } && caller.KeyName is null ? cookies.OpenCsrf
            : null;
        context.Response.Headers.CacheControl = "no-store";
        return Results.Ok(new Identity(!keys.Closed, caller.KeyName, Ordered(caller.Scopes), csrf));
    }

    private static string[] Ordered(IReadOnlySet<string> scopes) => JudgeScopes.All.Where(scopes.Contains).ToArray();

    private static IResult Error(int status, string message) => Results.Json(new JudgeAccessMiddleware.AuthError(message), statusCode: status);
}
