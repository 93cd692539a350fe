namespace Judge.Lifecycle;

/// <summary>The one liveness rule of an attempt: it is alive while its worker was heard (progress, a heartbeat, or the
/// moment it was handed out or inherited) within the lease; a judge call that fails ends it at once.</summary>
internal sealed class AttemptLease(TimeProvider time, TimeSpan length)
{
    private DateTimeOffset heard = time.GetUtcNow();

    /// <summary>How long the worker may stay silent.</summary>
    public TimeSpan Length => length;

    /// <summary>The worker was heard now.</summary>
    public void Renew() => heard = time.GetUtcNow();

    /// <summary>How long until the lease runs out (zero or less: it has).</summary>
    public TimeSpan Remaining => length - (time.GetUtcNow() - heard);
}
