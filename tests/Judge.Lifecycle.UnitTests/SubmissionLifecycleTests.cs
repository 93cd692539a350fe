using System.Collections.Immutable;
using Judge.Interfaces;
using Judge.Lifecycle;

namespace Judge.Lifecycle.UnitTests;

public class SubmissionLifecycleTests
{
    private static readonly SubmissionRequest Request = new("aplusb", "cpp17", "int main(){}");

    private static TestResult Passed(int index, long timeMs = 5, long memoryKb = 1000) => new($"secret/{index}", Verdict.AC, timeMs, timeMs, memoryKb);

    private static JudgeResult Accepted(params TestResult[] tests) => new(Verdict.AC, "", [.. tests], null, "silo-a");

    [Fact]
    public async Task A_new_submission_is_stored_queued_and_handed_to_one_worker()
    {
        var host = new ScriptedHost();

        Assert.Equal(SubmitOutcome.Accepted, await host.SubmitAsync(Request));
        var attempt = await host.NextAttemptAsync("first attempt");

        Assert.Equal(1, attempt.Number);
        Assert.Equal(1, attempt.Job.Judging);
        Assert.Equal(SubmissionStatus.Queued, host.Writes[0]!.Status);
        Assert.Equal(["accepted"], host.ResultsOut);
        Assert.True(host.Watchdog);
    }

    [Fact]
    public async Task The_same_id_and_body_again_is_a_duplicate_that_is_not_judged_again()
    {
        var host = new ScriptedHost();
        await host.SubmitAsync(Request);
        await host.NextAttemptAsync("first attempt");

        Assert.Equal(SubmitOutcome.Duplicate, await host.SubmitAsync(Request with { }));
        await host.SettleAsync();

        Assert.False(host.HasPendingAttempt);
        Assert.Equal(["accepted", "accepted"], host.ResultsOut); // the duplicate repairs a lost publication
    }

    [Fact]
    public async Task The_same_id_with_a_different_body_is_a_conflict_and_changes_nothing()
    {
        var host = new ScriptedHost();
        await host.SubmitAsync(Request);

        Assert.Equal(SubmitOutcome.Conflict, await host.SubmitAsync(Request with { Source = "int main(){return 1;}" }));
        Assert.Equal(Request, host.Record.Request);
    }

    [Fact]
    public async Task An_attempt_whose_worker_stops_reporting_is_started_again_after_the_lease()
    {
        var host = new ScriptedHost();
        await host.SubmitAsync(Request);
        var first = await host.NextAttemptAsync("first attempt");

        // A heartbeat renews the lease: silence is counted from it.
        await host.AdvanceAsync(TimeSpan.FromSeconds(6));
        Assert.True(await host.ReportAsync(first.Number, new JudgeProgress(JudgeProgressKind.Heartbeat)));
        for (var s = 0; s < ScriptedHost.StallTimeout.TotalSeconds; s++)
            await host.AdvanceAsync(TimeSpan.FromSeconds(1)); // 16 s: the lease, counted from the heartbeat, ends
        await host.AdvanceAsync(TimeSpan.FromMilliseconds(500));
        Assert.False(host.HasPendingAttempt); // counted from the start, it would have ended at 10 s and attempt 2 come at 11 s

        // Past the lease and the pause after a lost attempt (1 s): a new attempt.
        await host.AdvanceAsync(TimeSpan.FromMilliseconds(500));
        var second = await host.NextAttemptAsync("attempt after the lease");
        Assert.Equal(2, second.Number);

        // The silent worker of attempt 1 is told to stop; attempt 2's result is the verdict.
        Assert.False(await host.ReportAsync(first.Number, new JudgeProgress(JudgeProgressKind.Heartbeat)));
        second.Answer.SetResult(Accepted(Passed(0)));
        await host.UntilAsync(() => host.Record.Submission!.Status == SubmissionStatus.Finished, "verdict of attempt 2");
        Assert.Equal(Verdict.AC, host.Record.Submission!.Verdict);
    }

