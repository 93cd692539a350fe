using Judge.Engine.Problems.Store;
using Judge.Grains.Options;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace Judge.Grains.Hosting;

/// <summary>Loads the problems when the silo starts (a store that cannot be read stops the start, naming it), then
/// refreshes them every <c>Judge:Problems:RefreshInterval</c>.</summary>
/// <remarks>The first load is a step of the silo's start (<see cref="Stage"/>), before the silo joins the cluster: no
/// job can be placed on a silo that has not loaded its problems yet (a job placed on a silo that had just restarted was
/// once judged IE "problem ... is not available").</remarks>
internal sealed partial class ProblemRefreshService(ProblemCache cache, IOptions<JudgingOptions> options, TimeProvider time, ILogger<ProblemRefreshService> logger)
    : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    /// <summary>When the first load runs in the silo's start: after the runtime's services, before the silo becomes active.</summary>
    internal const int Stage = ServiceLifecycleStage.ApplicationServices;

    private readonly CancellationTokenSource stopping = new();
    private Task? polling;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(ProblemRefreshService), Stage, StartAsync, StopAsync);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await cache.RefreshAsync(cancellationToken);
        }
        catch (ProblemStoreException e)
        {
            throw new InvalidOperationException($"The problems cannot be loaded: {e.Message}", e);
        }
        LogLoaded(logger, cache.Problems.Count, cache.Location, cache.Errors.Count);

        var interval = options.Value.Problems.RefreshInterval;
        if (interval > TimeSpan.Zero)
            polling = PollAsync(interval, stopping.Token);
    }

    private async Task PollAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    await cache.RefreshAsync(cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogRefreshFailed(logger, e, cache.Location);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await stopping.CancelAsync();
        if (polling is not null)
            await polling.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public void Dispose() => stopping.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded {Count} problems from {Location} ({Rejected} rejected)")]
    private static partial void LogLoaded(ILogger logger, int count, string location, int rejected);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refreshing the problems from {Location} failed; the current versions stay in use")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception, string location);
}
