using System.Collections;
using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Exporter;
using OpenTelemetry.Trace;

namespace Judge.Silo.EndToEndTests;

/// <summary>A fresh judge server whose spans are recorded as with an OTLP endpoint, and kept in memory (OpenTelemetry's
/// in-memory exporter) so that a test can follow a trace; its meters start from zero, so a scrape counts only what the telemetry tests did.</summary>
public sealed class TelemetryServer : JudgeServer
{
    /// <summary>Every span the server ended so far.</summary>
    public SpanLog Spans { get; } = new();

    protected override void Configure(WebApplicationBuilder builder)
    {
        builder.Services.AddOpenTelemetry().WithTracing(tracing => tracing.AddJudgeTracing().AddInMemoryExporter(Spans));
        // Every scrape fresh: the exporter otherwise answers a scrape within 300 ms of the last one with the same text,
        // and a judging answered from the compile cache finishes faster than that.
        builder.Services.Configure<PrometheusAspNetCoreOptions>(o => o.ScrapeResponseCacheDurationMilliseconds = 0);
    }

    /// <summary>A collection the exporter may add to from any thread while a test reads it.</summary>
    public sealed class SpanLog : ICollection<Activity>
    {
        private readonly List<Activity> spans = [];

        public int Count { get { lock (spans) return spans.Count; } }

        public bool IsReadOnly => false;

        public void Add(Activity item) { lock (spans) spans.Add(item); }

        public void Clear() { lock (spans) spans.Clear(); }

        public bool Contains(Activity item) { lock (spans) return spans.Contains(item); }

        public void CopyTo(Activity[] array, int arrayIndex) { lock (spans) spans.CopyTo(array, arrayIndex); }

        public bool Remove(Activity item) { lock (spans) return spans.Remove(item); }

        /// <summary>The spans of one trace, as ended so far.</summary>
        public List<Activity> Of(ActivityTraceId trace) { lock (spans) return spans.Where(s => s.TraceId == trace).ToList(); }

        public IEnumerator<Activity> GetEnumerator() { lock (spans) return spans.ToList().GetEnumerator(); }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}

/// <summary>The telemetry tests run alone (after the parallel collections), so that no other server's work reaches the
/// process-wide meters and activity sources they observe.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryServerCollection : ICollectionFixture<TelemetryServer>
{
    public const string Name = "telemetry server";
}