    [Fact]
    public async Task A_job_queued_on_a_live_silo_waits_an_hour_for_a_slot_without_a_heartbeat_and_is_not_judged_again()
    {
        var host = new ScriptedHost();
        await host.SubmitAsync(Request);
        var attempt = await host.NextAttemptAsync("first attempt");
        Assert.True(await host.ReportAsync(attempt.Number, new JudgeProgress(JudgeProgressKind.Queued) { Silo = "silo-a" }));

        for (var minute = 0; minute < 60; minute++)
            await host.AdvanceAsync(TimeSpan.FromMinutes(1)); // no report at all from the worker meanwhile
        Assert.False(host.HasPendingAttempt);
        Assert.Equal(SubmissionStatus.Queued, host.Record.Submission!.Status);

        // The slot is taken: from now on the worker's heartbeats are the lease again.
        Assert.True(await host.ReportAsync(attempt.Number, new JudgeProgress(JudgeProgressKind.Compiling)));
        await host.AdvanceAsync(ScriptedHost.StallTimeout);
        await host.AdvanceAsync(TimeSpan.FromSeconds(1)); // the pause after a lost attempt
        var second = await host.NextAttemptAsync("attempt after a judging worker went silent");
        Assert.Equal(2, second.Number);
    }

    [Fact]
    public async Task A_job_queued_on_a_silo_that_the_membership_declares_dead_is_judged_again()
    {
        var host = new ScriptedHost();
        await host.SubmitAsync(Request);
        var attempt = await host.NextAttemptAsync("first attempt");
        await host.ReportAsync(attempt.Number, new JudgeProgress(JudgeProgressKind.Queued) { Silo = "silo-a" });
        await host.AdvanceAsync(TimeSpan.FromMinutes(5));
        Assert.False(host.HasPendingAttempt);

        // The membership declares the silo dead, and its pending call has not failed (yet): the attempt ends now.
        host.DeclareDead("silo-a");
        await host.AdvanceAsync(TimeSpan.FromSeconds(1)); // the pause after a lost attempt
        var second = await host.NextAttemptAsync("attempt after the queue's silo died");
        Assert.Equal(2, second.Number);
        Assert.Equal(SubmissionStatus.Queued, host.Record.Submission!.Status);
        Assert.False(await host.ReportAsync(attempt.Number, new JudgeProgress(JudgeProgressKind.Compiling))); // the old job is stopped
    }

    [Fact]
    public async Task A_job_queued_on_a_silo_whose_judge_call_fails_is_judged_again_at_once()
    {
        var host = new ScriptedHost();
        await host.SubmitAsync(Request);
        var attempt = await host.NextAttemptAsync("first attempt");
        await host.ReportAsync(attempt.Number, new JudgeProgress(JudgeProgressKind.Queued) { Silo = "silo-a" });
        await host.AdvanceAsync(TimeSpan.FromMinutes(5));

        attempt.Answer.SetException(new InvalidOperationException("silo-a is dead")); // Orleans fails calls to a dead silo
        await host.AdvanceAsync(TimeSpan.FromSeconds(1));
        Assert.Equal(2, (await host.NextAttemptAsync("attempt after the failed call")).Number);
    }

    [Fact]
    public async Task Three_failed_judge_calls_end_as_a_judge_error_naming_the_last_error()
    {
        var host = new ScriptedHost();
        await host.SubmitAsync(Request);

        for (var i = 1; i <= SubmissionLifecycle.MaxAttempts; i++)
        {
            var attempt = await host.NextAttemptAsync($"attempt {i}");
            Assert.Equal(i, attempt.Number);
            attempt.Answer.SetException(new InvalidOperationException($"worker silo {i} died"));
            await host.AdvanceAsync(TimeSpan.FromSeconds(i)); // the pause after the i-th failure
        }

        await host.UntilAsync(() => host.Record.Submission!.Status == SubmissionStatus.Finished, "judge error");
        var view = host.Record.Submission!;
        Assert.Equal(Verdict.IE, view.Verdict);
        Assert.Equal("judging failed 3 times; last error: worker silo 3 died", view.Message);
        Assert.False(host.HasPendingAttempt);
        Assert.False(host.Watchdog);
    }

