using Judge.ServiceDefaults.Http;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Adds and applies the HTTP limits of <c>Judge:Http:*</c>: Kestrel's limits on connections, headers, body size and
/// slow uploads, and a bound on concurrent requests that answers 503 with <c>Retry-After</c> when full.</summary>
public static class JudgeHttpHostingExtensions
{
    /// <summary>Reads and validates <c>Judge:Http:*</c> now (throws <see cref="OptionsValidationException"/> naming every
    /// invalid key) and applies the Kestrel limits.</summary>
    public static WebApplicationBuilder AddJudgeHttpLimits(this WebApplicationBuilder builder)
    {
        var options = ReadOptions(builder.Configuration);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<JudgeLoadShedding>();
        builder.WebHost.ConfigureKestrel(kestrel => Apply(kestrel.Limits, options));
        return builder;
    }

    /// <summary>Reads and validates the HTTP limits, failing with every invalid key named.</summary>
    public static JudgeHttpOptions ReadOptions(Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        var options = JudgeHttpOptions.Read(configuration, out var parseErrors);
        var errors = parseErrors.ToList();
        if (new JudgeHttpOptionsValidator().Validate(null, options) is { Failed: true } result)
            errors.AddRange(result.Failures);
        if (errors.Count > 0)
            throw new OptionsValidationException(JudgeHttpOptions.Section, typeof(JudgeHttpOptions), errors);
        return options;
    }

    /// <summary>Applies the connection, header, body and slow-client limits to Kestrel.</summary>
    public static void Apply(KestrelServerLimits limits, JudgeHttpOptions options)
    {
        limits.MaxConcurrentConnections = options.MaxConnections;
        limits.MaxConcurrentUpgradedConnections = options.MaxConnections;
        limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
        limits.MaxRequestHeadersTotalSize = options.MaxRequestHeadersBytes;
        limits.RequestHeadersTimeout = options.RequestHeadersTimeout;
        limits.MinRequestBodyDataRate = options.MinRequestBodyBytesPerSecond > 0
            ? new MinDataRate(options.MinRequestBodyBytesPerSecond, options.MinRequestBodyGracePeriod)
            : null;
    }

    /// <summary>Bounds concurrent requests (503 with <c>Retry-After</c> beyond <c>Judge:Http:MaxConcurrentRequests</c> and
    /// <c>Judge:Http:RequestQueueLimit</c>); endpoints marked <see cref="WithoutLoadShedding{TBuilder}"/> pass.</summary>
    public static WebApplication UseJudgeHttpLimits(this WebApplication app)
    {
        var shedding = app.Services.GetRequiredService<JudgeLoadShedding>();
        app.Use((context, next) => shedding.InvokeAsync(context, next));
        return app;
    }

    /// <summary>Exempts an endpoint from the concurrency bound: it must stay cheap (health) or is long-lived by design
    /// (event streams).</summary>
    public static TBuilder WithoutLoadShedding<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new NoLoadSheddingAttribute());

    /// <summary>Gives back the request's place among <c>Judge:Http:MaxConcurrentRequests</c> before a long wait.</summary>
    public static void ReleaseLoadPlace(this HttpContext context) => context.Features.Get<HttpLoadPlace>()?.Release();
}
