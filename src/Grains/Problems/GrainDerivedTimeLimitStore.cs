using System.Collections.Immutable;
using Judge.Engine.Problems;
using Judge.Engine.Problems.Store;
using Judge.Interfaces;
using Microsoft.Extensions.Logging;

namespace Judge.Grains.Problems;

/// <summary>Derived time limits agreed by the cluster: this silo's file next to the cached version first (a restart
/// derives nothing), then the version's <see cref="IDerivedTimeLimitGrain"/> (another silo derived it: adopted), and a
/// limit this silo derived is recorded there first, so that the first value recorded is the one every silo uses.</summary>
public sealed partial class GrainDerivedTimeLimitStore(IGrainFactory grains, IDerivedTimeLimitStore local, string silo, ILogger logger) : IDerivedTimeLimitStore
{
    /// <summary>How long a silo retries the grain while the cluster is not reachable yet (at start) before it gives up.</summary>
    public static readonly TimeSpan RetryFor = TimeSpan.FromMinutes(2);

    public async Task<DerivedTimeLimit?> FindAsync(string problemId, string contentHash, CancellationToken cancellationToken)
    {
        if (await local.FindAsync(problemId, contentHash, cancellationToken) is { } known)
            return known;
        var recorded = await RetryAsync(() => Grain(problemId, contentHash).Get(), problemId, cancellationToken);
        return recorded is null ? null : await local.RecordAsync(problemId, contentHash, ToLimit(recorded), cancellationToken);
    }

    public async Task<DerivedTimeLimit> RecordAsync(string problemId, string contentHash, DerivedTimeLimit derived, CancellationToken cancellationToken)
    {
        var recorded = await RetryAsync(() => Grain(problemId, contentHash).Record(ToRecord(derived)), problemId, cancellationToken);
        var agreed = ToLimit(recorded);
        if (agreed.TimeLimit != derived.TimeLimit || agreed.Submission != derived.Submission)
            LogAdopted(logger, problemId, agreed.Description, recorded.RecordedBy, derived.Description);
        return await local.RecordAsync(problemId, contentHash, agreed, cancellationToken);
    }

    private IDerivedTimeLimitGrain Grain(string problemId, string contentHash) =>
        grains.GetGrain<IDerivedTimeLimitGrain>(IDerivedTimeLimitGrain.KeyOf(problemId, contentHash));

    private async Task<T> RetryAsync<T>(Func<Task<T>> call, string problemId, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + RetryFor;
        while (true)
        {
            try
            {
                return await call();
            }
            catch (Exception e) when (e is not OperationCanceledException && DateTime.UtcNow < deadline)
            {
                LogRetrying(logger, e, problemId);
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
        }
    }

    private DerivedTimeLimitRecord ToRecord(DerivedTimeLimit d) => new((long)Math.Round(d.TimeLimit.TotalMilliseconds), d.Slowest.TotalSeconds,
        d.Submission, d.Multiplier, d.Resolution.TotalSeconds, [.. d.Skipped], silo);

    private static DerivedTimeLimit ToLimit(DerivedTimeLimitRecord r) => new(TimeSpan.FromMilliseconds(r.TimeLimitMs), TimeSpan.FromSeconds(r.SlowestSeconds),
        r.Submission, r.Multiplier, TimeSpan.FromSeconds(r.ResolutionSeconds), r.Skipped.IsDefault ? [] : r.Skipped);

    [LoggerMessage(Level = LogLevel.Information, Message = "Problem {Problem}: adopting the time limit {Agreed} recorded by {Silo} (this silo derived {Derived})")]
    private static partial void LogAdopted(ILogger logger, string problem, string agreed, string silo, string derived);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Problem {Problem}: the cluster's derived time limit could not be reached yet; retrying")]
    private static partial void LogRetrying(ILogger logger, Exception exception, string problem);
}
