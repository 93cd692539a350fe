using System.Net;
using Judge.Grains.Options;
using Judge.Grains.Workers;
using Judge.Interfaces;
using Microsoft.Extensions.Time.Testing;
using Orleans.Runtime;

namespace Judge.Grains.IntegrationTests;

/// <summary>How a silo chooses where a judging job goes: the silo with the fewest jobs per judging slot, counting the jobs it
/// placed itself since each silo's last report.</summary>
public class SlotBoardTests
{
    private static readonly SiloAddress Self = Silo(1), Peer = Silo(2), Other = Silo(3);

    private static SiloAddress Silo(int n) => SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 11110 + n), n);

    private static (SlotBoard Board, JudgeSlots Slots, FakeTimeProvider Time) Board(int localSlots)
    {
        var slots = new JudgeSlots(Microsoft.Extensions.Options.Options.Create(new JudgingOptions { Slots = localSlots }));
        var time = new FakeTimeProvider();
        return (new SlotBoard(slots, time), slots, time);
    }

    [Fact]
    public void A_burst_of_jobs_from_one_silo_is_spread_over_every_free_slot_before_the_reports_come()
    {
        var (board, _, _) = Board(localSlots: 1);
        board.Receive(new SlotLoad(Peer, 0, 0, 1));
        board.Receive(new SlotLoad(Other, 0, 0, 1));

        var chosen = Enumerable.Range(0, 12).Select(_ => board.Choose([Self, Peer, Other], Self)).ToList();

        // The local silo's own jobs count once they wait for its slot; the burst below never reaches it in this test, so its
        // placements count as in flight like the others'.
        Assert.Equal(4, chosen.Count(s => s.Equals(Self)));
        Assert.Equal(4, chosen.Count(s => s.Equals(Peer)));
        Assert.Equal(4, chosen.Count(s => s.Equals(Other)));
    }

    [Fact]
    public async Task A_job_goes_to_the_silo_with_a_free_slot_and_when_all_are_busy_to_the_shortest_queue_per_slot()
    {
        var (board, slots, time) = Board(localSlots: 1);
        var held = await slots.AcquireAsync(); // this silo's one slot is busy
        board.Receive(new SlotLoad(Peer, 2, 0, 2));  // busy
        board.Receive(new SlotLoad(Other, 1, 0, 2)); // one slot free
        Assert.Equal(Other, board.Choose([Self, Peer, Other], Self));

        time.Advance(TimeSpan.FromSeconds(2)); // the reports that follow show that placement
        board.Receive(new SlotLoad(Peer, 2, 1, 2));  // 3 jobs for 2 slots
        board.Receive(new SlotLoad(Other, 2, 3, 2)); // 5 jobs for 2 slots
        using var stop = new CancellationTokenSource();
        var waiting = slots.AcquireAsync(stop.Token); // and one job waits for it: 2 per slot here
        Assert.Equal(Peer, board.Choose([Self, Peer, Other], Self)); // 1.5 per slot, against 2 here and 2.5 there

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        held.Dispose();
    }

    [Fact]
    public void Only_silos_that_offer_the_language_are_chosen()
    {
        var (board, _, _) = Board(localSlots: 1);
        board.Receive(new SlotLoad(Peer, 0, 0, 8));

        Assert.All(Enumerable.Range(0, 5), _ => Assert.Equal(Other, board.Choose([Other], Self)));
    }

    [Fact]
    public async Task A_silo_that_went_silent_gets_no_jobs_while_another_can_take_them_and_again_once_it_reports()
    {
        var (board, slots, time) = Board(localSlots: 1);
        using var held = await slots.AcquireAsync(); // this silo's one slot is busy
        board.Receive(new SlotLoad(Peer, 0, 0, 4));  // four free slots, then not a word (its link is cut)
        time.Advance(SlotBoard.Silent + TimeSpan.FromSeconds(1));
        board.Receive(new SlotLoad(Other, 1, 0, 1)); // busy, but it reports

        Assert.All(Enumerable.Range(0, 6), _ => Assert.NotEqual(Peer, board.Choose([Self, Peer, Other], Self)));
        Assert.Equal(Peer, board.Choose([Peer], Self)); // the only candidate is still chosen

        board.Receive(new SlotLoad(Peer, 0, 0, 4));
        Assert.Equal(Peer, board.Choose([Self, Peer, Other], Self));
    }

    [Fact]
    public async Task A_silo_a_call_found_unavailable_gets_no_jobs_while_another_can_take_them_until_it_reports_again()
    {
        var (board, slots, time) = Board(localSlots: 1);
        using var held = await slots.AcquireAsync();
        board.Receive(new SlotLoad(Peer, 0, 0, 4));
        var job = GrainId.Create("worker-python3", "submission#1");
        Assert.Equal(Peer, board.Choose([Self, Peer], Self, job));

        board.Unreachable(job); // the call to that job's activation found its silo unavailable
        Assert.All(Enumerable.Range(0, 6), i => Assert.Equal(Self, board.Choose([Self, Peer], Self, GrainId.Create("worker-python3", $"submission#{i + 2}"))));

        time.Advance(TimeSpan.FromSeconds(6)); // the placements above no longer count
        board.Receive(new SlotLoad(Peer, 0, 0, 4)); // it reports again: reachable
        Assert.Equal(Peer, board.Choose([Self, Peer], Self));
    }

    [Fact]
    public void A_range_of_tests_goes_only_to_another_silo_whose_report_shows_an_idle_slot_and_no_waiting_job()
    {
        var (board, _, _) = Board(localSlots: 4); // this silo's own idle slots are never chosen: they are borrowed, not handed to
        board.Receive(new SlotLoad(Peer, 1, 0, 1));  // busy
        board.Receive(new SlotLoad(Other, 0, 1, 2)); // idle slots, but a job waits there: it gets them first

        Assert.Null(board.ChooseIdle([Self, Peer, Other], Self));
        Assert.False(board.ShowsIdle(Peer));

        board.Receive(new SlotLoad(Other, 0, 0, 2));
        Assert.True(board.ShowsIdle(Other));
        Assert.Equal(Other, board.ChooseIdle([Self, Peer, Other], Self)?.Silo);
        Assert.Null(board.ChooseIdle([Self, Peer], Self)); // only silos that offer the language
    }

    [Fact]
    public void A_burst_of_ranges_fills_the_idle_slots_a_report_shows_and_no_more_before_the_next_report()
    {
        var (board, _, time) = Board(localSlots: 1);
        board.Receive(new SlotLoad(Peer, 0, 0, 2));
        board.Receive(new SlotLoad(Other, 0, 0, 1));

        var chosen = Enumerable.Range(0, 5).Select(_ => board.ChooseIdle([Self, Peer, Other], Self)?.Silo).ToList();

        Assert.Equal(2, chosen.Count(s => Equals(s, Peer)));
        Assert.Equal(1, chosen.Count(s => Equals(s, Other)));
        Assert.Equal(2, chosen.Count(s => s is null));

        time.Advance(TimeSpan.FromSeconds(2)); // the reports that follow show the ranges done
        board.Receive(new SlotLoad(Peer, 0, 0, 2));
        Assert.Equal(Peer, board.ChooseIdle([Self, Peer], Self)?.Silo);
    }

    [Fact]
    public void A_silo_that_went_silent_or_that_a_call_found_unavailable_gets_no_range_until_it_reports_again()
    {
        var (board, _, time) = Board(localSlots: 1);
        board.Receive(new SlotLoad(Peer, 0, 0, 4));
        board.Receive(new SlotLoad(Other, 0, 0, 4));
        Assert.Null(board.ChooseIdle([Self], Self)); // never this silo, nor one that has not reported

        board.Unreachable(Peer); // a range call found it unavailable
        Assert.All(Enumerable.Range(0, 3), _ => Assert.Equal(Other, board.ChooseIdle([Peer, Other], Self)?.Silo));

        time.Advance(SlotBoard.Silent + TimeSpan.FromSeconds(1)); // and then neither reports
        Assert.Null(board.ChooseIdle([Peer, Other], Self));

        board.Receive(new SlotLoad(Peer, 0, 0, 4));
        Assert.Equal(Peer, board.ChooseIdle([Peer, Other], Self)?.Silo);
    }

    [Fact]
    public void A_silo_whose_range_came_back_gets_the_next_range_as_soon_as_its_report_shows_the_slot_free()
    {
        var (board, _, time) = Board(localSlots: 1);
        board.Receive(new SlotLoad(Peer, 0, 0, 1));
        var range = board.ChooseIdle([Self, Peer], Self);
        Assert.Equal(Peer, range?.Silo);

        time.Advance(TimeSpan.FromMilliseconds(100));
        board.Receive(new SlotLoad(Peer, 1, 0, 1)); // the range runs there
        Assert.Null(board.ChooseIdle([Self, Peer], Self));

        time.Advance(TimeSpan.FromMilliseconds(300));
        board.RangeEnded(range!); // it came back
        Assert.Null(board.ChooseIdle([Self, Peer], Self)); // the last report still shows its slot taken

        time.Advance(TimeSpan.FromMilliseconds(100));
        board.Receive(new SlotLoad(Peer, 0, 0, 1)); // the report of the change, well within a second of the placement
        Assert.Equal(Peer, board.ChooseIdle([Self, Peer], Self)?.Silo);
    }
}
