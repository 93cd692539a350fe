namespace Judge.Lifecycle;

/// <summary>The one liveness rule of an attempt: it is alive while its worker was heard (progress, a heartbeat, or the
/// moment it was handed out or inherited) within the lease; a judge call that fails ends it at once. A job that waits for a
/// judging slot says so once (<see cref="QueuedOn"/>) and sends nothing more until it has one: its lease is then the
/// membership of that silo (<see cref="ISubmissionHost.WhenSiloGone"/>) and the pending judge call, which fails when the silo dies.</summary>
internal sealed class AttemptLease(TimeProvider time, TimeSpan length)
{
    private DateTimeOffset heard = time.GetUtcNow();

    /// <summary>How long the worker may stay silent.</summary>
    public TimeSpan Length => length;

    /// <summary>The worker was heard now.</summary>
    public void Renew() => heard = time.GetUtcNow();

    /// <summary>The silo whose judging slots the job waits for, while it waits (a report of anything else ends that).</summary>
    public string? QueuedOn { get; set; }

    /// <summary>How long until the lease runs out (zero or less: it has).</summary>
    public TimeSpan Remaining => length - (time.GetUtcNow() - heard);
}
