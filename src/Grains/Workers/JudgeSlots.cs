using Judge.Grains.Options;
using Microsoft.Extensions.Options;

namespace Judge.Grains.Workers;

/// <summary>Bounds how many submissions a silo judges at once, across all languages (<c>Judge:Slots</c>).</summary>
public sealed class JudgeSlots(IOptions<JudgingOptions> options)
{
    private readonly SemaphoreSlim slots = new(options.Value.Slots, options.Value.Slots);

    /// <summary>How many submissions this silo judges at once.</summary>
    public int Capacity { get; } = options.Value.Slots;

    /// <summary>How many slots are taken now.</summary>
    public int Busy => Capacity - slots.CurrentCount;

    /// <summary>Waits for a free slot; dispose the result to give it back.</summary>
    public async Task<IDisposable> AcquireAsync(CancellationToken cancellationToken = default)
    {
        await slots.WaitAsync(cancellationToken);
        return new Slot(slots);
    }

    private sealed class Slot(SemaphoreSlim slots) : IDisposable
    {
        private int released;
        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
                slots.Release();
        }
    }
}
