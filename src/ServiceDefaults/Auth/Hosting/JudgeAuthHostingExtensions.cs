using System.Globalization;
using System.Threading.RateLimiting;
using Judge.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Adds and applies the access rules: API keys and scopes, browser sessions, CSRF, the loopback rule for open judges,
/// and the submit rate limit.</summary>
public static class JudgeAuthHostingExtensions
{
    /// <summary>The name of the rate-limiting policy of submits and rejudges.</summary>
    public const string SubmitsPolicy = "submits";

    /// <summary>Registers the access rules and the <c>"submits"</c> rate-limiting policy; validates <c>Judge:Auth:*</c> now
    /// (throws <see cref="OptionsValidationException"/> naming every invalid key).</summary>
    public static WebApplicationBuilder AddJudgeAuth(this WebApplicationBuilder builder)
    {
        JudgeAccessRules.ReadOptions(builder.Configuration); // fail at start, naming the key
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<JudgeAccessRules>();
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(SubmitsPolicy, context =>
            {
                var perMinute = context.RequestServices.GetRequiredService<JudgeAccessRules>().Current.Options.SubmitsPerMinute;
                var caller = context.GetJudgeCaller();
                var partition = caller.KeyName is { } name ? $"key:{name}" : $"address:{context.Connection.RemoteIpAddress}";
                return RateLimitPartition.GetFixedWindowLimiter($"{partition}/{perMinute}", _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = perMinute,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
            limiter.OnRejected = async (rejected, cancellationToken) =>
            {
                var response = rejected.HttpContext.Response;
                var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
                    ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)) : 60;
                response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await response.WriteAsJsonAsync(new JudgeAccessMiddleware.AuthError(
                    $"too many submissions: at most {rejected.HttpContext.RequestServices.GetRequiredService<JudgeAccessRules>().Current.Options.SubmitsPerMinute} a minute ({JudgeAuthOptions.Section}:SubmitsPerMinute); retry after {seconds} s"),
                    cancellationToken);
            };
        });
        return builder;
    }

    /// <summary>Applies the access rules to every request, then the rate limiter, and maps <c>/api/auth/*</c>. Refuses to
    /// run an open judge (no <c>Judge:Auth:Keys</c>) on a non-loopback address unless <c>Judge:Auth:AllowAnonymous=true</c>.</summary>
    /// <exception cref="OptionsValidationException">The judge would be open to the network.</exception>
    public static WebApplication UseJudgeAuth(this WebApplication app)
    {
        var rules = app.Services.GetRequiredService<JudgeAccessRules>();
        var options = rules.Current.Options;
        if (!options.KeysConfigured && !options.AllowAnonymous
            && LoopbackGuard.NonLoopbackUrls(app.Configuration, app.Urls) is { Count: > 0 } exposed)
        {
            throw new OptionsValidationException(JudgeAuthOptions.KeysSection, typeof(JudgeAuthOptions),
            [
                $"this judge has no API keys ({JudgeAuthOptions.KeysSection}) but listens on {string.Join(", ", exposed)}, which is not loopback: "
                + $"anyone who reaches it could submit and read everything. Configure {JudgeAuthOptions.KeysSection}:<n>:Name|Key|Scopes, "
                + $"listen on 127.0.0.1 only (Judge:Http:Urls), or set {JudgeAuthOptions.Section}:AllowAnonymous=true to run open on purpose",
            ]);
        }
        app.UseMiddleware<JudgeAccessMiddleware>();
        app.UseRateLimiter();
        app.MapJudgeAuthEndpoints();
        return app;
    }

    /// <summary>Makes an endpoint a submit: rate-limited by the <c>"submits"</c> policy (<c>Judge:Auth:SubmitsPerMinute</c>
    /// per key, per client address when anonymous; 429 with <c>Retry-After</c>) and logged with the key's name.</summary>
    public static TBuilder RequireSubmitRateLimit<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireRateLimiting(SubmitsPolicy).WithMetadata(new SubmitEndpoint());
}
