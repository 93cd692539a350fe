using Judge.ServiceDefaults.Auth;
using Judge.ServiceDefaults.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Microsoft.AspNetCore.Builder;

/// <summary>OpenTelemetry for a Judge host: the Judge, Orleans, ASP.NET Core, HttpClient and runtime meters, read by the
/// Prometheus scrape endpoint; with <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> set, OTLP export of those metrics and of Judge's,
/// Orleans', ASP.NET Core's and HttpClient's spans.</summary>
public static class TelemetryHostingExtensions
{
    private static readonly string[] UntracedPaths = ["/metrics", "/health", "/ready"];

    /// <summary>Adds metrics and traces. The OTLP exporter reads the standard variables (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>,
    /// <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>, <c>OTEL_EXPORTER_OTLP_HEADERS</c>, <c>OTEL_SERVICE_NAME</c>...).</summary>
    public static WebApplicationBuilder AddJudgeTelemetry(this WebApplicationBuilder builder)
    {
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(builder.Environment.ApplicationName))
            .WithMetrics(metrics => metrics
                .AddMeter(JudgeTelemetry.MeterName, JudgeTelemetry.OrleansMeterName)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddPrometheusExporter());
        // Spans are recorded only when they have somewhere to go: without an exporter they would cost every grain call
        // and sandbox run something for nothing.
        if (!string.IsNullOrWhiteSpace(builder.Configuration[JudgeTelemetry.OtlpEndpointKey]))
            telemetry.WithTracing(tracing => tracing.AddJudgeTracing()).UseOtlpExporter();
        return builder;
    }

    /// <summary>Records Judge's and Orleans' spans and those of ASP.NET Core (except <c>/metrics</c>, <c>/health</c> and
    /// <c>/ready</c>) and HttpClient; add an exporter to send them somewhere.</summary>
    public static TracerProviderBuilder AddJudgeTracing(this TracerProviderBuilder tracing) => tracing
        .AddSource(JudgeTelemetry.ActivitySourceName)
        .AddSource([.. JudgeTelemetry.OrleansActivitySources])
        .AddAspNetCoreInstrumentation(options => options.Filter = context =>
            !UntracedPaths.Any(path => context.Request.Path.StartsWithSegments(path, StringComparison.OrdinalIgnoreCase)))
        .AddHttpClientInstrumentation();

    /// <summary>Maps the Prometheus text format at <c>/metrics</c>; it needs the <c>read</c> scope unless
    /// <c>Judge:Auth:OpenMetrics=true</c>.</summary>
    public static IEndpointConventionBuilder MapJudgeMetrics(this WebApplication app) =>
        app.MapPrometheusScrapingEndpoint(JudgeTelemetry.MetricsPath).RequireScope(JudgeScopes.Read).WithoutLoadShedding();
}
