namespace Judge.Engine.Judging;

/// <summary>Judging capacity of the host that a submission may borrow for one test run while it is idle, to run further
/// tests of the same compiled program in parallel (the fan-out of tests).</summary>
/// <remarks>A borrowed slot counts against the host's bound of programs at once like any other; the judge gives it back
/// (disposes it) as soon as its run ends or is cancelled.</remarks>
public interface IIdleSlots
{
    /// <summary>Takes a slot now if one is free and no job waits for one; never waits. <c>null</c> when none is idle.</summary>
    IDisposable? TryBorrow();
}
