using System.Diagnostics.Metrics;

namespace Judge.Grains.IntegrationTests;

/// <summary>Counts what a counter of the judge's meter adds while alive, in this whole process: every silo of every test
/// fixture. A test class that asserts such counts belongs to <see cref="ProcessWideMetricsCollection"/>, so that no other
/// class that makes the same counter move runs at the same time.</summary>
internal sealed class CountedMetric : IDisposable
{
    private readonly MeterListener listener = new();
    private long count;

    public CountedMetric(Counter<long> counter)
    {
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument == counter)
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref count, value));
        listener.Start();
    }

    public long Count => Interlocked.Read(ref count);

    public void Dispose() => listener.Dispose();
}

/// <summary>The test classes whose clusters move the compile cache's and the fan-out's counters (peer fetches, remote runs)
/// and that assert them: they run one after another, not in parallel.</summary>
[CollectionDefinition(Name)]
public sealed class ProcessWideMetricsCollection
{
    public const string Name = "process-wide metrics";
}
