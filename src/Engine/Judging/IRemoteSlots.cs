namespace Judge.Engine.Judging;

/// <summary>Judging capacity on other hosts that a submission may hand a range of its tests to while none of its own host's
/// slots is idle (the fan-out of tests across silos).</summary>
/// <remarks>The other host judges the range in order with the same compiled program, problem and limits, on a slot it took
/// only because it was idle, and stops at the first rejection when <c>breaks</c> is set. Its outcomes are those judging the
/// tests here would give, so the caller takes them in test order like its own, and judges itself every test of the range
/// that comes back without an outcome.</remarks>
public interface IRemoteSlots
{
    /// <summary>Hands the tests of the problem at <paramref name="indexes"/> (ascending, consecutive in a batch) to another host
    /// with an idle slot now; <c>null</c> when no host is idle. The task yields the outcomes of a prefix of
    /// <paramref name="indexes"/>, in order: all of them, fewer (the host stopped at a rejection, gave its slot way to a job of
    /// its own, or was busy after all), or none when the call failed. Cancelling <paramref name="cancellationToken"/> stops
    /// the host's judging.</summary>
    Task<IReadOnlyList<TestOutcome>>? TryHandOff(IReadOnlyList<int> indexes, bool breaks, CancellationToken cancellationToken);
}
