using Judge.Grains.Options;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace Judge.Grains.Workers;

/// <summary>Lets a stopping silo (SIGTERM) finish or hand back its judgings before Orleans leaves the cluster: from the
/// first moment of shutdown it takes no new job and gives back the ones still waiting for a slot; running ones get
/// <see cref="RecoveryOptions.DrainTimeout"/> to finish and are then cancelled and handed back, so their submissions judge
/// them elsewhere at once instead of waiting for the silo to be declared dead.</summary>
public sealed partial class JudgeDrain(IOptions<JudgingOptions> options, TimeProvider time, ILogger<JudgeDrain> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);

    private readonly CancellationTokenSource stopping = new();
    private readonly CancellationTokenSource handBack = new();
    private int running;

    /// <summary>Cancelled when the silo starts shutting down: jobs not yet running are given back.</summary>
    public CancellationToken Stopping => stopping.Token;

    /// <summary>Cancelled when the drain time is over: running jobs are given back.</summary>
    public CancellationToken HandBack => handBack.Token;

    /// <summary>Whether the silo is shutting down.</summary>
    public bool IsDraining => stopping.IsCancellationRequested;

    /// <summary>Counts a job as running until the result is disposed.</summary>
    public IDisposable Enter()
    {
        Interlocked.Increment(ref running);
        return new Lease(this);
    }

    public void Participate(ISiloLifecycle lifecycle) =>
        // The highest stage stops first: before Orleans deactivates grains or leaves the membership.
        lifecycle.Subscribe(nameof(JudgeDrain), ServiceLifecycleStage.Active, _ => Task.CompletedTask, StopAsync);

    private async Task StopAsync(CancellationToken cancellationToken)
    {
        var timeout = options.Value.Recovery.DrainTimeout;
        LogDraining(logger, Volatile.Read(ref running), timeout);
        await stopping.CancelAsync();
        if (!await WaitForIdleAsync(timeout, cancellationToken))
        {
            LogHandingBack(logger, Volatile.Read(ref running));
            await handBack.CancelAsync();
            // Cancelled runs end within the sandbox's kill latency; their callers have been answered by then.
            await WaitForIdleAsync(TimeSpan.FromSeconds(10), cancellationToken);
        }
        LogDrained(logger, Volatile.Read(ref running));
    }

    private async Task<bool> WaitForIdleAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + timeout;
        while (Volatile.Read(ref running) > 0)
        {
            if (time.GetUtcNow() >= deadline || cancellationToken.IsCancellationRequested)
                return false;
            await Task.Delay(Poll, time, CancellationToken.None);
        }
        return true;
    }

    private sealed class Lease(JudgeDrain drain) : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
                Interlocked.Decrement(ref drain.running);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Shutting down: {Running} judging job(s) get {Timeout} to finish; new jobs are handed back")]
    private static partial void LogDraining(ILogger logger, int running, TimeSpan timeout);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shutting down: handing back {Running} unfinished judging job(s)")]
    private static partial void LogHandingBack(ILogger logger, int running);

    [LoggerMessage(Level = LogLevel.Information, Message = "Drained: {Running} judging job(s) still running")]
    private static partial void LogDrained(ILogger logger, int running);
}