    [Fact]
    public async Task Attempts_handed_back_by_a_silo_that_shuts_down_do_not_count_as_failures()
    {
        var host = new ScriptedHost();
        await host.SubmitAsync(Request);

        for (var i = 1; i <= SubmissionLifecycle.MaxAttempts + 1; i++)
        {
            var handedBack = await host.NextAttemptAsync($"attempt {i}");
            handedBack.Answer.SetException(new JudgeHandedBackException("silo-draining"));
            await host.AdvanceAsync(TimeSpan.FromMilliseconds(100));
        }
        var last = await host.NextAttemptAsync("attempt after the hand-backs");
        last.Answer.SetResult(Accepted(Passed(0)));

        await host.UntilAsync(() => host.Record.Submission!.Status == SubmissionStatus.Finished, "verdict");
        Assert.Equal(Verdict.AC, host.Record.Submission!.Verdict);
        Assert.Equal(SubmissionLifecycle.MaxAttempts + 2, host.Record.Attempt);
    }

    [Fact]
    public async Task An_activation_that_inherits_a_live_attempt_listens_to_it_instead_of_judging_again()
    {
        var host = new ScriptedHost(Unfinished(attempt: 1, revision: 7));

        await host.ActivateAsync();
        Assert.Equal(7 + SubmissionLifecycle.RevisionGap, host.Record.Revision); // newer than the lost activation's live publications
        await host.AdvanceAsync(ScriptedHost.StallTimeout / 2);
        Assert.True(await host.ReportAsync(1, new JudgeProgress(JudgeProgressKind.TestsJudged, 0, "secret/1") { Results = [Passed(0)] }));
        await host.AdvanceAsync(ScriptedHost.StallTimeout / 2 + TimeSpan.FromSeconds(1));
        await host.ResultAsync(1, Accepted(Passed(0), Passed(1)));

        await host.UntilAsync(() => host.Record.Submission!.Status == SubmissionStatus.Finished, "verdict of the inherited attempt");
        Assert.False(host.HasPendingAttempt);
        Assert.Equal(1, host.Record.Attempt);
    }

    [Fact]
    public async Task An_activation_that_inherits_a_silent_attempt_judges_again_after_the_lease()
    {
        var host = new ScriptedHost(Unfinished(attempt: 1, revision: 7));

        await host.ActivateAsync();
        await host.AdvanceAsync(ScriptedHost.StallTimeout - TimeSpan.FromMilliseconds(1));
        Assert.False(host.HasPendingAttempt);
        await host.AdvanceAsync(TimeSpan.FromMilliseconds(1));

        var attempt = await host.NextAttemptAsync("attempt after the inherited one was silent");
        Assert.Equal(2, attempt.Number);
        Assert.Empty(host.Record.Submission!.Tests); // judged again from the first test
    }

