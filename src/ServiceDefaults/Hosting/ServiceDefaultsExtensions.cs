namespace Microsoft.AspNetCore.Builder;

/// <summary>What every Judge host (the silo and the ingress) gets: access rules, telemetry, health and metrics endpoints.</summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>Adds the services of the service defaults (access rules, OpenTelemetry).</summary>
    public static WebApplicationBuilder AddServiceDefaults(this WebApplicationBuilder builder)
    {
        builder.AddJudgeHttpLimits();
        builder.AddJudgeAuth();
        builder.AddJudgeTelemetry();
        builder.AddJudgeHealth();
        return builder;
    }

    /// <summary>Adds the middleware and endpoints of the service defaults (HTTP limits, access rules, <c>/health</c>, <c>/ready</c>, <c>/metrics</c>).</summary>
    public static WebApplication MapServiceDefaults(this WebApplication app)
    {
        app.UseJudgeHttpLimits();
        app.UseJudgeAuth();
        app.MapJudgeHealth();
        app.MapJudgeMetrics();
        return app;
    }
}
