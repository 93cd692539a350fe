namespace Judge.ServiceDefaults.Telemetry;

/// <summary>The names under which Judge and Orleans publish metrics and traces, as the telemetry set-up subscribes to them.</summary>
public static class JudgeTelemetry
{
    /// <summary>The meter of Judge's own instruments (<c>judge.*</c>), in every project that records them.</summary>
    public const string MeterName = "Judge";

    /// <summary>The activity source of Judge's own spans (submission, worker, compile, test, sandbox run).</summary>
    public const string ActivitySourceName = "Judge";

    /// <summary>The meter of Orleans (grain calls, activations, messaging, membership).</summary>
    public const string OrleansMeterName = "Microsoft.Orleans";

    /// <summary>Orleans' activity sources: application grain calls (with <c>AddActivityPropagation()</c> on the silo and
    /// client builders) and grain storage.</summary>
    public static readonly IReadOnlyList<string> OrleansActivitySources = ["Microsoft.Orleans.Application", "Microsoft.Orleans.Storage"];

    /// <summary>The path of the Prometheus scrape endpoint.</summary>
    public const string MetricsPath = "/metrics";

    /// <summary>The standard OpenTelemetry variable that turns on OTLP export of metrics and traces.</summary>
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";
}