    [Fact]
    public async Task Test_progress_is_stored_every_50_changes_or_every_second_not_after_each_test()
    {
        var host = new ScriptedHost();
        await host.SubmitAsync(Request);
        var attempt = await host.NextAttemptAsync("first attempt");
        await host.ReportAsync(attempt.Number, new JudgeProgress(JudgeProgressKind.Compiling));
        await host.ReportAsync(attempt.Number, new JudgeProgress(JudgeProgressKind.Compiled, TestCount: 200));
        var writes = host.Writes.Count;

        for (var i = 0; i < SubmissionLifecycle.CheckpointChanges - 1; i++)
            await host.ReportAsync(attempt.Number, new JudgeProgress(JudgeProgressKind.TestsJudged, i, $"secret/{i + 1}") { Results = [Passed(i)] });
        Assert.Equal(writes, host.Writes.Count);

        await host.ReportAsync(attempt.Number, new JudgeProgress(JudgeProgressKind.TestsJudged, 49, "secret/50") { Results = [Passed(49)] });
        Assert.Equal(writes + 1, host.Writes.Count);
        Assert.Equal(50, host.Writes[^1]!.Tests.Length);

        // One change, then a second later another: the second is stored.
        await host.ReportAsync(attempt.Number, new JudgeProgress(JudgeProgressKind.TestsJudged, 50, "secret/51") { Results = [Passed(50)] });
        Assert.Equal(writes + 1, host.Writes.Count);
        await host.AdvanceAsync(SubmissionLifecycle.CheckpointInterval);
        await host.ReportAsync(attempt.Number, new JudgeProgress(JudgeProgressKind.TestsJudged, 51, "secret/52") { Results = [Passed(51)] });
        Assert.Equal(writes + 2, host.Writes.Count);
        Assert.Equal(52, host.Writes[^1]!.Tests.Length);
    }

    [Fact]
    public async Task The_results_copied_by_checkpoints_and_live_progress_grow_linearly_with_the_tests()
    {
        // Every checkpoint stores, and every live publication sends, the whole list of results so far. One test judged per
        // millisecond: 4 times the tests must copy about 4 times the results, not 16 times.
        async Task<(long Stored, long Sent)> CopiedAsync(int tests)
        {
            var host = new ScriptedHost();
            await host.SubmitAsync(Request);
            var attempt = await host.NextAttemptAsync("first attempt");
            await host.ReportAsync(attempt.Number, new JudgeProgress(JudgeProgressKind.Compiled, TestCount: tests));
            var (writes, live) = (host.Writes.Count, host.Live.Count);
            for (var i = 0; i < tests; i++)
            {
                await host.ReportAsync(attempt.Number, new JudgeProgress(JudgeProgressKind.TestsJudged, i, $"secret/{i + 1}") { Results = [Passed(i)] });
                host.Time.Advance(TimeSpan.FromMilliseconds(1)); // a delayed publication it wakes runs as the next turn
            }
            await host.SettleAsync();
            Assert.Equal(tests, (await host.ViewAsync())!.Tests.Length);
            Assert.True(host.Writes.Count - writes >= 3, "progress was not stored along the way");
            Assert.True(host.Live.Count - live >= 10, "progress was not published along the way");
            return (host.Writes.Skip(writes).Sum(w => (long)w!.Tests.Length), host.Live.Skip(live).Sum(l => (long)l.Submission.Tests.Length));
        }

        var small = await CopiedAsync(1_000);
        var large = await CopiedAsync(4_000);
        Assert.True(large.Stored < 6 * small.Stored, $"stored {small.Stored} results for 1,000 tests, {large.Stored} for 4,000");
        Assert.True(large.Sent < 6 * small.Sent, $"published {small.Sent} results for 1,000 tests, {large.Sent} for 4,000");
    }

    [Fact]
    public async Task Live_progress_goes_out_at_most_every_50_ms_and_the_last_change_is_not_lost()
    {
        var host = new ScriptedHost();
        await host.SubmitAsync(Request);
        var attempt = await host.NextAttemptAsync("first attempt");
        await host.ReportAsync(attempt.Number, new JudgeProgress(JudgeProgressKind.Compiled, TestCount: 3));
        var live = host.Live.Count;

        await host.ReportAsync(attempt.Number, new JudgeProgress(JudgeProgressKind.TestsJudged, 0, "secret/2") { Results = [Passed(0)] });
        Assert.Equal(live + 1, host.Live.Count); // the first change after a quiet spell goes out at once
        await host.ReportAsync(attempt.Number, new JudgeProgress(JudgeProgressKind.TestsJudged, 1, "secret/3") { Results = [Passed(1)] });
        await host.AdvanceAsync(ScriptedHost.LiveInterval - TimeSpan.FromMilliseconds(1));
        Assert.Equal(live + 1, host.Live.Count);

        await host.AdvanceAsync(TimeSpan.FromMilliseconds(1));
        await host.UntilAsync(() => host.Live.Count == live + 2, "the delayed live publication");
        var (view, revision) = host.Live[^1];
        Assert.Equal(2, view.Tests.Length);
        Assert.True(revision > host.Live[^2].Revision);
    }

