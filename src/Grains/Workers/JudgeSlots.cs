using Judge.Grains.Options;
using Judge.Engine.Judging;
using Microsoft.Extensions.Options;

namespace Judge.Grains.Workers;

/// <summary>Bounds how many submissions a silo judges at once, across all languages (<c>Judge:Slots</c>), with two levels
/// of priority: a slot that comes free goes to the longest-waiting first judging, and to a rejudge only when no first
/// judging waits. Within a level, first come, first served.</summary>
public sealed class JudgeSlots(IOptions<JudgingOptions> options) : IIdleSlots
{
    private readonly Lock gate = new();

    // Waiters per level: [0] first judgings, [1] rejudges. A waiter is in a queue only while no slot is free.
    private readonly LinkedList<TaskCompletionSource<IDisposable>>[] waiting = [new(), new()];
    private int busy;

    /// <summary>How many submissions this silo judges at once.</summary>
    public int Capacity { get; } = options.Value.Slots;

    /// <summary>How many slots are taken now.</summary>
    public int Busy
    {
        get
        {
            lock (gate)
                return busy;
        }
    }

    /// <summary>How many jobs wait for a slot now: first judgings and rejudges.</summary>
    public (int First, int Rejudges) Waiting
    {
        get
        {
            lock (gate)
                return (waiting[0].Count, waiting[1].Count);
        }
    }

    /// <summary>Waits for a free slot for a first judging; dispose the result to give it back.</summary>
    public Task<IDisposable> AcquireAsync(CancellationToken cancellationToken = default) => AcquireAsync(rejudge: false, cancellationToken);

    /// <summary>Waits for a free slot; a <paramref name="rejudge"/> waits behind every first judging. Dispose the result to
    /// give the slot back.</summary>
    public async Task<IDisposable> AcquireAsync(bool rejudge, CancellationToken cancellationToken = default)
    {
        TaskCompletionSource<IDisposable> handover;
        LinkedListNode<TaskCompletionSource<IDisposable>> node;
        lock (gate)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (busy < Capacity)
            {
                busy++;
                return new Slot(this);
            }
            handover = new TaskCompletionSource<IDisposable>(TaskCreationOptions.RunContinuationsAsynchronously);
            node = waiting[rejudge ? 1 : 0].AddLast(handover);
        }
        await using (cancellationToken.Register(() => GiveUp(node, cancellationToken)))
            return await handover.Task;
    }

    /// <summary>Takes a slot at once if one is free and no job (first judging or rejudge) waits for one; never waits.
    /// A submission that holds a slot borrows idle ones this way for single test runs (the fan-out of tests), so a slot it
    /// gives back goes to a waiting job first. Dispose the result to give the slot back.</summary>
    public IDisposable? TryAcquire()
    {
        lock (gate)
        {
            if (busy >= Capacity || waiting[0].Count > 0 || waiting[1].Count > 0)
                return null;
            busy++;
            return new Slot(this);
        }
    }

    IDisposable? IIdleSlots.TryBorrow() => TryAcquire();

    private void GiveUp(LinkedListNode<TaskCompletionSource<IDisposable>> node, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            // Not handed a slot yet: leave the queue. (Once handed one, the waiter owns it and gives it back itself.)
            if (node.List is { } queue)
            {
                queue.Remove(node);
                node.Value.TrySetCanceled(cancellationToken);
            }
        }
    }

    private void Release()
    {
        lock (gate)
        {
            var next = waiting[0].First ?? waiting[1].First;
            if (next is null)
            {
                busy--;
                return;
            }
            // The slot passes straight to the next waiter: busy stays as it is.
            next.List!.Remove(next);
            next.Value.TrySetResult(new Slot(this));
        }
    }

    private sealed class Slot(JudgeSlots slots) : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
                slots.Release();
        }
    }
}
