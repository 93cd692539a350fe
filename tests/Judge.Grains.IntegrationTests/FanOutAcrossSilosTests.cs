using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Judge.Engine.Judging;
using Judge.Engine.Problems;
using Judge.Engine.Sandbox;
using Judge.Engine.Telemetry;
using Judge.Grains.Hosting;
using Judge.Grains.Options;
using Judge.Grains.Toolchains;
using Judge.Grains.Workers;
using Judge.Interfaces;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Hosting;
using Orleans.TestingHost;
using Verdict = Judge.Engine.Verdicts.Verdict;

namespace Judge.Grains.IntegrationTests;

/// <summary>The fan-out of tests across silos: a submission whose silo has no idle slot hands ranges of its tests to another
/// silo with an idle one (<see cref="TestRangeDispatch"/>, <see cref="TestRangeGrain"/>), on two in-process silos of one
/// judging slot each, with their own sandbox daemons, real g++ programs, and the real slot reports between them. Judging
/// reports exactly what judging the tests one after another does, and no silo runs more programs at once than its slot.</summary>
[Collection(ProcessWideMetricsCollection.Name)]
public sealed class FanOutAcrossSilosTests(FanOutAcrossSilosTests.Fixture fixture) : IClassFixture<FanOutAcrossSilosTests.Fixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Forty_sleeping_tests_run_on_both_silos_at_once_while_the_other_is_idle_and_report_as_judged_one_after_another()
    {
        var sequential = await fixture.SequentialAsync(Fixture.Sleepy, runAll: false);
        await fixture.UntilIdleAsync();
        fixture.ResetProbes();
        using var remote = new CountedMetric(EngineTelemetry.FanOutRemoteRuns);

        var (report, progress) = await fixture.FanOutOnAsync(0, Fixture.Sleepy, runAll: false);

        Assert.Equal(Verdict.AC, report.Verdict);
        Assert.Equal(Describe(sequential.Progress.Judged), Describe(progress.Judged));
        Assert.Equal(Fixture.Tests, progress.Judged.Count);
        Assert.True(fixture.Together.Max >= 2, $"at most {fixture.Together.Max} program ran at once across the silos: no range went to the idle silo");
        Assert.True(remote.Count > 0, "no test ran on the other silo");
        Assert.NotEmpty(fixture.Probe(1).Tests);
        Assert.Equal((1, 1), (fixture.Probe(0).Max, fixture.Probe(1).Max)); // never more programs at once on a silo than its one slot
        await fixture.UntilSlotsFreeAsync();
    }

    [Fact]
    public async Task A_failing_test_near_the_front_gives_the_same_verdict_and_tests_as_judged_one_after_another_and_cancels_the_range()
    {
        var sequential = await fixture.SequentialAsync(Fixture.FrontFail, runAll: false);
        await fixture.UntilIdleAsync();
        fixture.ResetProbes();

        var (report, progress) = await fixture.FanOutOnAsync(0, Fixture.FrontFail, runAll: false);

        Assert.Equal(Verdict.WA, report.Verdict);
        Assert.Equal(sequential.Report.Verdict, report.Verdict);
        Assert.Equal(Describe(sequential.Progress.Judged), Describe(progress.Judged));
        Assert.Equal(Fixture.Failing + 1, progress.Judged.Count);
        Assert.Equal(sequential.Report.Tests.Select(t => (t.Name, t.Verdict)), report.Tests.Select(t => (t.Name, t.Verdict)));
        // The other silo took the tail of the tests and stopped when the failure ended the batch: it ran some, not all (by
        // the time its slot is free, its range has ended).
        await fixture.UntilSlotsFreeAsync();
        var ranThere = fixture.Probe(1).Tests;
        Assert.NotEmpty(ranThere);
        Assert.All(ranThere, t => Assert.True(string.CompareOrdinal(t, Fixture.TestName(Fixture.Tests / 2)) >= 0, $"{t} is not in the tail range"));
        Assert.True(ranThere.Count < Fixture.Tests / 2 - 1, $"the other silo ran {ranThere.Count} tests: its range was not cancelled");
        Assert.Equal((1, 1), (fixture.Probe(0).Max, fixture.Probe(1).Max));
    }

    [Fact]
    public async Task With_runAll_every_test_is_reported_as_judged_one_after_another()
    {
        var sequential = await fixture.SequentialAsync(Fixture.FrontFail, runAll: true);
        await fixture.UntilIdleAsync();
        fixture.ResetProbes();
        using var remote = new CountedMetric(EngineTelemetry.FanOutRemoteRuns);

        var (report, progress) = await fixture.FanOutOnAsync(0, Fixture.FrontFail, runAll: true);

        Assert.Equal(Verdict.WA, report.Verdict);
        Assert.Equal(Fixture.Tests, progress.Judged.Count);
        Assert.Equal(Describe(sequential.Progress.Judged), Describe(progress.Judged));
        Assert.Equal(sequential.Report.Tests.Select(t => (t.Name, t.Verdict)), report.Tests.Select(t => (t.Name, t.Verdict)));
        Assert.True(remote.Count > 0, "no test ran on the other silo");
        Assert.Equal((1, 1), (fixture.Probe(0).Max, fixture.Probe(1).Max));
        await fixture.UntilSlotsFreeAsync();
    }

    [Fact]
    public async Task While_the_other_silo_is_busy_the_submission_is_judged_on_its_own_silo()
    {
        await fixture.UntilIdleAsync();
        var otherSlots = fixture.Slots(1);
        using (await otherSlots.AcquireAsync())
        {
            await Until(() => !fixture.Board(0).ShowsIdle(fixture.Address(1)), "the first silo to see the other one busy");
            fixture.ResetProbes();

            var (report, progress) = await fixture.FanOutOnAsync(0, Fixture.Sleepy, runAll: false);

            Assert.Equal(Verdict.AC, report.Verdict);
            Assert.Equal(Enumerable.Range(0, Fixture.Tests), progress.Judged.Select(t => t.Index));
            Assert.Empty(fixture.Probe(1).Tests);
            Assert.Equal(1, fixture.Together.Max);
        }
    }

    [Fact]
    public async Task A_first_judging_that_queues_on_the_silo_judging_a_range_gets_its_slot_after_at_most_one_more_test()
    {
        await fixture.UntilIdleAsync();
        fixture.ResetProbes();
        var other = fixture.Slots(1);
        var judging = Task.Run(() => fixture.FanOutOnAsync(0, Fixture.Sleepy, runAll: false));
        await Until(() => fixture.Probe(1).Tests.Count > 0 || judging.IsCompleted, "the other silo to start a test of its range");
        Assert.False(judging.IsCompleted, "the submission finished before the other silo ran a test of its range");

        var finishedThere = fixture.Probe(1).Finished;
        IDisposable slot;
        try
        {
            slot = await other.AcquireAsync().WaitAsync(Patience);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"the queued judging got no slot within {Patience}; the range ran {fixture.Probe(1).Finished - finishedThere} tests meanwhile");
        }
        (JudgeReport Report, RecordedProgress Progress) judged;
        using (slot)
        {
            var finishedWhenGranted = fixture.Probe(1).Finished;
            Assert.False(judging.IsCompleted, "the queued judging got its slot only once the submission had finished");
            Assert.True(finishedWhenGranted - finishedThere <= 1, $"the range ran {finishedWhenGranted - finishedThere} more tests before it gave the slot way");
            judged = await judging.WaitAsync(Patience);
        }
        var (report, progress) = judged;
        Assert.Equal(Verdict.AC, report.Verdict);
        Assert.Equal(Enumerable.Range(0, Fixture.Tests), progress.Judged.Select(t => t.Index));
        Assert.Equal(1, fixture.Probe(1).Max);
    }

    [Fact]
    public async Task With_Judge_FanOutAcrossSilos_off_no_test_runs_on_another_silo()
    {
        await fixture.UntilIdleAsync();
        fixture.ResetProbes();
        var options = fixture.Options(0);
        options.FanOutAcrossSilos = false; // read per job
        try
        {
            var (report, progress) = await fixture.FanOutOnAsync(0, Fixture.Sleepy, runAll: false);
            Assert.Equal(Verdict.AC, report.Verdict);
            Assert.Equal(Fixture.Tests, progress.Judged.Count);
        }
        finally
        {
            options.FanOutAcrossSilos = true;
        }
        Assert.Empty(fixture.Probe(1).Tests);
    }

    [Fact]
    public async Task A_submission_judged_through_its_grain_runs_tests_on_the_other_idle_silo()
    {
        await fixture.UntilIdleAsync();
        fixture.ResetProbes();
        using var remote = new CountedMetric(EngineTelemetry.FanOutRemoteRuns);
        var grain = fixture.Cluster.Client.GetGrain<ISubmissionGrain>($"xsilo-{Guid.NewGuid():N}");

        Assert.Equal(SubmitOutcome.Accepted, await grain.Submit(new SubmissionRequest(Fixture.Sleepy, "cpp17", Fixture.Program)));
        var result = await grain.WaitForResult(Patience);

        Assert.NotNull(result);
        Assert.Equal(Interfaces.Verdict.AC, result.Verdict);
        Assert.Equal(Fixture.Tests, result.Tests.Length);
        Assert.All(result.Tests, t => Assert.Equal(Interfaces.Verdict.AC, t.Verdict));
        Assert.True(remote.Count > 0, "no test ran on the silo that did not judge the submission");
        var judgedOn = Enumerable.Range(0, 2).Single(i => fixture.Address(i).ToString() == result.JudgedBy);
        Assert.NotEmpty(fixture.Probe(1 - judgedOn).Tests);
    }

    [Fact]
    public async Task Tests_of_a_range_that_fails_or_comes_back_short_are_judged_on_the_submissions_silo()
    {
        var sequential = await fixture.SequentialAsync(Fixture.Sleepy, runAll: false);
        await fixture.UntilIdleAsync();
        fixture.ResetProbes();
        var remote = new FailingThenShortRanges();

        var (report, progress) = await fixture.FanOutOnAsync(0, Fixture.Sleepy, runAll: false, remote);

        Assert.Equal(Verdict.AC, report.Verdict);
        Assert.Equal(Describe(sequential.Progress.Judged), Describe(progress.Judged));
        Assert.True(remote.Calls >= 3, $"{remote.Calls} ranges were handed off");
        Assert.NotNull(remote.Answered);
        // Every test ran here but the one a range brought back, once each.
        Assert.Equal(Enumerable.Range(0, Fixture.Tests).Select(Fixture.TestName).Where(t => t != remote.Answered).Order(), fixture.Probe(0).Tests.Order());
    }

    /// <summary>Other silos as a submission may meet them: the first range's call fails, the second comes back with its first
    /// test only (then the host gave way), the third with none (its slot was taken meanwhile); then no host is idle.</summary>
    private sealed class FailingThenShortRanges : IRemoteSlots
    {
        private int calls;

        public int Calls => Volatile.Read(ref calls);

        /// <summary>The test the second range brought an outcome back for.</summary>
        public string? Answered { get; private set; }

        public Task<IReadOnlyList<TestOutcome>>? TryHandOff(IReadOnlyList<int> indexes, bool breaks, CancellationToken cancellationToken) =>
            Interlocked.Increment(ref calls) switch
            {
                1 => Task.FromException<IReadOnlyList<TestOutcome>>(new InvalidOperationException("the silo went away")),
                2 => Task.FromResult<IReadOnlyList<TestOutcome>>([Accepted(Answered = Fixture.TestName(indexes[0]))]),
                3 => Task.FromResult<IReadOnlyList<TestOutcome>>([]),
                _ => null,
            };

        private static TestOutcome Accepted(string test) => new(test, Verdict.AC, TimeSpan.Zero, TimeSpan.Zero, 0);
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("false", false)]
    public void Fan_out_across_silos_is_on_unless_Judge_FanOutAcrossSilos_turns_it_off(string? value, bool expected)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(value is null ? [] : [new KeyValuePair<string, string?>("Judge:FanOutAcrossSilos", value)])
            .Build();
        var services = new ServiceCollection();
        services.AddOptions<JudgingOptions>().Bind(configuration.GetSection(JudgingOptions.Section));
        using var provider = services.BuildServiceProvider();
        Assert.Equal(expected, provider.GetRequiredService<IOptions<JudgingOptions>>().Value.FanOutAcrossSilos);
    }

    internal static List<(int, string, Verdict)> Describe(IEnumerable<(int Index, TestOutcome Outcome)> judged) =>
        judged.Select(t => (t.Index, t.Outcome.Name, t.Outcome.Verdict)).ToList();

    private static Task Until(Func<bool> condition, string what) => Waiting.Until(condition, what, Patience);

    /// <summary>Progress as a submission receives it: every judged test in call order.</summary>
    public sealed class RecordedProgress : IJudgeProgress
    {
        private readonly List<(int Index, TestOutcome Outcome)> judged = [];

        public IReadOnlyList<(int Index, TestOutcome Outcome)> Judged
        {
            get
            {
                lock (judged)
                    return [.. judged];
            }
        }

        public Task CompiledAsync(string? compileOutput, int testCount) => Task.CompletedTask;

        public Task TestStartedAsync(int index, string name) => Task.CompletedTask;

        public Task TestJudgedAsync(int index, TestOutcome outcome)
        {
            lock (judged)
                judged.Add((index, outcome));
            return Task.CompletedTask;
        }
    }


    /// <summary>How many programs run at once: on one silo, or across the cluster.</summary>
    public sealed class Concurrency
    {
        private int now;
        private int max;

        public int Max => Volatile.Read(ref max);

        public void Reset() => Volatile.Write(ref max, Volatile.Read(ref now));

        public void Enter()
        {
            var running = Interlocked.Increment(ref now);
            for (var seen = Volatile.Read(ref max); running > seen; seen = Volatile.Read(ref max))
                Interlocked.CompareExchange(ref max, running, seen);
        }

        public void Leave() => Interlocked.Decrement(ref now);
    }

    /// <summary>A silo's real sandbox, measuring how many programs it runs at once (also counted in the cluster's), how many
    /// ended, and which tests (by input file) it ran.</summary>
    public sealed class ProbedSandbox(ISandbox inner, Concurrency cluster) : ISandbox, IAsyncDisposable
    {
        private readonly Concurrency here = new();
        private readonly ConcurrentQueue<string> tests = new();
        private int finished;

        public int Max => here.Max;

        /// <summary>The tests started since the last reset, by name (<c>secret/07</c>), in start order.</summary>
        public IReadOnlyList<string> Tests => [.. tests];

        /// <summary>How many test runs have ended, ever.</summary>
        public int Finished => Volatile.Read(ref finished);

        public void Reset()
        {
            here.Reset();
            tests.Clear();
        }

        public async Task<SandboxResult> RunAsync(SandboxRequest request, CancellationToken cancellationToken = default)
        {
            var test = request.StdinPath is { } input && input.EndsWith(".in", StringComparison.Ordinal)
                ? "secret/" + Path.GetFileNameWithoutExtension(input)
                : null;
            if (test is not null)
                tests.Enqueue(test);
            here.Enter();
            cluster.Enter();
            try
            {
                return await inner.RunAsync(request, cancellationToken);
            }
            finally
            {
                cluster.Leave();
                here.Leave();
                if (test is not null)
                    Interlocked.Increment(ref finished);
            }
        }

        public Task<ConnectedResult> RunConnectedAsync(SandboxRequest first, SandboxRequest second, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("no interactive problem here");

        public async ValueTask DisposeAsync()
        {
            if (inner is IAsyncDisposable disposable)
                await disposable.DisposeAsync();
        }
    }

    /// <summary>Two judging silos offering C++17 with one judging slot each, their own work roots, sandbox daemons (uids from
    /// 108000 and 108256) and compile caches, and two problems of <see cref="Tests"/> tests whose program sleeps 100 ms each.</summary>
    public class Fixture : IAsyncLifetime
    {
        public const int Tests = 40;

        /// <summary>The test of <see cref="FrontFail"/> that is wrong (it sleeps 0.7 s, so the range handed off starts before
        /// the failure ends the batch, and cannot end before it).</summary>
        public const int Failing = 2;

        /// <summary>Every test right.</summary>
        public const string Sleepy = "sleepy";

        /// <summary>Test <see cref="Failing"/> wrong.</summary>
        public const string FrontFail = "frontfail";

        /// <summary>Prints a + b after sleeping the milliseconds its input's third number says (the fan-out tests' program).</summary>
        public const string Program = FanOutTests.Fixture.Program;

        private readonly string root = Directory.CreateTempSubdirectory("judge-xsilo-").FullName;
        private readonly ConcurrentDictionary<string, ProbedSandbox> probes = new();
        private readonly ConcurrentDictionary<(string, bool), (JudgeReport, RecordedProgress)> sequential = new();

        public InProcessTestCluster Cluster { get; private set; } = null!;

        /// <summary>Programs at once across both silos, since the last <see cref="ResetProbes"/>.</summary>
        public Concurrency Together { get; } = new();

        public static string TestName(int index) => $"secret/{index:D2}";

        public ProbedSandbox Probe(int silo) => probes[Cluster.Silos[silo].Name];

        public JudgeSlots Slots(int silo) => Services(silo).GetRequiredService<JudgeSlots>();

        public SlotBoard Board(int silo) => Services(silo).GetRequiredService<SlotBoard>();

        public JudgingOptions Options(int silo) => Services(silo).GetRequiredService<IOptions<JudgingOptions>>().Value;

        public Orleans.Runtime.SiloAddress Address(int silo) => Cluster.Silos[silo].SiloAddress;

        /// <summary>The first silo's daemon's uid base; the second's is 256 above (108000–108511 here; 108512–109023 for
        /// <see cref="RangeSiloLossTests"/>; no other test's daemon uses them).</summary>
        protected virtual int UidBase => 108000;

        private IServiceProvider Services(int silo) => Cluster.Silos[silo].ServiceProvider;

        public void ResetProbes()
        {
            Together.Reset();
            foreach (var probe in probes.Values)
                probe.Reset();
        }

        /// <summary>Waits until each silo's slot board shows the other with an idle slot: a test that starts right after the
        /// previous one ended must not judge by a report that still shows the other silo busy.</summary>
        public async Task UntilIdleAsync()
        {
            await UntilSlotsFreeAsync();
            var waited = Stopwatch.StartNew();
            while (!(Board(0).ShowsIdle(Address(1)) && Board(1).ShowsIdle(Address(0))))
            {
                if (waited.Elapsed > Patience)
                    throw new TimeoutException($"waited {Patience} for each silo's slot board to show the other idle");
                await Task.Delay(20);
            }
        }

        /// <summary>Waits until no judging slot of either silo is taken (a cancelled range gives its slot back when the other
        /// silo has stopped its run).</summary>
        public async Task UntilSlotsFreeAsync()
        {
            var waited = Stopwatch.StartNew();
            while (Slots(0).Busy != 0 || Slots(1).Busy != 0)
            {
                if (waited.Elapsed > Patience)
                    throw new TimeoutException($"waited {Patience} for the slots to be free: {Slots(0).Busy} and {Slots(1).Busy} taken");
                await Task.Delay(20);
            }
        }

        /// <summary>Judges <see cref="Program"/> on <paramref name="problemId"/> on silo <paramref name="silo"/> as its worker
        /// does: holding that silo's one slot, fanning out to its idle slots (none) and to the other silo (or to
        /// <paramref name="otherSilos"/>).</summary>
        public async Task<(JudgeReport Report, RecordedProgress Progress)> FanOutOnAsync(int silo, string problemId, bool runAll, IRemoteSlots? otherSilos = null)
        {
            var services = Services(silo);
            var problem = await services.GetRequiredService<IProblemSource>().WhenReadyAsync(problemId);
            Assert.NotNull(problem);
            var language = services.GetRequiredService<ToolchainInventory>().Available["cpp17"];
            var request = new SubmissionRequest(problemId, "cpp17", Program, RunAll: runAll);
            var remote = otherSilos ?? services.GetRequiredService<TestRangeDispatch>().For(new JudgeJob($"xsilo-{Guid.NewGuid():N}", 1, request), problem);
            var slots = Slots(silo);
            var progress = new RecordedProgress();
            using (await slots.AcquireAsync())
            {
                var report = await services.GetRequiredService<SubmissionJudge>()
                    .JudgeAsync(problem, language, request.SourceContent(), progress, runAll, slots, remote).WaitAsync(Patience);
                return (report, progress);
            }
        }

        /// <summary>Judges <see cref="Program"/> on <paramref name="problemId"/> on the first silo one test after another (once per
        /// problem and <paramref name="runAll"/>).</summary>
        public async Task<(JudgeReport Report, RecordedProgress Progress)> SequentialAsync(string problemId, bool runAll)
        {
            if (sequential.TryGetValue((problemId, runAll), out var known))
                return known;
            var services = Services(0);
            var problem = await services.GetRequiredService<IProblemSource>().WhenReadyAsync(problemId);
            Assert.NotNull(problem);
            var language = services.GetRequiredService<ToolchainInventory>().Available["cpp17"];
            var progress = new RecordedProgress();
            var report = await services.GetRequiredService<SubmissionJudge>()
                .JudgeAsync(problem, language, System.Text.Encoding.UTF8.GetBytes(Program), progress, runAll, idleSlots: null).WaitAsync(Patience);
            return sequential[(problemId, runAll)] = (report, progress);
        }

        public async Task InitializeAsync()
        {
            var problems = Path.Combine(root, "problems");
            WriteProblem(Path.Combine(problems, Sleepy), wrong: -1);
            WriteProblem(Path.Combine(problems, FrontFail), wrong: Failing);
            var builder = new InProcessTestClusterBuilder(2);
            var silos = 0;
            builder.ConfigureSilo((options, silo) =>
            {
                var index = Interlocked.Increment(ref silos) - 1;
                silo.AddMemoryGrainStorage("submissions");
                silo.UseInMemoryReminderService();
                silo.Services.AddSingleton<ISandbox>(sp => probes.GetOrAdd(options.SiloName, _ => new ProbedSandbox(new MeasuredSandbox(SandboxFactory.Create(
                    sp.GetRequiredService<IOptions<JudgingOptions>>().Value,
                    sp.GetRequiredService<JudgeOptions>().WorkRoot,
                    sp.GetRequiredService<IHostEnvironment>(),
                    sp.GetRequiredService<ILoggerFactory>().CreateLogger("Judge.Sandbox"))), Together)));
                silo.AddJudging(new ConfigurationBuilder().Build(), judging =>
                {
                    judging.Problems.Root = problems;
                    judging.Toolchains = "cpp17";
                    judging.Slots = 1;
                    judging.WorkRoot = Path.Combine(root, options.SiloName);
                    judging.Sandbox.UidBase = UidBase + 256 * index;
                    judging.CompileCache.PrecompiledHeader = false;
                    judging.CompileCache.JavaArchive = false;
                });
            });
            Cluster = builder.Build();
            await Cluster.DeployAsync();
            await Cluster.WaitForClusterManifestToStabilizeAsync();
        }

        private static void WriteProblem(string directory, int wrong)
        {
            var secret = Directory.CreateDirectory(Path.Combine(directory, "data", "secret")).FullName;
            File.WriteAllText(Path.Combine(directory, "problem.yaml"), $"name: {Path.GetFileName(directory)}\nlimits:\n  time_limit: 2\n");
            for (var i = 0; i < Tests; i++)
            {
                var sleep = i == wrong ? 700 : 100;
                File.WriteAllText(Path.Combine(secret, $"{i:D2}.in"), $"{i} {i * 7} {sleep}\n");
                File.WriteAllText(Path.Combine(secret, $"{i:D2}.ans"), $"{i * 8 + (i == wrong ? 1 : 0)}\n");
            }
        }

        public async Task DisposeAsync()
        {
            await Cluster.DisposeAsync();
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // a sandbox may still be releasing a directory; it is under the temporary directory
            }
        }
    }
}