    [Fact]
    public async Task The_final_time_and_memory_are_the_most_a_test_that_ran_used_and_a_pass_fail_problem_scores_1_of_1()
    {
        var host = new ScriptedHost();
        await host.SubmitAsync(Request);
        var attempt = await host.NextAttemptAsync("first attempt");

        attempt.Answer.SetResult(Accepted(Passed(0, timeMs: 40, memoryKb: 900), Passed(1, timeMs: 15, memoryKb: 3000))
            with { Tests = [Passed(0, 40, 900), Passed(1, 15, 3000), new TestResult("secret/3", Verdict.SK, 999, 999, 99999)] });

        await host.UntilAsync(() => host.Record.Submission!.Status == SubmissionStatus.Finished, "verdict");
        var view = host.Record.Submission!;
        Assert.Equal((40L, 3000L), (view.TimeMs!.Value, view.MemoryKb!.Value));
        Assert.Equal((1.0, 1.0), (view.Score!.Value, view.MaxScore!.Value));
        Assert.Equal(3, view.TestCount);
        Assert.Equal("silo-a", view.JudgedBy);
        Assert.Equal(["accepted", "finished 1 AC"], host.ResultsOut);
    }

    [Fact]
    public async Task A_wrong_answer_to_a_pass_fail_problem_scores_0_of_1_and_a_scoring_problem_keeps_its_score()
    {
        var view = new Submission { Id = "s", Problem = "p", Language = "cpp17", Status = SubmissionStatus.Running, CreatedAt = DateTimeOffset.UnixEpoch, Judging = 1 };
        var wrong = SubmissionTotals.Finish(view, new JudgeResult(Verdict.WA, null, [], null, "silo"), DateTimeOffset.UnixEpoch);
        var scored = SubmissionTotals.Finish(view, new JudgeResult(Verdict.WA, null, [], null, "silo") { Score = 30, MaxScore = 100 }, DateTimeOffset.UnixEpoch);

        Assert.Equal((0.0, 1.0), (wrong.Score!.Value, wrong.MaxScore!.Value));
        Assert.Equal((30.0, 100.0), (scored.Score!.Value, scored.MaxScore!.Value));
        Assert.Null(wrong.TimeMs);
    }

    [Fact]
    public async Task A_language_no_silo_offers_finishes_as_a_judge_error_without_an_attempt()
    {
        var host = new ScriptedHost();
        host.Languages.Clear();

        await host.SubmitAsync(Request);

        await host.UntilAsync(() => host.Record.Submission!.Status == SubmissionStatus.Finished, "judge error");
        Assert.Equal(Verdict.IE, host.Record.Submission!.Verdict);
        Assert.Equal("no silo in the cluster offers language 'cpp17'", host.Record.Submission.Message);
        Assert.False(host.HasPendingAttempt);
    }

    [Fact]
    public async Task A_silo_that_shuts_down_leaves_an_unfinished_submission_to_another()
    {
        var host = new ScriptedHost(Unfinished(attempt: 0, revision: 3)) { IsDraining = true };

        await host.ActivateAsync();

        await host.UntilAsync(() => host.Left, "leaving");
        Assert.False(host.HasPendingAttempt);
        Assert.NotEqual(SubmissionStatus.Finished, host.Record.Submission!.Status);
    }

