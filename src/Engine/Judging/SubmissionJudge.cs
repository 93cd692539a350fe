using System.Diagnostics;
using System.Text;
using Judge.Engine.Checkers;
using Judge.Engine.Compilation;
using Judge.Engine.Languages;
using Judge.Engine.Problems;
using Judge.Engine.Sandbox;
using Judge.Engine.Telemetry;
using Judge.Engine.Verdicts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Judge.Engine.Judging;

/// <summary>Judges one submission: compiles it once, runs the problem's tests in order through the sandbox, checks and rules.</summary>
/// <remarks>With a <paramref name="compileCache"/>, a compilation whose content key (<see cref="CompileKey"/>) was seen
/// before is not run again: its files, messages and outcome come from the cache. <paramref name="warmups"/> add what a
/// silo prepared at start (a precompiled header, a class-data-sharing archive) to compiles and runs.</remarks>
public sealed partial class SubmissionJudge(
    ISandbox sandbox, JudgeOptions options, ILogger<SubmissionJudge>? logger = null,
    ICompileCache? compileCache = null, IEnumerable<ILanguageWarmup>? warmups = null)
{
    private readonly IReadOnlyList<ILanguageWarmup> warmups = warmups?.ToList() ?? [];

    private const int StderrKeptBytes = 4096;
    private readonly ILogger logger = logger ?? NullLogger<SubmissionJudge>.Instance;

    private readonly PackagePrograms programs = new(sandbox, Path.Combine(options.WorkRoot, "programs"), options.CompileLimits, options.PackageToolchain);

    public JudgeOptions Options { get; } = options;

    /// <summary>Judges <paramref name="source"/> in <paramref name="language"/> against every test of <paramref name="problem"/>.</summary>
    public Task<JudgeReport> JudgeAsync(Problem problem, Language language, string source, IJudgeProgress progress, CancellationToken cancellationToken = default) =>
        JudgeAsync(problem, language, source, progress, runAll: false, cancellationToken);

    /// <summary>Judges <paramref name="source"/> in <paramref name="language"/> against the tests of <paramref name="problem"/>,
    /// group by group; <paramref name="runAll"/> judges every test even where the problem says <c>on_reject: break</c>.</summary>
    public Task<JudgeReport> JudgeAsync(Problem problem, Language language, string source, IJudgeProgress progress, bool runAll, CancellationToken cancellationToken = default) =>
        JudgeAsync(problem, language, Encoding.UTF8.GetBytes(source), progress, runAll, cancellationToken);

    /// <summary>Judges the source file whose exact bytes are <paramref name="source"/> (any encoding, BOMs and NUL bytes
    /// included) as <see cref="JudgeAsync(Problem, Language, string, IJudgeProgress, bool, CancellationToken)"/> does.</summary>
    public Task<JudgeReport> JudgeAsync(Problem problem, Language language, ReadOnlyMemory<byte> source, IJudgeProgress progress, bool runAll, CancellationToken cancellationToken = default) =>
        JudgeAsync(problem, language, source, progress, runAll, idleSlots: null, cancellationToken);

    /// <summary>Judges as <see cref="JudgeAsync(Problem, Language, ReadOnlyMemory{byte}, IJudgeProgress, bool, CancellationToken)"/>
    /// does; with <paramref name="idleSlots"/>, a group's consecutive tests also run on slots that are idle right now (the
    /// fan-out), with the same outcomes, progress in test order and verdict as judging them one after another.</summary>
    public Task<JudgeReport> JudgeAsync(Problem problem, Language language, ReadOnlyMemory<byte> source, IJudgeProgress progress, bool runAll,
        IIdleSlots? idleSlots, CancellationToken cancellationToken = default) =>
        JudgeAsync(problem, language, source, progress, runAll, idleSlots, remoteSlots: null, cancellationToken);

    /// <summary>Judges with the fan-out as <see cref="JudgeAsync(Problem, Language, ReadOnlyMemory{byte}, IJudgeProgress, bool, IIdleSlots, CancellationToken)"/>
    /// does; with <paramref name="remoteSlots"/>, while no slot here is idle, the tail of a group's unstarted tests also goes to
    /// another host with an idle slot, as one range (<see cref="IRemoteSlots"/>), with the same outcomes, progress and verdict.</summary>
    public async Task<JudgeReport> JudgeAsync(Problem problem, Language language, ReadOnlyMemory<byte> source, IJudgeProgress progress, bool runAll,
        IIdleSlots? idleSlots, IRemoteSlots? remoteSlots, CancellationToken cancellationToken = default)
    {
        if (problem.Limits.TimeLimitPending)
            return new JudgeReport(Verdict.IE, null, [], $"problem '{problem.Id}' states no time limit and it has not been derived from its accepted submissions yet");

        using var workspace = Workspace.Create(Options.WorkRoot);
        var compiled = await CompileAsync(workspace, language, source, IncludeDirectory(problem, language), cachedOnly: false, cancellationToken);
        if (compiled.Failure is { } failure)
            return new JudgeReport(failure.Verdict, compiled.Output, [], failure.Message);

        var checker = await CheckerAsync(problem, cancellationToken);
        if (checker.Error is { } checkerError)
        {
            LogCheckerFailed(problem.Id, checkerError);
            return new JudgeReport(Verdict.IE, compiled.Output, [], checkerError);
        }

        await progress.CompiledAsync(compiled.Output, problem.Tests.Count);

        var data = problem.Data.Children.Count > 0
            ? problem.Data
            : new TestGroup("", GroupSettings.Default, problem.Tests.Select(t => new TestGroupChild(t, null)).ToList());
        // Interactive and multi-pass problems are judged one test after another.
        var fansOut = checker.Interactor is null && !problem.MultiPass;
        var run = Prepare(problem, language, workspace, compiled, checker, progress, runAll || !Options.StopOnFirstFailure,
            fansOut ? idleSlots : null, fansOut ? remoteSlots : null);

        await JudgeGroupAsync(data, run, cancellationToken);

        var outcomes = problem.Tests.Select(test => run.Outcomes.GetValueOrDefault(test.Name) ?? Skipped(problem, test)).ToList();
        var verdict = VerdictRules.ForSubmission(outcomes.Select(o => o.Verdict));
        if (!problem.Scoring)
            return new JudgeReport(verdict, compiled.Output, outcomes);
        var (score, max) = ScoreRules.ForProblem(data, outcomes.ToDictionary(o => o.Name, StringComparer.Ordinal));
        return new JudgeReport(verdict, compiled.Output, outcomes) { Score = score, MaxScore = max };
    }

    /// <summary>Judges the tests of <paramref name="problem"/> at <paramref name="indexes"/> in order, for a submission judged
    /// on another host that handed them here (<see cref="IRemoteSlots"/>), with the program that host compiled taken from the
    /// compile cache (never compiled here). Stops after the first rejected test when <paramref name="breaks"/>, and before a
    /// test when <paramref name="giveWay"/> says a job of this host wants the slot.</summary>
    /// <returns>The outcomes of the prefix of <paramref name="indexes"/> judged: none when the program is not in the compile
    /// cache, the problem's checker is not usable here, or the problem is judged one test after another (interactive,
    /// multi-pass).</returns>
    public async Task<IReadOnlyList<TestOutcome>> JudgeRangeAsync(Problem problem, Language language, ReadOnlyMemory<byte> source,
        IReadOnlyList<int> indexes, bool breaks, Func<bool> giveWay, CancellationToken cancellationToken = default)
    {
        if (problem.Limits.TimeLimitPending || problem.MultiPass || indexes.Any(i => i < 0 || i >= problem.Tests.Count))
            return [];
        using var workspace = Workspace.Create(Options.WorkRoot);
        var compiled = await CompileAsync(workspace, language, source, IncludeDirectory(problem, language), cachedOnly: true, cancellationToken);
        if (compiled.Failure is not null)
            return [];
        var checker = await CheckerAsync(problem, cancellationToken);
        if (checker.Error is not null || checker.Interactor is not null)
            return [];

        var run = Prepare(problem, language, workspace, compiled, checker, IJudgeProgress.None, runAll: !breaks, idleSlots: null, remoteSlots: null);
        var outcomes = new List<TestOutcome>();
        ProgramRun? current = null;
        try
        {
            foreach (var index in indexes)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (giveWay())
                    break;
                current = new ProgramRun();
                var outcome = await RunTestAsync(run, index, problem.Tests[index], cancellationToken, current);
                EngineTelemetry.FanOutRemoteRuns.Add(1);
                outcomes.Add(outcome);
                current = null; // taken: counted with the outcomes
                if (breaks && outcome.Verdict != Verdict.AC)
                    break;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // ran to the end, but the submission no longer wants them; so does a test whose program ran before its check
            // was cancelled (the sandbox counted that run)
            EngineTelemetry.FanOutDiscardedRuns.Add(outcomes.Count + (current is { Ran: true } ? 1 : 0));
            throw;
        }
        return outcomes;
    }

    /// <summary>What judging the tests of <paramref name="problem"/> with <paramref name="compiled"/> shares: limits, the
    /// language as its warm-up leaves it for runs, the checker, and each test's index.</summary>
    private TestRun Prepare(Problem problem, Language language, Workspace workspace, Compiled compiled, PreparedChecker checker,
        IJudgeProgress progress, bool runAll, IIdleSlots? idleSlots, IRemoteSlots? remoteSlots)
    {
        var limits = language.RunLimits(new SandboxLimits
        {
            CpuTime = problem.Limits.TimeLimit * problem.TimeFactorFor(language),
            MemoryBytes = problem.Limits.MemoryBytes,
            OutputBytes = problem.Limits.OutputBytes,
        });
        var runLanguage = WarmupFor(language)?.BeforeRuns(language, workspace.SourceDirectory) ?? language;
        var run = new TestRun(problem, runLanguage, workspace, compiled.Layout, limits, checker, progress, runAll, idleSlots, remoteSlots);
        for (var index = 0; index < problem.Tests.Count; index++)
            run.Indexes[problem.Tests[index].Name] = index;
        return run;
    }

    private static TestOutcome Skipped(Problem problem, TestCase test) =>
        TestOutcome.Skipped(test.Name) with { Score = problem.Scoring ? 0 : null };

    /// <summary>What one submission's judging shares while it walks the test groups.</summary>
    private sealed record TestRun(
        Problem Problem, Language Language, Workspace Workspace, SourceLayout Layout, SandboxLimits Limits,
        PreparedChecker Checker, IJudgeProgress Progress, bool RunAll, IIdleSlots? IdleSlots, IRemoteSlots? Remote)
    {
        public Dictionary<string, int> Indexes { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, TestOutcome> Outcomes { get; } = new(StringComparer.Ordinal);
    }

    /// <summary>Judges a group's tests and subgroups in order; returns whether any was rejected.</summary>
    /// <remarks>Each consecutive run of the group's test cases (up to the next subgroup) is judged as one batch
    /// (<see cref="JudgeTestsAsync"/>), the only place where tests may run in parallel: a subgroup starts only once the
    /// tests before it are judged, so <c>on_reject</c>, scoring and graders see exactly what sequential judging gives.</remarks>
    private async Task<bool> JudgeGroupAsync(TestGroup group, TestRun run, CancellationToken cancellationToken)
    {
        var breaks = group.Settings.OnReject == OnReject.Break && !run.RunAll;
        var children = group.Children;
        var rejected = false;
        var stopped = false;
        for (var i = 0; i < children.Count && !stopped;) // once stopped, the rest stays unjudged: skipped
        {
            if (children[i].Group is { } subgroup)
            {
                var childRejected = await JudgeGroupAsync(subgroup, run, cancellationToken);
                rejected |= childRejected;
                stopped = childRejected && breaks;
                i++;
                continue;
            }

            var tests = new List<TestCase>();
            for (; i < children.Count && children[i].Test is { } test; i++)
                tests.Add(test);
            var batch = (run.IdleSlots is not null || run.Remote is not null) && tests.Count > 1
                ? await JudgeTestsFannedOutAsync(tests, breaks, run, cancellationToken)
                : await JudgeTestsAsync(tests, breaks, run, cancellationToken);
            rejected |= batch.Rejected;
            stopped = batch.Stopped;
        }
        return rejected;
    }

    /// <summary>Whether a batch of tests had a rejected one, and whether it stopped its group there (<c>on_reject: break</c>).</summary>
    private readonly record struct BatchOutcome(bool Rejected, bool Stopped);

    /// <summary>Judges <paramref name="tests"/> one after another; with <paramref name="breaks"/>, the first rejected one ends the batch.</summary>
    private async Task<BatchOutcome> JudgeTestsAsync(List<TestCase> tests, bool breaks, TestRun run, CancellationToken cancellationToken)
    {
        var rejected = false;
        foreach (var test in tests)
        {
            var index = run.Indexes[test.Name];
            await run.Progress.TestStartedAsync(index, test.Name);
            var outcome = await RunTestAsync(run, index, test, cancellationToken);
            await CommitAsync(run, index, outcome);
            if (outcome.Verdict != Verdict.AC)
            {
                rejected = true;
                if (breaks)
                    return new BatchOutcome(true, true);
            }
        }
        return new BatchOutcome(rejected, false);
    }

    /// <summary>How many tests past the first unjudged one of a batch a fan-out may start: results wait for their turn in
    /// memory, and runs past a failing test are wasted work.</summary>
    internal const int FanOutLookahead = 32;

    /// <summary>The most tests of one range handed to another host, and the fewest worth a grain call.</summary>
    internal const int RemoteRangeMost = 32, RemoteRangeLeast = 2;

    /// <summary>Judges <paramref name="tests"/> as <see cref="JudgeTestsAsync"/> does, on the submission's own slot plus
    /// slots borrowed from the run's idle slots for one run each, and, while none is idle, ranges of tests handed to other
    /// hosts (the tail half of the unstarted tests, between <see cref="RemoteRangeLeast"/> and <see cref="RemoteRangeMost"/>).
    /// Outcomes are taken (reported, kept) strictly in test order; when the first rejected one ends the batch, the tests
    /// after it that ran are discarded, runs and ranges still going are cancelled, and every borrowed slot goes back as soon
    /// as its run ends. A test a range brings back no outcome for is judged here.</summary>
    private async Task<BatchOutcome> JudgeTestsFannedOutAsync(List<TestCase> tests, bool breaks, TestRun run, CancellationToken cancellationToken)
    {
        // Per test: null until started; a null outcome is a handed-off test that came back unjudged (started again here).
        var runs = new Task<TestOutcome?>?[tests.Count];
        var ranges = new List<HandedOff>();
        var locals = new List<(int Position, Task<TestOutcome> Run, ProgramRun Program)>(); // the runs on this host's slots
        var going = new List<Task>();
        Task? own = null; // the run on the submission's own slot
        var next = 0;     // the first test not started
        var taken = 0;
        var announced = -1;
        var rejected = false;
        using var window = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            while (taken < tests.Count)
            {
                while (next < tests.Count && next - taken < FanOutLookahead)
                {
                    IDisposable? borrowed = null;
                    var onOwn = own is null || own.IsCompleted;
                    if (!onOwn && (borrowed = run.IdleSlots?.TryBorrow()) is null)
                    {
                        if (HandOff(tests, next, breaks, run, runs, window.Token) is not { } range)
                            break;
                        ranges.Add(range);
                        going.Add(range.Outcomes);
                        continue;
                    }
                    var test = tests[next];
                    var program = new ProgramRun();
                    var task = RunOnSlotAsync(run, run.Indexes[test.Name], test, borrowed, program, window.Token);
                    if (onOwn)
                        own = task;
                    else
                        EngineTelemetry.FannedOutRuns.Add(1);
                    runs[next] = Nullable(task);
                    locals.Add((next, task, program));
                    going.Add(task);
                    next = Unstarted(runs, next + 1);
                }

                if (announced < taken)
                {
                    announced = taken;
                    await run.Progress.TestStartedAsync(run.Indexes[tests[taken].Name], tests[taken].Name);
                }
                var head = runs[taken];
                if (head is null || !head.IsCompleted)
                {
                    await (head is null ? Task.WhenAny(going) : Task.WhenAny([.. going, head]));
                    going.RemoveAll(t => t.IsCompleted);
                    next = Math.Min(next, Settle(ranges, runs, breaks));
                    continue;
                }

                if (await head is not { } outcome)
                {
                    runs[taken] = null; // its range came back without it: judged here
                    next = Math.Min(next, taken);
                    continue;
                }
                await CommitAsync(run, run.Indexes[tests[taken].Name], outcome);
                taken++;
                if (outcome.Verdict != Verdict.AC)
                {
                    rejected = true;
                    if (breaks)
                        return new BatchOutcome(true, true);
                }
            }
            return new BatchOutcome(rejected, false);
        }
        finally
        {
            // Runs past the end of the batch are not wanted: cancel them and wait until each has given its slot back.
            await window.CancelAsync();
            foreach (var (position, pending, program) in locals)
            {
                if (position < taken)
                    continue;
                try
                {
                    await pending;
                }
                catch (Exception)
                {
                    // a cancelled run, or one that failed past the end of the batch: wasted work only if its program ran
                    // (then the sandbox counted it, although its check was cancelled)
                    if (!program.Ran)
                        continue;
                }
                EngineTelemetry.FanOutDiscardedRuns.Add(1); // its program ran to the end: wasted work, counted
            }
            foreach (var range in ranges)
            {
                // Outcomes a range brought back that were not taken: wasted work, counted (the host counts those it ran
                // when the cancellation came).
                var outcomes = await range.Outcomes;
                EngineTelemetry.FanOutDiscardedRuns.Add(Enumerable.Range(range.Start, outcomes.Count).Count(i => i >= taken));
            }
        }
    }

    /// <summary>A range of a batch's tests handed to another host: batch positions <see cref="Start"/> onwards, as many as
    /// asked; <see cref="Outcomes"/> never fails (a failed or cancelled call brings back none).</summary>
    private sealed record HandedOff(int Start, int Count, Task<IReadOnlyList<TestOutcome>> Outcomes)
    {
        /// <summary>Whether the range has been looked at since it came back.</summary>
        public bool Settled { get; set; }
    }

    /// <summary>Hands the tail half of the unstarted tests from <paramref name="next"/> (up to the next started one) to another
    /// host, when there are enough of them and a host is idle; <c>null</c> otherwise.</summary>
    private static HandedOff? HandOff(List<TestCase> tests, int next, bool breaks, TestRun run, Task<TestOutcome?>?[] runs, CancellationToken cancellationToken)
    {
        if (run.Remote is not { } remote)
            return null;
        var end = next;
        while (end < tests.Count && runs[end] is null)
            end++;
        var count = Math.Min((end - next) / 2, RemoteRangeMost);
        if (count < RemoteRangeLeast)
            return null;
        var start = end - count;
        var indexes = tests.GetRange(start, count).Select(t => run.Indexes[t.Name]).ToList();
        if (remote.TryHandOff(indexes, breaks, cancellationToken) is not { } call)
            return null;
        var range = new HandedOff(start, count, Guarded(call));
        for (var i = 0; i < count; i++)
            runs[start + i] = OutcomeOf(range.Outcomes, i, tests[start + i].Name);
        return range;
    }

    /// <summary>A range's outcomes, or none when its call failed or was cancelled: the caller judges those tests itself.</summary>
    private static async Task<IReadOnlyList<TestOutcome>> Guarded(Task<IReadOnlyList<TestOutcome>> call)
    {
        try
        {
            return await call;
        }
        catch (Exception)
        {
            return []; // outcomes do not depend on where a test ran: judged here instead
        }
    }

    /// <summary>The outcome of the <paramref name="offset"/>th test of a range, if it brought one back for <paramref name="name"/>.</summary>
    private static async Task<TestOutcome?> OutcomeOf(Task<IReadOnlyList<TestOutcome>> range, int offset, string name)
    {
        var outcomes = await range;
        return offset < outcomes.Count && outcomes[offset].Name == name ? outcomes[offset] : null;
    }

    /// <summary>Looks at the ranges that came back since the last look: the tests one brought no outcome for are unstarted
    /// again (judged here), unless it stopped at a rejection that ends the batch, after which no test is wanted. Returns the
    /// first test that is unstarted again, or <see cref="int.MaxValue"/>.</summary>
    private static int Settle(List<HandedOff> ranges, Task<TestOutcome?>?[] runs, bool breaks)
    {
        var first = int.MaxValue;
        foreach (var range in ranges)
        {
            if (range.Settled || !range.Outcomes.IsCompleted)
                continue;
            range.Settled = true;
            var outcomes = range.Outcomes.Result;
            if (breaks && outcomes.Count > 0 && outcomes[^1].Verdict != Verdict.AC)
                continue;
            var covered = outcomes.Count;
            for (var i = range.Start + covered; i < range.Start + range.Count; i++)
                runs[i] = null;
            if (covered < range.Count)
                first = Math.Min(first, range.Start + covered);
        }
        return first;
    }

    /// <summary>The first position from <paramref name="from"/> whose test is not started, or the end.</summary>
    private static int Unstarted(Task<TestOutcome?>?[] runs, int from)
    {
        while (from < runs.Length && runs[from] is not null)
            from++;
        return from;
    }

    private static async Task<TestOutcome?> Nullable(Task<TestOutcome> run) => await run;

    /// <summary>Runs one test and gives <paramref name="borrowed"/> back the moment it ends. Its request leaves from the
    /// caller's thread; its answer and check continue where the answer arrives (the caller, <c>JudgeWorker</c>, judges off
    /// any activation's scheduler, so the checks of tests in flight run in parallel).</summary>
    private async Task<TestOutcome> RunOnSlotAsync(TestRun run, int index, TestCase test, IDisposable? borrowed, ProgramRun program, CancellationToken cancellationToken)
    {
        using (borrowed)
            return await RunTestAsync(run, index, test, cancellationToken, program);
    }

    /// <summary>Whether a test's program has run to the end (the sandbox counted its run): a test abandoned after that
    /// is wasted work, whether its check finished or was cancelled.</summary>
    private sealed class ProgramRun
    {
        private volatile bool ran;

        public bool Ran => ran;

        public void Done() => ran = true;
    }

    /// <summary>Takes a test's outcome: kept for the report and sent to the progress, in test order.</summary>
    private async Task CommitAsync(TestRun run, int index, TestOutcome outcome)
    {
        LogTestJudged(run.Problem.Id, run.Language.Id, outcome.Name, outcome.Verdict);
        run.Outcomes[outcome.Name] = outcome;
        await run.Progress.TestJudgedAsync(index, outcome);
    }

    /// <summary>The include directory for a language: <c>include/&lt;id&gt;</c> or a common name for it, else <c>include/default</c>.</summary>
    private static string? IncludeDirectory(Problem problem, Language language)
    {
        string[] names = [language.Id, .. language.IncludeAliases];
        foreach (var name in names.Append("default"))
        {
            if (problem.IncludeDirectories.TryGetValue(name, out var directory))
                return directory;
        }
        return null;
    }

    /// <summary>The problem's checker, ready to run: the default validator, or its package program built (once, cached).</summary>
    private sealed record PreparedChecker(Func<TestCase, IChecker> For, IReadOnlyList<string> ProblemFlags, string? Error = null)
    {
        /// <summary>The interactor, in interactive problems (then <see cref="For"/> is not used).</summary>
        public KattisInteractor? Interactor { get; init; }
    }

    private async Task<PreparedChecker> CheckerAsync(Problem problem, CancellationToken cancellationToken)
    {
        var problemFlags = problem.ValidatorFlagsText.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (problem.Validation == ValidationMode.Default || problem.OutputValidator is null)
        {
            var byFlags = new Dictionary<string, IChecker>(StringComparer.Ordinal);
            var plain = new DefaultValidator(problem.ValidatorFlags);
            return new PreparedChecker(test =>
            {
                if (test.ValidatorFlags.Length == 0)
                    return plain;
                lock (byFlags) // tests of a fan-out ask from several threads
                {
                    if (!byFlags.TryGetValue(test.ValidatorFlags, out var checker))
                        byFlags[test.ValidatorFlags] = checker = new DefaultValidator(ValidatorFlags.Parse($"{problem.ValidatorFlagsText} {test.ValidatorFlags}"));
                    return checker;
                }
            }, []);
        }

        var built = await programs.GetAsync(problem.OutputValidator, cancellationToken);
        var role = problem.Validation == ValidationMode.Interactive ? "interactor" : "output validator";
        if (built.Error is { } error)
            return new PreparedChecker(_ => null!, [], $"the problem's {role} could not be built: {error}");

        var limits = new SandboxLimits
        {
            CpuTime = problem.Limits.ValidationTime,
            MemoryBytes = problem.Limits.ValidationMemoryBytes,
            LimitAddressSpace = false,
            StackBytes = 256L * 1024 * 1024,
            OutputBytes = 1024 * 1024,
            FileSizeBytes = problem.Limits.ValidationOutputBytes,
        };
        if (problem.Validation == ValidationMode.Interactive)
            return new PreparedChecker(_ => null!, problemFlags) { Interactor = new KattisInteractor(sandbox, built, limits, problem.Limits.ValidationOutputBytes) };
        IChecker shared = problem.Validation == ValidationMode.Testlib
            ? new TestlibChecker(sandbox, built, limits)
            : new KattisValidator(sandbox, built, limits, problem.Limits.ValidationOutputBytes);
        return new PreparedChecker(_ => shared, problemFlags);
    }

    /// <summary>Proves a language's toolchain works through the sandbox: compiles and runs its self-test on "2 3".</summary>
    /// <returns><c>null</c> when the self-test printed 5, else what went wrong.</returns>
    public async Task<string?> SelfTestAsync(Language language, CancellationToken cancellationToken = default)
    {
        using var workspace = Workspace.Create(Options.WorkRoot);
        var compiled = await CompileAsync(workspace, language, Encoding.UTF8.GetBytes(language.SelfTestSource), null, cachedOnly: false, cancellationToken);
        if (compiled.Failure is { } failure)
            return $"self-test did not compile ({failure.Verdict}): {failure.Message} {compiled.Output}".Trim();

        var input = workspace.IoFile("selftest.in");
        await File.WriteAllTextAsync(input, "2 3\n", cancellationToken);
        var limits = language.RunLimits(new SandboxLimits { CpuTime = TimeSpan.FromSeconds(10), MemoryBytes = 512L * 1024 * 1024 });
        var run = await RunAsync(workspace, "selftest", language, compiled.Layout, limits, input, cancellationToken);
        if (run.Result.Status != SandboxStatus.Ok)
            return $"self-test run failed: {run.Result.Status} {run.Result.Message} {run.Stderr}".Trim();
        var output = CappedFile.ReadText(run.StdoutPath, 1024).Trim();
        return output == "5" ? null : $"self-test printed '{output}' instead of '5'";
    }

    private sealed record Compiled(SourceLayout Layout, string? Output, (Verdict Verdict, string Message)? Failure);

    /// <summary>Compiles <paramref name="source"/> in <paramref name="workspace"/>, or takes the compilation from the compile
    /// cache; with <paramref name="cachedOnly"/>, a compilation the cache does not hold is a judge error, not a compile.</summary>
    private async Task<Compiled> CompileAsync(Workspace workspace, Language language, ReadOnlyMemory<byte> source, string? include, bool cachedOnly,
        CancellationToken cancellationToken)
    {
        var layout = language.Layout(Encoding.UTF8.GetString(source.Span));
        if (layout.Error is { } layoutError)
            return new Compiled(layout, layoutError, (Verdict.CE, layoutError));

        if (include is not null)
        {
            foreach (var file in Directory.GetFiles(include))
                SandboxFiles.CopyIn(file, Path.Combine(workspace.SourceDirectory, Path.GetFileName(file)));
        }

        var sourcePath = Path.Combine(workspace.SourceDirectory, layout.SourceFileName);
        File.Delete(sourcePath); // an include file of the same name gives way to the submission
        await File.WriteAllBytesAsync(sourcePath, source, cancellationToken);
        if (language.CompileCommand(layout) is not { } command)
            return new Compiled(layout, null, null);

        // One "compile" span either way: a cache hit is a compile that took no sandbox run (judge.compile.cache = hit).
        using var span = EngineTelemetry.Source.StartActivity("compile");
        span?.SetTag("judge.language", language.Id);
        var key = compileCache is null ? null : CompileKey.Compute(language.Id, language.Version, command, language.Environment, source.Span,
            include is null ? [] : Directory.GetFiles(include).Select(f => (Path.GetFileName(f), File.ReadAllBytes(f))));
        if (key is not null && await FromCacheAsync(key, workspace, language, layout, cancellationToken) is { } cached)
        {
            span?.SetTag("judge.compile.cache", "hit");
            span?.SetTag("judge.compile.outcome", cached.Failure is null ? "ok" : "failed");
            return cached;
        }
        if (cachedOnly)
            return new Compiled(layout, null, (Verdict.IE, "the compiled program is not in the compile cache"));
        if (key is not null)
            span?.SetTag("judge.compile.cache", "miss");
        var started = Stopwatch.GetTimestamp();
        var log = workspace.IoFile("compile.log");
        var warmup = WarmupFor(language);
        var extra = warmup?.BeforeCompile(language, workspace.SourceDirectory) ?? [];
        var result = await sandbox.RunAsync(new SandboxRequest
        {
            Argv = extra.Count == 0 ? command : [command[0], .. extra, .. command.Skip(1)],
            WorkingDirectory = workspace.SourceDirectory,
            StdoutPath = log,
            MergeStderrIntoStdout = true,
            PersistWorkingDirectory = true,
            Environment = language.Environment,
            Limits = Options.CompileLimits,
        }, cancellationToken);
        warmup?.AfterCompile(workspace.SourceDirectory);
        var output = CappedFile.ReadText(log, Options.CompileOutputBytes);
        var limits = Options.CompileLimits;
        var failure = VerdictRules.ForCompile(result, limits);
        EngineTelemetry.CompileDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds,
            new KeyValuePair<string, object?>("language", language.Id), new KeyValuePair<string, object?>("outcome", failure is null ? "ok" : "failed"));
        span?.SetTag("judge.compile.outcome", failure is null ? "ok" : "failed");
        if (failure is { } f)
            LogCompileFailed(language.Id, f.Item1, f.Item2);
        var compiled = new Compiled(layout, output.Length == 0 ? null : output, failure);
        // Kept: a success, and a compile error the compiler reported (a non-zero exit: the same source always fails the
        // same way). Not kept: limits exceeded, signals, judge errors, which depend on the machine and its load.
        if (key is not null && (result.Status == SandboxStatus.Ok || result.Status == SandboxStatus.NonZeroExit))
            await ToCacheAsync(key, workspace, compiled, cancellationToken);
        return compiled;
    }

    private ILanguageWarmup? WarmupFor(Language language)
    {
        foreach (var warmup in warmups)
        {
            if (warmup.AppliesTo(language))
                return warmup;
        }
        return null;
    }

    private async Task<Compiled?> FromCacheAsync(string key, Workspace workspace, Language language, SourceLayout layout, CancellationToken cancellationToken)
    {
        CompileArtifact? artifact;
        try
        {
            artifact = await compileCache!.FindAsync(key, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogCompileCacheFailed(e, language.Id, key);
            artifact = null;
        }
        if (artifact is not null)
        {
            try
            {
                var outcome = artifact.ReadOutcome();
                artifact.Unpack(workspace.SourceDirectory);
                (Verdict, string)? failure = outcome.FailureVerdict is null
                    ? null
                    : (Enum.Parse<Verdict>(outcome.FailureVerdict), outcome.FailureMessage ?? "");
                EngineTelemetry.CompileCacheLookups.Add(1, new KeyValuePair<string, object?>("language", language.Id), new KeyValuePair<string, object?>("result", "hit"));
                LogCompileCacheHit(language.Id, key);
                return new Compiled(layout, outcome.Output, failure);
            }
            catch (Exception e) when (e is InvalidDataException or IOException or System.Text.Json.JsonException or ArgumentException)
            {
                LogCompileCacheFailed(e, language.Id, key); // compiled again below, over whatever was unpacked
            }
        }
        EngineTelemetry.CompileCacheLookups.Add(1, new KeyValuePair<string, object?>("language", language.Id), new KeyValuePair<string, object?>("result", "miss"));
        return null;
    }

    private async Task ToCacheAsync(string key, Workspace workspace, Compiled compiled, CancellationToken cancellationToken)
    {
        try
        {
            var outcome = new CompileArtifact.Outcome(compiled.Output, compiled.Failure?.Verdict.ToString(), compiled.Failure?.Message);
            if (CompileArtifact.Pack(key, workspace.SourceDirectory, outcome) is { } artifact)
                await compileCache!.AddAsync(artifact, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogCompileCacheFailed(e, "", key);
        }
    }

    private sealed record Run(SandboxResult Result, string StdoutPath, string Stderr);

    private async Task<Run> RunAsync(Workspace workspace, string key, Language language, SourceLayout layout, SandboxLimits limits, string inputPath, CancellationToken cancellationToken)
    {
        var stdout = workspace.IoFile($"{key}.out");
        var stderr = workspace.IoFile($"{key}.err");
        var request = new SandboxRequest
        {
            Argv = language.RunCommand(layout, limits),
            WorkingDirectory = workspace.SourceDirectory,
            StdinPath = inputPath,
            StdoutPath = stdout,
            StderrPath = stderr,
            Environment = language.RunEnvironment,
            Limits = limits,
        };
        var result = await sandbox.RunAsync(request, cancellationToken);
        if (language.HugePages && VerdictRules.NeedsRunWithoutHugePages(result))
        {
            // the same files again (the sandbox creates them anew): whichever run counts, its output is the one left there
            File.Delete(stdout);
            File.Delete(stderr);
            var without = await sandbox.RunAsync(request with { Environment = language.Environment }, cancellationToken);
            var counts = VerdictRules.CountsOverHugePageRun(without);
            LogRanWithoutHugePages(language.Id, key, without.Status, counts);
            if (counts)
                result = without;
        }
        // nothing to read when the sandbox counted no byte of it (most runs): one open and read less per test
        var kept = result.StderrBytes == 0 ? "" : CappedFile.ReadTail(stderr, StderrKeptBytes);
        File.Delete(stderr);
        return new Run(result, stdout, kept);
    }

    /// <summary>Runs one test (every pass of it, in a multi-pass problem), checks it and rules.</summary>
    private async Task<TestOutcome> RunTestAsync(TestRun run, int index, TestCase test, CancellationToken cancellationToken, ProgramRun? program = null)
    {
        using var span = EngineTelemetry.Source.StartActivity("test");
        span?.SetTag("judge.test", test.Name);
        var outcome = await JudgeTestAsync(run, index, test, program, cancellationToken);
        span?.SetTag("judge.verdict", outcome.Verdict.ToString());
        return outcome;
    }

    private async Task<TestOutcome> JudgeTestAsync(TestRun run, int index, TestCase test, ProgramRun? program, CancellationToken cancellationToken)
    {
        if (run.Checker.Interactor is { } interactor)
            return await RunInteractiveTestAsync(run, interactor, index, test, program, cancellationToken);
        var problem = run.Problem;
        var checker = run.Checker.For(test);
        var flags = run.Checker.ProblemFlags.Concat(test.ValidatorFlags.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        var checkDirectory = Path.Combine(run.Workspace.Root, "checks", index.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var input = test.InputPath;
        var cpu = TimeSpan.Zero;
        var wall = TimeSpan.Zero;
        var memory = 0L;
        for (var pass = 1; ; pass++)
        {
            var run1 = await RunAsync(run.Workspace, $"{index}-{pass}", run.Language, run.Layout, run.Limits, input, cancellationToken);
            program?.Done();
            try
            {
                var result = run1.Result;
                cpu += result.CpuTime;
                wall += result.WallTime;
                memory = Math.Max(memory, result.PeakMemoryBytes);
                var check = VerdictRules.NeedsCheck(result)
                    ? await checker.CheckAsync(new CheckRequest(input, test.AnswerPath, run1.StdoutPath)
                    {
                        Flags = flags,
                        WorkDirectory = checkDirectory,
                    }, cancellationToken)
                    : null;
                if (check?.NextPassInput is { } next && !problem.MultiPass)
                {
                    File.Delete(next);
                    check = check with { NextPassInput = null };
                }

                if (check is { RejectedWithNextPass: true } && problem.MultiPass)
                    check = CheckOutcome.Failed($"the output validator wrote nextpass.in on pass {pass} but rejected the output (exit {KattisValidator.RejectExitCode}); a next pass is asked for only with exit {KattisValidator.AcceptExitCode}", check.JudgeMessage);

                if (check is { Status: CheckStatus.Accepted, NextPassInput: { } nextInput })
                {
                    if (pass < problem.ValidationPasses)
                    {
                        if (pass > 1)
                            File.Delete(input); // the previous pass's nextpass.in, copied out of the feedback directory
                        input = nextInput;
                        continue;
                    }

                    File.Delete(nextInput);

                    check = CheckOutcome.Failed($"the output validator asked for pass {pass + 1}, but the problem allows {problem.ValidationPasses} (limits.validation_passes)", check.JudgeMessage);
                }

                var (verdict, message) = VerdictRules.ForRun(result, check, run.Language.IsOutOfMemory(run1.Stderr));
                if (pass > 1 && verdict != Verdict.AC)
                    message = message is null ? $"pass {pass}" : $"pass {pass}: {message}";
                double? score = problem.Scoring ? (verdict == Verdict.AC ? check?.Score ?? 1 : 0) : null;
                return new TestOutcome(test.Name, verdict, cpu, wall, memory, result.ExitCode, result.SignalName, message)
                {
                    Score = score,
                    JudgeMessage = check?.JudgeMessage,
                };
            }
            finally
            {
                File.Delete(run1.StdoutPath);
            }
        }
    }

    /// <summary>Runs one test of an interactive problem: the submission and the interactor at once, connected by pipes.</summary>
    private async Task<TestOutcome> RunInteractiveTestAsync(TestRun run, KattisInteractor interactor, int index, TestCase test, ProgramRun? program, CancellationToken cancellationToken)
    {
        var key = index.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var stderr = run.Workspace.IoFile($"{key}.err");
        var submission = new SandboxRequest
        {
            Argv = run.Language.RunCommand(run.Layout, run.Limits),
            WorkingDirectory = run.Workspace.SourceDirectory,
            StderrPath = stderr,
            Environment = run.Language.RunEnvironment,
            Limits = run.Limits,
        };
        var request = new InteractionRequest(test.InputPath, test.AnswerPath, Path.Combine(run.Workspace.Root, "checks", key))
        {
            Flags = run.Checker.ProblemFlags.Concat(test.ValidatorFlags.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList(),
        };
        var interaction = await interactor.InteractAsync(submission, request, cancellationToken);
        if (run.Language.HugePages && VerdictRules.NeedsRunWithoutHugePages(interaction.Submission))
        {
            // the whole interaction again, as RunAsync does for a run, in a check directory of its own (nothing the first
            // interactor left in its feedback directory is mistaken for the second's)
            File.Delete(stderr);
            var without = await interactor.InteractAsync(submission with { Environment = run.Language.Environment },
                request with { WorkDirectory = $"{request.WorkDirectory}-without-huge-pages" }, cancellationToken);
            var counts = VerdictRules.CountsOverHugePageRun(without.Submission);
            LogRanWithoutHugePages(run.Language.Id, key, without.Submission.Status, counts);
            if (counts)
                interaction = without;
        }
        program?.Done();
        var kept = CappedFile.ReadTail(stderr, StderrKeptBytes);
        File.Delete(stderr);

        var result = interaction.Submission;
        var (verdict, message) = VerdictRules.ForInteraction(interaction, run.Language.IsOutOfMemory(kept));
        double? score = run.Problem.Scoring ? (verdict == Verdict.AC ? interaction.Outcome.Score ?? 1 : 0) : null;
        return new TestOutcome(test.Name, verdict, result.CpuTime, result.WallTime, result.PeakMemoryBytes, result.ExitCode, result.SignalName, message)
        {
            Score = score,
            JudgeMessage = interaction.Outcome.JudgeMessage,
        };
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Language} run {Run} went over its memory limit with huge pages; without them it ended {Status}, which {Counts}")]
    private partial void LogRanWithoutHugePagesCore(string language, string run, SandboxStatus status, string counts);

    private void LogRanWithoutHugePages(string language, string run, SandboxStatus status, bool counts)
    {
        EngineTelemetry.HugePageReruns.Add(1, new KeyValuePair<string, object?>("language", language), new KeyValuePair<string, object?>("counts", counts ? "true" : "false"));
        LogRanWithoutHugePagesCore(language, run, status, counts ? "counts" : "does not count (MLE stands)");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Problem {Problem}: the output validator is unusable: {Reason}")]
    private partial void LogCheckerFailed(string problem, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Problem {Problem} in {Language}: test {Test} judged {Verdict}")]
    private partial void LogTestJudged(string problem, string language, string test, Verdict verdict);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Compilation in {Language} taken from the compile cache ({Key})")]
    private partial void LogCompileCacheHit(string language, string key);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Compile cache failed for {Language} ({Key}); compiling instead")]
    private partial void LogCompileCacheFailed(Exception exception, string language, string key);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Compilation in {Language} ended {Verdict}: {Reason}")]
    private partial void LogCompileFailed(string language, Verdict verdict, string reason);
}
