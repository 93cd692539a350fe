namespace Judge.Grains.Feed;

/// <summary>Counts the tests this silo has judged, for the runs per second of its heartbeat.</summary>
public sealed class JudgeRunCounter
{
    private long total;

    /// <summary>Tests judged since the silo started.</summary>
    public long Total => Interlocked.Read(ref total);

    /// <summary>Counts one judged test.</summary>
    public void Add() => Interlocked.Increment(ref total);
}