    [Fact]
    public async Task A_stale_copy_of_a_submission_stops_taking_reports()
    {
        var host = new ScriptedHost();
        await host.SubmitAsync(Request);
        var attempt = await host.NextAttemptAsync("first attempt");

        host.FailNextWriteAsStale = true;
        await Assert.ThrowsAsync<SubmissionStaleException>(() => host.ReportAsync(attempt.Number, new JudgeProgress(JudgeProgressKind.Compiling)));

        Assert.True(host.Lifecycle.IsStale);
        await Assert.ThrowsAsync<SubmissionStaleException>(() => host.ReportAsync(attempt.Number, new JudgeProgress(JudgeProgressKind.Heartbeat)));
    }

    [Fact]
    public async Task An_accept_that_storage_did_not_take_is_undone_and_its_retry_is_accepted_and_judged()
    {
        var host = new ScriptedHost { FailNextWrite = new TimeoutException("storage did not answer") };

        await Assert.ThrowsAsync<TimeoutException>(() => host.SubmitAsync(Request));

        // Nothing was accepted: this copy holds no request, judges nothing, and leaves; a retry that still reaches it is
        // told to call again (answered from memory, it would have been a duplicate that nothing judges).
        Assert.True(host.Left);
        Assert.Null(host.Record.Request);
        Assert.Null(host.Record.Submission);
        Assert.Equal(0, host.Dispatches);
        Assert.Null(host.Watchdog);
        Assert.Empty(host.ResultsOut);
        await Assert.ThrowsAsync<SubmissionStaleException>(() => host.SubmitAsync(Request));

        // The retry reaches the next copy, over what storage holds: it is accepted and judged.
        var next = new ScriptedHost((ScriptedHost.StoredRecord)host.Record);
        await next.ActivateAsync();
        Assert.Equal(SubmitOutcome.Accepted, await next.SubmitAsync(Request));
        var attempt = await next.NextAttemptAsync("attempt after the retry");
        attempt.Answer.SetResult(Accepted(Passed(0)));
        await next.UntilAsync(() => next.Record.Submission!.Status == SubmissionStatus.Finished, "verdict after the retry");
        Assert.Equal(Verdict.AC, next.Record.Submission!.Verdict);
    }

    [Fact]
    public async Task A_copy_whose_checkpoint_write_fails_stops_judging_and_taking_reports_and_leaves()
    {
        var host = new ScriptedHost();
        await host.SubmitAsync(Request);
        var attempt = await host.NextAttemptAsync("first attempt");

        host.FailNextWrite = new TimeoutException("storage did not answer");
        await Assert.ThrowsAsync<TimeoutException>(() => host.ReportAsync(attempt.Number, new JudgeProgress(JudgeProgressKind.Compiling)));

        // Memory may now be ahead of storage: the worker's next report goes to the next copy, which resumes from storage.
        Assert.True(host.Left);
        Assert.True(host.Lifecycle.IsStale);
        await Assert.ThrowsAsync<SubmissionStaleException>(() => host.ReportAsync(attempt.Number, new JudgeProgress(JudgeProgressKind.Heartbeat)));
        await host.AdvanceAsync(ScriptedHost.StallTimeout * 2);
        Assert.False(host.HasPendingAttempt);
    }

    [Fact]
    public async Task A_copy_whose_verdict_write_fails_leaves_without_counting_a_failed_attempt_or_judging_again()
    {
        var host = new ScriptedHost();
        await host.SubmitAsync(Request);
        var attempt = await host.NextAttemptAsync("first attempt");

        host.FailNextWrite = new TimeoutException("storage did not answer");
        attempt.Answer.SetResult(Accepted(Passed(0)));
        await host.UntilAsync(() => host.Left, "leaving");
        await host.AdvanceAsync(TimeSpan.FromSeconds(5));

        // The next copy, which storage shows unfinished, resumes; this one neither finishes nor starts attempt 2.
        Assert.False(host.HasPendingAttempt);
        Assert.Equal(0, host.Finished);
        Assert.Equal(["accepted"], host.ResultsOut);
    }

