using System.Diagnostics;
using System.Diagnostics.Metrics;
using Judge.Grains.Workers;
using Judge.Interfaces;

namespace Judge.Grains.Telemetry;

/// <summary>The silo's judging instruments on the <c>Judge</c> meter: submissions accepted and finished, tests run,
/// latency and queue wait, and the judging slots. A submission is counted once per judging, when its first final result
/// is stored (<c>SubmissionGrain</c>), so a cluster's silos together count each judging once.</summary>
public sealed class JudgingMetrics : ILifecycleParticipant<ISiloLifecycle>
{
    /// <summary>The name of the meter and the activity source.</summary>
    public const string Name = "Judge";

    /// <summary>Spans of the submission grain and the workers (the engine adds compile, test and sandbox run).</summary>
    public static readonly ActivitySource Source = new(Name);

    /// <summary>Bucket bounds, in seconds, of the latency histograms: from a quick answer to a long queue.</summary>
    public static readonly IReadOnlyList<double> LatencyBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800];

    private readonly Counter<long> accepted;
    private readonly Counter<long> finished;
    private readonly Counter<long> testsRun;
    private readonly Histogram<double> duration;
    private readonly Histogram<double> queueWait;

    public JudgingMetrics(IMeterFactory meters, JudgeSlots slots)
    {
        var meter = meters.Create(Name);
        accepted = meter.CreateCounter<long>("judge.submissions.accepted", "{submission}",
            "Submissions accepted for judging (new ids; duplicates of a stored submission are not counted), by language");
        finished = meter.CreateCounter<long>("judge.submissions.finished", "{submission}",
            "Submissions judged, by verdict and language; counted once per judging");
        testsRun = meter.CreateCounter<long>("judge.tests.run", "{test}",
            "Test cases run for finished submissions (skipped tests not counted), by verdict and language");
        var advice = new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets };
        duration = meter.CreateHistogram("judge.submission.duration", "s",
            "Judging latency: from acceptance (queued) to the verdict, by language and verdict", advice: advice);
        queueWait = meter.CreateHistogram("judge.queue.wait", "s",
            "Queue wait: from acceptance to the start of the judging attempt that produced the verdict, by language", advice: advice);
        meter.CreateObservableGauge("judge.slots.busy", () => slots.Busy, "{slot}", "Judging slots of this silo in use now");
        meter.CreateObservableGauge("judge.slots.capacity", () => slots.Capacity, "{slot}", "Judging slots of this silo (Judge:Slots)");
    }

    /// <summary>A new submission was stored.</summary>
    public void Accepted(string language) => accepted.Add(1, new KeyValuePair<string, object?>("language", language));

    /// <summary>A submission's first final result was stored.</summary>
    public void Finished(Submission submission)
    {
        var language = new KeyValuePair<string, object?>("language", submission.Language);
        var verdict = new KeyValuePair<string, object?>("verdict", submission.Verdict?.ToString() ?? "none");
        finished.Add(1, verdict, language);
        foreach (var test in submission.Tests.IsDefault ? [] : submission.Tests)
        {
            if (test.Verdict != Verdict.SK)
                testsRun.Add(1, new KeyValuePair<string, object?>("verdict", test.Verdict.ToString()), language);
        }
        if (submission.FinishedAt is { } end)
            duration.Record(Math.Max(0, (end - submission.CreatedAt).TotalSeconds), language, verdict);
        if (submission.StartedAt is { } start)
            queueWait.Record(Math.Max(0, (start - submission.CreatedAt).TotalSeconds), language);
    }

    // Taking part in the silo's lifecycle makes the silo create this at start, so the slot gauges exist before the first
    // submission; there is nothing to do at any stage.
    void ILifecycleParticipant<ISiloLifecycle>.Participate(ISiloLifecycle lifecycle)
    {
    }
}
