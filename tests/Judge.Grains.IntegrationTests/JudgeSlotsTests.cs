using Judge.Grains.Options;
using Judge.Grains.Workers;

namespace Judge.Grains.IntegrationTests;

/// <summary>The judging slots of a silo: a free slot goes to the oldest waiting first judging before any rejudge.</summary>
public class JudgeSlotsTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private static JudgeSlots Slots(int count) => new(Microsoft.Extensions.Options.Options.Create(new JudgingOptions { Slots = count }));

    private static async Task<IDisposable> Granted(Task<IDisposable> waiter, string who)
    {
        try
        {
            return await waiter.WaitAsync(Patience);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{who} was not given a slot within {Patience}");
        }
    }

    [Fact]
    public async Task A_free_slot_goes_to_a_waiting_first_judging_before_an_older_rejudge()
    {
        var slots = Slots(1);
        var held = await slots.AcquireAsync();

        var rejudge = slots.AcquireAsync(rejudge: true);
        var first = slots.AcquireAsync(rejudge: false);
        Assert.Equal((1, 1), slots.Waiting);
        Assert.False(rejudge.IsCompleted);
        Assert.False(first.IsCompleted);

        held.Dispose();
        var firstSlot = await Granted(first, "the first judging");
        Assert.False(rejudge.IsCompleted, "the rejudge got the slot although a first judging waited");
        Assert.Equal(1, slots.Busy);

        firstSlot.Dispose();
        (await Granted(rejudge, "the rejudge")).Dispose();
        Assert.Equal(0, slots.Busy);
    }

    [Fact]
    public async Task Within_a_level_the_oldest_waiter_goes_first()
    {
        var slots = Slots(1);
        var held = await slots.AcquireAsync();
        var order = new List<string>();
        var waiters = new[] { ("rejudge 1", true), ("first 1", false), ("rejudge 2", true), ("first 2", false) }
            .Select(w => (Name: w.Item1, Task: slots.AcquireAsync(w.Item2))).ToList();

        held.Dispose();
        foreach (var expected in new[] { "first 1", "first 2", "rejudge 1", "rejudge 2" })
        {
            var granted = waiters.Single(w => w.Name == expected);
            var slot = await Granted(granted.Task, expected);
            Assert.All(waiters.Where(w => w.Name != expected && !order.Contains(w.Name)), w => Assert.False(w.Task.IsCompleted, $"{w.Name} got a slot before {expected}"));
            order.Add(expected);
            slot.Dispose();
        }
        Assert.Equal(0, slots.Busy);
    }

    [Fact]
    public async Task Without_a_first_judging_waiting_a_rejudge_takes_a_free_slot_at_once()
    {
        var slots = Slots(2);
        var first = await slots.AcquireAsync();
        var rejudge = slots.AcquireAsync(rejudge: true);
        Assert.True(rejudge.IsCompletedSuccessfully);
        Assert.Equal(2, slots.Busy);
        Assert.Equal(2, slots.Capacity);
        (await rejudge).Dispose();
        first.Dispose();
        Assert.Equal(0, slots.Busy);
    }

    [Fact]
    public async Task A_cancelled_waiter_leaves_the_queue_and_the_slot_goes_to_the_next()
    {
        var slots = Slots(1);
        var held = await slots.AcquireAsync();
        using var cancel = new CancellationTokenSource();
        var cancelled = slots.AcquireAsync(rejudge: false, cancel.Token);
        var rejudge = slots.AcquireAsync(rejudge: true);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.Equal((0, 1), slots.Waiting);

        held.Dispose();
        var slot = await Granted(rejudge, "the rejudge behind a cancelled first judging");
        Assert.Equal(1, slots.Busy);
        slot.Dispose();
        slot.Dispose(); // giving a slot back twice frees it once
        Assert.Equal(0, slots.Busy);
    }
}