    [Fact]
    public async Task A_verdict_that_storage_did_not_take_is_not_shown_and_the_workers_retry_finishes_it_at_the_next_copy()
    {
        var host = new ScriptedHost();
        await host.SubmitAsync(Request);
        var attempt = await host.NextAttemptAsync("first attempt");
        var waiting = host.Turn(() => host.Lifecycle.WaitForResultAsync(TimeSpan.FromMinutes(5)));
        await host.SettleAsync();

        host.FailNextWrite = new TimeoutException("storage did not answer");
        await Assert.ThrowsAsync<TimeoutException>(() => host.ResultAsync(attempt.Number, Accepted(Passed(0))));

        // This copy leaves: it shows no verdict that storage may not have, and whoever waits on it or reports to it is told
        // at once to call again (no fake time passes), so that nothing holds it and the next call reaches the next copy.
        Assert.True(host.Left);
        Assert.Equal(SubmissionStatus.Queued, (await host.ViewAsync())!.Status);
        Assert.Null((await host.ViewAsync())!.Verdict);
        await Assert.ThrowsAsync<SubmissionStaleException>(() => waiting);
        await Assert.ThrowsAsync<SubmissionStaleException>(() => host.ResultAsync(attempt.Number, Accepted(Passed(0))));
        await Assert.ThrowsAsync<SubmissionStaleException>(() => host.Turn(() => host.Lifecycle.WaitForResultAsync(TimeSpan.FromMinutes(5))));
        Assert.Equal(0, host.Finished);

        // The worker's retry reaches the next copy, over what storage holds: it finishes with that result and judges nothing
        // again, not even after the inherited attempt's lease.
        var next = new ScriptedHost(host.Stored);
        await next.ActivateAsync();
        await next.ResultAsync(attempt.Number, Accepted(Passed(0)));
        Assert.Equal((SubmissionStatus.Finished, Verdict.AC), (next.Record.Submission!.Status, next.Record.Submission.Verdict!.Value));
        await next.AdvanceAsync(ScriptedHost.StallTimeout * 2);
        Assert.False(next.HasPendingAttempt);
        Assert.Equal(1, next.Finished);
        Assert.Equal(["finished 1 AC"], next.ResultsOut);
    }

    [Fact]
    public async Task A_wait_goes_on_at_the_next_copy_when_the_one_it_waits_on_goes_stale()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var finished = new Submission { Id = "s1", Problem = "aplusb", Language = "cpp17", Status = SubmissionStatus.Finished, Verdict = Verdict.AC };
        var calls = new List<TimeSpan>();
        var answers = new Queue<Func<Task<Submission?>>>([
            () => Task.FromException<Submission?>(new SubmissionStaleException("s1", "storing it failed: storage did not answer")),
            () => Task.FromResult<Submission?>(finished),
        ]);

        var waiting = SubmissionWaits.WaitForResultAsync(left => { calls.Add(left); return answers.Dequeue()(); }, TimeSpan.FromSeconds(30), time);
        while (!waiting.IsCompleted && calls.Count < 2)
        {
            time.Advance(SubmissionWaits.StaleRetryDelay);
            await Task.Delay(1);
        }

