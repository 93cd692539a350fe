using System.Diagnostics;
using System.Diagnostics.Metrics;
using Judge.Engine.Compilation;
using Judge.Engine.Judging;
using Judge.Engine.Languages;
using Judge.Engine.Problems;
using Judge.Engine.Sandbox;
using Judge.Engine.Sandbox.Linux;
using Judge.Engine.Telemetry;
using Judge.Engine.Verdicts;
using Judge.Grains.Options;
using Judge.Grains.Workers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Judge.Grains.IntegrationTests;

/// <summary>The fan-out of tests: a submission that holds a judging slot runs further tests on slots of the silo's
/// <see cref="JudgeSlots"/> that are idle right now, through the real sandbox with a real g++ program, and still reports
/// and rules exactly as judging the tests one after another does.</summary>
public class FanOutTests(FanOutTests.Fixture fixture) : IClassFixture<FanOutTests.Fixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Twenty_sleeping_tests_on_a_silo_with_two_idle_slots_run_two_at_a_time()
    {
        var slots = Slots(2);
        var probe = new ConcurrencyProbe(fixture.Sandbox);
        var progress = new RecordedProgress();
        using (await slots.AcquireAsync())
        {
            var report = await fixture.Judge(probe).JudgeAsync(fixture.Sleepy, fixture.Cpp, Fixture.Source, progress, runAll: false, slots)
                .WaitAsync(Patience);
            Assert.Equal(Verdict.AC, report.Verdict);
        }

        Assert.Equal(Enumerable.Range(0, Fixture.SleepyTests).ToList(), progress.Judged.Select(t => t.Index).ToList());
        Assert.Equal(2, probe.Max);
        var walls = TimeSpan.FromTicks(progress.Judged.Sum(t => t.Outcome.WallTime.Ticks));
        Assert.True(walls >= TimeSpan.FromSeconds(2), $"the tests' runs took {walls} in all: they did not sleep 100 ms each");
        // Two at a time for most of the judging, not just once: the runs' time in the sandbox, summed, against the time in
        // which at least one was in it (1.0 one after another, 2.0 always two; measured 1.89-1.90 idle, 1.56-1.71 at load
        // average 23). Measured on the runs themselves, so that a loaded machine moves it little; the judging's total wall
        // time against the programs' did (3.5 s for 2.1 s of runs in a CI run beside other test projects).
        Assert.True(probe.Concurrency >= 1.3, $"the runs were in the sandbox {probe.Concurrency:0.00} at a time on average, not about two (20 tests of 100 ms took {progress.TestsTook})");
        Assert.Equal(0, slots.Busy);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_failing_test_in_the_middle_gives_the_same_verdict_tests_and_score_as_judging_one_after_another(bool runAll)
    {
        var sequential = new RecordedProgress();
        var alone = await fixture.Judge(fixture.Sandbox).JudgeAsync(fixture.Groups, fixture.Cpp, Fixture.Source, sequential, runAll, idleSlots: null)
            .WaitAsync(Patience);

        var slots = Slots(3);
        var probe = new ConcurrencyProbe(fixture.Sandbox);
        var fannedOut = new RecordedProgress();
        JudgeReport report;
        using (await slots.AcquireAsync())
            report = await fixture.Judge(probe).JudgeAsync(fixture.Groups, fixture.Cpp, Fixture.Source, fannedOut, runAll, slots).WaitAsync(Patience);

        Assert.True(probe.Max >= 2, "the tests were not fanned out: at most one ran at a time");
        Assert.True(probe.Max <= 3, $"{probe.Max} programs ran at once on a silo of 3 slots");
        Assert.Equal(0, slots.Busy);

        // group 1 breaks at its failing test 05; group 2 continues past its failing test 03; group 3 passes.
        string[] expected = runAll
            ? [.. Fixture.GroupTests("g1"), .. Fixture.GroupTests("g2"), .. Fixture.GroupTests("g3")]
            : [.. Fixture.GroupTests("g1").Take(6), .. Fixture.GroupTests("g2"), .. Fixture.GroupTests("g3")];
        Assert.Equal(expected, sequential.Judged.Select(t => t.Outcome.Name));
        Assert.Equal(Describe(sequential.Judged), Describe(fannedOut.Judged));
        Assert.Equal(Verdict.WA, alone.Verdict);
        Assert.Equal(alone.Verdict, report.Verdict);
        Assert.Equal(runAll ? 36 + 27 + 30 : 20 + 27 + 30, alone.Score); // sum: each accepted test earns its share of its group
        Assert.Equal((alone.Score, alone.MaxScore), (report.Score, report.MaxScore));
        Assert.Equal(alone.Tests.Select(t => (t.Name, t.Verdict, t.Score)), report.Tests.Select(t => (t.Name, t.Verdict, t.Score)));
    }

    [Fact]
    public async Task A_queued_first_judging_gets_the_next_slot_a_fan_out_gives_back_and_the_silo_never_runs_more_programs_than_slots()
    {
        var slots = Slots(2);
        var probe = new ConcurrencyProbe(fixture.Sandbox);
        var judge = fixture.Judge(probe);
        var first = new RecordedProgress();
        var own = await slots.AcquireAsync();
        var firstJudging = Task.Run(() => judge.JudgeAsync(fixture.Sleepy, fixture.Cpp, Fixture.Source, first, runAll: false, slots));

        await Until(() => slots.Busy == 2 || firstJudging.IsCompleted, "the first submission to borrow the idle slot");
        Assert.False(firstJudging.IsCompleted, "the first submission finished before it borrowed the idle slot");
        var queued = slots.AcquireAsync(); // a first judging arrives while the fan-out holds the other slot
        IDisposable secondSlot;
        try
        {
            secondSlot = await queued.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"the queued judging got no slot within 10 s; the first submission judged {first.Judged.Count} tests meanwhile");
        }
        var judgedWhenGranted = first.Judged.Count;
        Assert.False(firstJudging.IsCompleted, "the queued judging got its slot only once the fanned-out submission had finished");

        var second = new RecordedProgress();
        JudgeReport secondReport;
        using (secondSlot)
            secondReport = await judge.JudgeAsync(fixture.Sleepy, fixture.Cpp, Fixture.Source, second, runAll: false, slots).WaitAsync(Patience);
        var firstReport = await firstJudging.WaitAsync(Patience);
        own.Dispose();

        Assert.True(judgedWhenGranted < Fixture.SleepyTests / 2, $"the queued judging waited while the first submission judged {judgedWhenGranted} tests");
        Assert.Equal((Verdict.AC, Verdict.AC), (firstReport.Verdict, secondReport.Verdict));
        Assert.Equal(Fixture.SleepyTests, first.Judged.Count);
        Assert.Equal(Fixture.SleepyTests, second.Judged.Count);
        Assert.Equal(2, probe.Max);
        Assert.Equal(0, slots.Busy);
    }

    [Fact]
    public async Task A_run_past_the_failing_test_whose_check_is_cancelled_after_its_program_ran_is_counted_as_discarded()
    {
        // Group 1 breaks at its wrong test 05. Its run answers only once a run of a later test of the group has ended its
        // program and is held; that one answers only when the batch's end cancels it, so its check starts cancelled and
        // ends with the cancellation. Its program ran (the sandbox counted it): wasted work, which the fan-out must count.
        var marker = Guid.NewGuid();
        long discarded = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == EngineTelemetry.Name && instrument.Name == "judge.fanout.discarded_runs")
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) =>
        {
            if (JudgingMarker.Value == marker) // this judging's, not a test's beside it (the context flows into the judging)
                Interlocked.Add(ref discarded, value);
        });
        listener.Start();

        var slots = Slots(3);
        var probe = new HeldPastTheFailingTest(fixture.Sandbox, Patience);
        var progress = new RecordedProgress();
        JudgingMarker.Value = marker;
        using (await slots.AcquireAsync())
        {
            var report = await fixture.Judge(probe).JudgeAsync(fixture.Groups, fixture.Cpp, Fixture.Source, progress, runAll: false, slots)
                .WaitAsync(Patience);
            Assert.Equal(Verdict.WA, report.Verdict);
        }
        JudgingMarker.Value = Guid.Empty;

        Assert.True(probe.CancelledWhileHeld >= 1, "no run past the failing test was held when the batch ended: the case was not made");
        var taken = progress.Judged.Count(t => t.Outcome.Verdict != Verdict.SK);
        Assert.Equal(6 + 10 + 10, taken);
        Assert.Equal(probe.ProgramsRan, taken + Interlocked.Read(ref discarded));
        Assert.Equal(0, slots.Busy);
    }

    private static readonly AsyncLocal<Guid> JudgingMarker = new();

    [Theory]
    [InlineData(null, true)]
    [InlineData("false", false)]
    [InlineData("True", true)]
    public void Fan_out_is_on_unless_Judge_FanOut_turns_it_off(string? value, bool expected) =>
        Assert.Equal(expected, Bound(value).FanOut);

    [Fact]
    public void A_Judge_FanOut_that_is_neither_true_nor_false_is_refused_naming_the_key()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Bound("sometimes"));
        Assert.Contains("Judge:FanOut", error.Message);
    }

    /// <summary>The judging options as a silo binds them (section <c>Judge</c>) with <c>Judge:FanOut</c> set to <paramref name="fanOut"/>.</summary>
    private static JudgingOptions Bound(string? fanOut)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(fanOut is null ? [] : [new KeyValuePair<string, string?>("Judge:FanOut", fanOut)])
            .Build();
        var services = new ServiceCollection();
        services.AddOptions<JudgingOptions>().Bind(configuration.GetSection(JudgingOptions.Section));
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<JudgingOptions>>().Value;
    }

    private static JudgeSlots Slots(int count) => new(Microsoft.Extensions.Options.Options.Create(new JudgingOptions { Slots = count }));

    private static IEnumerable<(int, string, Verdict, double?)> Describe(IEnumerable<(int Index, TestOutcome Outcome)> judged) =>
        judged.Select(t => (t.Index, t.Outcome.Name, t.Outcome.Verdict, t.Outcome.Score)).ToList();

    private static Task Until(Func<bool> condition, string what) => Waiting.Until(condition, what, Patience);

    /// <summary>Progress as a submission receives it: every judged test in call order, and when the tests began and ended.</summary>
    private sealed class RecordedProgress : IJudgeProgress
    {
        private readonly Stopwatch clock = new();
        private readonly List<(int Index, TestOutcome Outcome)> judged = [];
        private TimeSpan lastJudged;

        public IReadOnlyList<(int Index, TestOutcome Outcome)> Judged
        {
            get
            {
                lock (judged)
                    return [.. judged];
            }
        }

        /// <summary>From the end of compiling to the last test's verdict.</summary>
        public TimeSpan TestsTook => lastJudged;

        public Task CompiledAsync(string? compileOutput, int testCount)
        {
            clock.Start();
            return Task.CompletedTask;
        }

        public Task TestStartedAsync(int index, string name) => Task.CompletedTask;

        public Task TestJudgedAsync(int index, TestOutcome outcome)
        {
            lock (judged)
            {
                judged.Add((index, outcome));
                lastJudged = clock.Elapsed;
            }
            return Task.CompletedTask;
        }
    }

    /// <summary>The real sandbox, for <see cref="Fixture.Groups"/>: the run of group 1's wrong test 05 answers once a run of a
    /// later test of group 1 has ended its program; such a run answers when it is cancelled (the batch's end). Counts the
    /// test programs that ran to the end, and the runs cancelled while held.</summary>
    private sealed class HeldPastTheFailingTest(ISandbox inner, TimeSpan patience) : ISandbox
    {
        private readonly TaskCompletionSource laterHeld = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int programsRan;
        private int cancelledWhileHeld;

        public int ProgramsRan => Volatile.Read(ref programsRan);

        public int CancelledWhileHeld => Volatile.Read(ref cancelledWhileHeld);

        public async Task<SandboxResult> RunAsync(SandboxRequest request, CancellationToken cancellationToken = default)
        {
            var result = await inner.RunAsync(request, cancellationToken);
            if (request.StdinPath is not { } input)
                return result; // the compilation
            Interlocked.Increment(ref programsRan);
            var test = Path.GetFileName(Path.GetDirectoryName(input)) + "/" + Path.GetFileNameWithoutExtension(input);
            if (test == "g1/05")
            {
                await laterHeld.Task.WaitAsync(patience, CancellationToken.None);
            }
            else if (test.StartsWith("g1/", StringComparison.Ordinal) && string.CompareOrdinal(test, "g1/05") > 0)
            {
                laterHeld.TrySetResult();
                try
                {
                    await Task.Delay(patience, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    Interlocked.Increment(ref cancelledWhileHeld);
                }
            }
            return result;
        }

        public Task<ConnectedResult> RunConnectedAsync(SandboxRequest first, SandboxRequest second, CancellationToken cancellationToken = default) =>
            inner.RunConnectedAsync(first, second, cancellationToken);
    }

    /// <summary>The real sandbox, measuring how many programs it runs at once (compilations and tests alike).</summary>
    private sealed class ConcurrencyProbe(ISandbox inner) : ISandbox
    {
        private readonly List<(long Start, long End)> runs = [];
        private int now;
        private int max;

        public int Max => Volatile.Read(ref max);

        /// <summary>The runs' time in the sandbox, summed, over the time in which at least one run was in it.</summary>
        public double Concurrency
        {
            get
            {
                List<(long Start, long End)> sorted;
                lock (runs)
                    sorted = [.. runs.OrderBy(r => r.Start)];
                long sum = 0, union = 0, coveredTo = long.MinValue;
                foreach (var (start, end) in sorted)
                {
                    sum += end - start;
                    union += Math.Max(0, end - Math.Max(start, coveredTo));
                    coveredTo = Math.Max(coveredTo, end);
                }
                return union == 0 ? 0 : (double)sum / union;
            }
        }

        public async Task<SandboxResult> RunAsync(SandboxRequest request, CancellationToken cancellationToken = default)
        {
            var running = Interlocked.Increment(ref now);
            for (var seen = Volatile.Read(ref max); running > seen; seen = Volatile.Read(ref max))
                Interlocked.CompareExchange(ref max, running, seen);
            var start = Stopwatch.GetTimestamp();
            try
            {
                return await inner.RunAsync(request, cancellationToken);
            }
            finally
            {
                lock (runs)
                    runs.Add((start, Stopwatch.GetTimestamp()));
                Interlocked.Decrement(ref now);
            }
        }

        public Task<ConnectedResult> RunConnectedAsync(SandboxRequest first, SandboxRequest second, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("no interactive problem here");
    }

    /// <summary>One sandbox daemon, one compile cache and the two problems, shared by the tests of the class.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        public const int SleepyTests = 20;

        /// <summary>Prints a + b after sleeping the milliseconds its input's third number says.</summary>
        public const string Program = """
            #include <cstdio>
            #include <ctime>
            int main() {
                long long a, b; int ms;
                if (scanf("%lld %lld %d", &a, &b, &ms) != 3) return 1;
                timespec pause{ms / 1000, (ms % 1000) * 1000000L};
                nanosleep(&pause, nullptr);
                printf("%lld\n", a + b);
            }
            """;

        /// <summary>The bytes of <see cref="Program"/>.</summary>
        public static ReadOnlyMemory<byte> Source { get; } = System.Text.Encoding.UTF8.GetBytes(Program);

        private readonly string root = Path.Combine(Path.GetTempPath(), "judge-grain-tests", $"fanout-{Guid.NewGuid():N}");
        private LinuxSandbox? daemon;
        private LocalCompileCache? cache;

        public ISandbox Sandbox => daemon!;
        public Language Cpp { get; } = LanguageCatalog.Find("cpp17")!;

        /// <summary>Pass-fail: 20 tests that sleep 100 ms each.</summary>
        public Problem Sleepy { get; private set; } = null!;

        /// <summary>Scoring, groups g1 (on_reject break, 40 points, test 05 wrong), g2 (continue, 30 points, test 03
        /// wrong), g3 (break, 30 points, all right), 10 tests of 20 ms each.</summary>
        public Problem Groups { get; private set; } = null!;

        public static IEnumerable<string> GroupTests(string group) => Enumerable.Range(0, 10).Select(i => $"secret/{group}/{i:D2}");

        public SubmissionJudge Judge(ISandbox sandbox) =>
            new(sandbox, JudgeOptions.Default with { WorkRoot = Path.Combine(root, "work") }, compileCache: cache);

        public async Task InitializeAsync()
        {
            Directory.CreateDirectory(root);
            daemon = await LinuxSandbox.StartAsync(new LinuxSandboxOptions { WorkRoot = Path.Combine(root, "work"), Pool = 3 * 3 + 1 });
            cache = new LocalCompileCache(Path.Combine(root, "cache"), 256L * 1024 * 1024);

            var sleepy = Path.Combine(root, "sleepy");
            File.WriteAllText(Path.Combine(Directory.CreateDirectory(sleepy).FullName, "problem.yaml"), "name: Sleepy\nlimits:\n  time_limit: 2\n");
            WriteTests(Path.Combine(sleepy, "data", "secret"), SleepyTests, sleepMs: 100, wrong: -1);
            Sleepy = ProblemLoader.Load(sleepy);

            var groups = Path.Combine(root, "groups");
            File.WriteAllText(Path.Combine(Directory.CreateDirectory(groups).FullName, "problem.yaml"), "name: Groups\ntype: scoring\nlimits:\n  time_limit: 2\n");
            foreach (var (group, settings, wrong) in new[] { ("g1", "on_reject: break\nmax_score: 40\n", 5), ("g2", "on_reject: continue\nmax_score: 30\n", 3), ("g3", "on_reject: break\nmax_score: 30\n", -1) })
            {
                var directory = Path.Combine(groups, "data", "secret", group);
                WriteTests(directory, 10, sleepMs: 20, wrong);
                File.WriteAllText(Path.Combine(directory, "testdata.yaml"), settings);
            }
            Groups = ProblemLoader.Load(groups);
        }

        private static void WriteTests(string directory, int count, int sleepMs, int wrong)
        {
            Directory.CreateDirectory(directory);
            for (var i = 0; i < count; i++)
            {
                File.WriteAllText(Path.Combine(directory, $"{i:D2}.in"), $"{i} {i * 7} {sleepMs}\n");
                File.WriteAllText(Path.Combine(directory, $"{i:D2}.ans"), $"{i * 8 + (i == wrong ? 1 : 0)}\n");
            }
        }

        public async Task DisposeAsync()
        {
            if (daemon is not null)
                await daemon.DisposeAsync();
            Workspace(root);
        }

        private static void Workspace(string path)
        {
            try
            {
                Directory.Delete(path, recursive: true);
            }
            catch (IOException)
            {
                // a daemon's leftover; the temp directory is cleaned with the machine
            }
        }
    }
}
