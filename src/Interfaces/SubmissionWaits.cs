namespace Judge.Interfaces;

/// <summary>Waiting for a submission's verdict across copies of its grain: a copy that goes stale while the caller waits
/// (one of its writes failed, or another copy wrote) answers <see cref="SubmissionStaleException"/> and goes away; the
/// wait goes on at the next copy, which reads what storage holds, until the verdict or the caller's deadline.</summary>
public static class SubmissionWaits
{
    /// <summary>How long to wait before calling again after a stale copy answered (it may take a moment to go).</summary>
    public static readonly TimeSpan StaleRetryDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>The submission once its current judging finished, or as it is after <paramref name="timeout"/>, as the grain's
    /// <c>WaitForResult</c> (<paramref name="wait"/>) answers it, called again with what is left of the timeout while stale
    /// copies answer. Any other failure, or a stale copy's answer past the deadline, is the caller's.</summary>
    public static async Task<Submission?> WaitForResultAsync(Func<TimeSpan, Task<Submission?>> wait, TimeSpan timeout, TimeProvider time,
        CancellationToken cancellationToken = default)
    {
        var started = time.GetTimestamp();
        while (true)
        {
            var left = timeout - time.GetElapsedTime(started);
            try
            {
                return await wait(left > TimeSpan.Zero ? left : TimeSpan.Zero);
            }
            catch (Exception e) when (IsStale(e) && time.GetElapsedTime(started) + StaleRetryDelay < timeout)
            {
                await Task.Delay(StaleRetryDelay, time, cancellationToken);
            }
        }
    }

    private static bool IsStale(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is SubmissionStaleException)
                return true;
        }
        return false;
    }
}