        Assert.Same(finished, await waiting);
        Assert.Equal([TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30) - SubmissionWaits.StaleRetryDelay], calls);

        // Any other failure is the caller's, and so is a stale copy's once the deadline has passed.
        await Assert.ThrowsAsync<TimeoutException>(() =>
            SubmissionWaits.WaitForResultAsync(_ => Task.FromException<Submission?>(new TimeoutException("no answer")), TimeSpan.FromSeconds(30), time));
        await Assert.ThrowsAsync<SubmissionStaleException>(() =>
            SubmissionWaits.WaitForResultAsync(_ => Task.FromException<Submission?>(new SubmissionStaleException("s1", "another activation wrote its state")), TimeSpan.Zero, time));
    }

    [Fact]
    public async Task A_rejudge_that_storage_did_not_take_is_undone_and_its_retry_starts_judging_2()
    {
        var host = new ScriptedHost();
        await host.SubmitAsync(Request);
        var first = await host.NextAttemptAsync("judging 1");
        first.Answer.SetResult(new JudgeResult(Verdict.WA, "", [new TestResult("secret/1", Verdict.WA, 5, 5, 100)], null, "silo-a"));
        await host.UntilAsync(() => host.Record.Submission!.Status == SubmissionStatus.Finished, "judging 1");

        host.FailNextWrite = new TimeoutException("storage did not answer");
        await Assert.ThrowsAsync<TimeoutException>(() => host.Turn(() => host.Lifecycle.RejudgeAsync(1)));

        Assert.True(host.Left);
        var view = host.Record.Submission!;
        Assert.Equal((1, SubmissionStatus.Finished, Verdict.WA), (view.Judging, view.Status, view.Verdict!.Value));
        Assert.Empty(view.Judgings);

        // The retried rejudge, on the next copy, starts judging 2 (answered from memory it was "already started").
        var next = new ScriptedHost((ScriptedHost.StoredRecord)host.Record);
        await next.ActivateAsync();
        Assert.Equal(new RejudgeAnswer(RejudgeOutcome.Started, 2), await next.Turn(() => next.Lifecycle.RejudgeAsync(1)));
        Assert.Equal(2, (await next.NextAttemptAsync("judging 2")).Job.Judging);
    }

    [Fact]
    public async Task A_rejudge_starts_judging_2_and_a_late_result_of_judging_1_changes_nothing()
    {
        var host = new ScriptedHost();
        await host.SubmitAsync(Request);
        var first = await host.NextAttemptAsync("judging 1");
        first.Answer.SetResult(new JudgeResult(Verdict.WA, "", [new TestResult("secret/1", Verdict.WA, 5, 5, 100)], null, "silo-a"));
        await host.UntilAsync(() => host.Record.Submission!.Status == SubmissionStatus.Finished, "judging 1");

        Assert.Equal(new RejudgeAnswer(RejudgeOutcome.Started, 2), await host.Turn(() => host.Lifecycle.RejudgeAsync(1)));
        Assert.Equal(new RejudgeAnswer(RejudgeOutcome.AlreadyStarted, 2), await host.Turn(() => host.Lifecycle.RejudgeAsync(1)));
        var second = await host.NextAttemptAsync("judging 2");
        Assert.Equal(2, second.Job.Judging);

        await host.ResultAsync(first.Number, Accepted(Passed(0)));
        Assert.NotEqual(SubmissionStatus.Finished, host.Record.Submission!.Status);

        second.Answer.SetResult(Accepted(Passed(0)));
        await host.UntilAsync(() => host.Record.Submission!.Status == SubmissionStatus.Finished, "judging 2");
        var view = host.Record.Submission!;
        Assert.Equal((2, Verdict.AC), (view.Judging, view.Verdict!.Value));
        Assert.Equal(Verdict.WA, Assert.Single(view.Judgings).Verdict);
        Assert.Equal(["accepted", "finished 1 WA", "rejudged 2", "rejudged 2", "finished 2 AC"], host.ResultsOut);
    }

    [Fact]
    public void The_lifecycle_needs_no_Orleans_runtime()
    {
        var references = typeof(SubmissionLifecycle).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.DoesNotContain(references, name => name.StartsWith("Orleans", StringComparison.Ordinal) || name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal));
        Assert.Contains("Judge.Interfaces", references);
    }

    private static ScriptedHost.StoredRecord Unfinished(int attempt, long revision) => new()
    {
        Request = Request,
        Submission = new Submission
        {
            Id = "s1", Problem = Request.Problem, Language = Request.Language, Status = SubmissionStatus.Running,
            CreatedAt = DateTimeOffset.UnixEpoch, Judging = 1, Judgings = ImmutableArray<JudgingSummary>.Empty,
        },
        Attempt = attempt,
        Revision = revision,
    };
}
