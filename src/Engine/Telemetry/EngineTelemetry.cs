using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Judge.Engine.Telemetry;

/// <summary>The engine's spans and instruments, on the <c>Judge</c> activity source and meter. Plain
/// <c>System.Diagnostics</c>: the engine knows nothing of OpenTelemetry; a host subscribes to the names.</summary>
public static class EngineTelemetry
{
    /// <summary>The name of the activity source and of the meter (the hosts subscribe to it).</summary>
    public const string Name = "Judge";

    /// <summary>Bucket bounds, in seconds, of the engine's duration histograms: from a fast compile to a slow one.</summary>
    public static readonly IReadOnlyList<double> DurationBuckets = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

    /// <summary>Spans of compiling, tests and sandbox runs.</summary>
    public static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    /// <summary>How long compiling a submission took, in seconds, by language and outcome (<c>ok</c> or <c>failed</c>).</summary>
    public static readonly Histogram<double> CompileDuration = Meter.CreateHistogram(
        "judge.compile.duration", unit: "s", description: "Time to compile a submission, by language and outcome",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });

    /// <summary>Runs in the sandbox (compiles, tests, checkers, self-tests), by sandbox status.</summary>
    public static readonly Counter<long> SandboxRuns = Meter.CreateCounter<long>(
        "judge.sandbox.runs", unit: "{run}", description: "Programs run in the sandbox (compilers, submissions, checkers), by status");

    /// <summary>Compilations answered by the compile cache (<c>hit</c>, on this silo or fetched from a peer) or compiled (<c>miss</c>), by language.</summary>
    public static readonly Counter<long> CompileCacheLookups = Meter.CreateCounter<long>(
        "judge.compile.cache.lookups", unit: "{lookup}", description: "Compile cache lookups, by language and result (hit, miss)");

    /// <summary>Compiled artifacts fetched from another silo (a subset of the hits).</summary>
    public static readonly Counter<long> CompileCachePeerFetches = Meter.CreateCounter<long>(
        "judge.compile.cache.peer_fetches", unit: "{artifact}", description: "Compiled artifacts fetched from another silo");

    /// <summary>Test runs a submission ran on a borrowed idle slot, besides its own (the fan-out of tests).</summary>
    public static readonly Counter<long> FannedOutRuns = Meter.CreateCounter<long>(
        "judge.fanout.runs", unit: "{run}", description: "Test runs on idle slots borrowed by a submission that holds another (fan-out)");

    /// <summary>Test runs judged on this silo for a submission judged on another (the fan-out of tests across silos); each
    /// is counted once it ran to the end, whether or not the submission's silo takes its outcome.</summary>
    public static readonly Counter<long> FanOutRemoteRuns = Meter.CreateCounter<long>(
        "judge.fanout.remote_runs", unit: "{run}", description: "Test runs on an idle slot of this silo for a submission judged on another silo (fan-out across silos)");

    /// <summary>Fanned-out test runs whose program ran to the end but whose outcome was not wanted, because an earlier test of
    /// the same batch ended it (<c>on_reject: break</c>): the work fan-out wasted, whether the test's check finished or was
    /// cancelled. Each is also one of <see cref="SandboxRuns"/>. A
    /// range of tests handed to another silo counts on the silo that threw it away: outcomes that came back but were not
    /// taken on the submission's silo, runs finished before the cancellation on the range's.</summary>
    public static readonly Counter<long> FanOutDiscardedRuns = Meter.CreateCounter<long>(
        "judge.fanout.discarded_runs", unit: "{run}", description: "Test runs that finished but were discarded because an earlier test ended the batch (fan-out)");

    /// <summary>Test runs with huge pages (<see cref="Languages.Language.HugePages"/>) that went over their memory limit and
    /// were run again without them, by language and whether the run again counted (<c>counts</c>: <c>true</c>, or
    /// <c>false</c> when it ran out of time and the MLE stood).</summary>
    public static readonly Counter<long> HugePageReruns = Meter.CreateCounter<long>(
        "judge.hugepages.reruns", unit: "{run}", description: "Test runs over their memory limit with huge pages, run again without them");

    /// <summary>Cached artifacts whose content did not match their hash (removed, compiled again).</summary>
    public static readonly Counter<long> CompileCacheCorrupt = Meter.CreateCounter<long>(
        "judge.compile.cache.corrupt", unit: "{artifact}", description: "Compile cache entries rejected because their hash did not match");
}
