using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Liveness and readiness of a Judge host: <c>/health</c> answers while the process serves HTTP; <c>/ready</c>
/// runs the health checks tagged <see cref="ReadyTag"/> and answers 503 unless all are healthy.</summary>
public static class HealthEndpointExtensions
{
    /// <summary>The tag of the health checks behind <c>/ready</c>.</summary>
    public const string ReadyTag = "ready";

    /// <summary>Adds the health check services; hosts add their readiness checks with the tag <see cref="ReadyTag"/>.</summary>
    public static WebApplicationBuilder AddJudgeHealth(this WebApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks();
        return builder;
    }

    /// <summary>Maps <c>/health</c> and <c>/ready</c> (both open to every caller, and not counted by the concurrency bound).</summary>
    public static WebApplication MapJudgeHealth(this WebApplication app)
    {
        app.MapGet("/health", () => Results.Ok(new { status = "ok" })).WithoutLoadShedding();
        app.MapHealthChecks("/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            ResponseWriter = WriteReadinessAsync,
        }).WithoutLoadShedding();
        return app;
    }

    // {"status": "ready" | "not ready", "checks": {"silo": "silo active", "storage": "..."}}; 503 when not ready.
    private static Task WriteReadinessAsync(HttpContext context, HealthReport report)
    {
        var ready = report.Status == HealthStatus.Healthy;
        var checks = report.Entries.ToDictionary(e => e.Key, e => e.Value.Description ?? e.Value.Status.ToString());
        return context.Response.WriteAsJsonAsync(new { status = ready ? "ready" : "not ready", checks });
    }
}
