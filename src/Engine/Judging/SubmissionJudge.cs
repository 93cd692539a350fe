using Judge.Engine.Checkers;
using Judge.Engine.Languages;
using Judge.Engine.Problems;
using Judge.Engine.Sandbox;
using Judge.Engine.Verdicts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Judge.Engine.Judging;

/// <summary>Judges one submission: compiles it once, runs the problem's tests in order through the sandbox, checks and rules.</summary>
public sealed partial class SubmissionJudge(ISandbox sandbox, JudgeOptions options, ILogger<SubmissionJudge>? logger = null)
{
    private const int StderrKeptBytes = 4096;
    private readonly ILogger logger = logger ?? NullLogger<SubmissionJudge>.Instance;

    public JudgeOptions Options { get; } = options;

    /// <summary>Judges <paramref name="source"/> in <paramref name="language"/> against every test of <paramref name="problem"/>.</summary>
    public async Task<JudgeReport> JudgeAsync(Problem problem, Language language, string source, IJudgeProgress progress, CancellationToken cancellationToken = default)
    {
        using var workspace = Workspace.Create(Options.WorkRoot);
        var compiled = await CompileAsync(workspace, language, source, cancellationToken);
        if (compiled.Failure is { } failure)
            return new JudgeReport(failure.Verdict, compiled.Output, [], failure.Message);

        await progress.CompiledAsync(compiled.Output, problem.Tests.Count);

        var checker = new DefaultValidator(problem.ValidatorFlags);
        var limits = language.RunLimits(new SandboxLimits
        {
            CpuTime = problem.Limits.TimeLimit,
            MemoryBytes = problem.Limits.MemoryBytes,
            OutputBytes = problem.Limits.OutputBytes,
        });
        var outcomes = new List<TestOutcome>(problem.Tests.Count);
        var failed = false;
        for (var index = 0; index < problem.Tests.Count; index++)
        {
            var test = problem.Tests[index];
            if (failed && Options.StopOnFirstFailure)
            {
                outcomes.Add(TestOutcome.Skipped(test.Name));
                continue;
            }

            await progress.TestStartedAsync(index, test.Name);
            var outcome = await RunTestAsync(workspace, index, language, compiled.Layout, limits, test, checker, cancellationToken);
            LogTestJudged(problem.Id, language.Id, test.Name, outcome.Verdict);
            outcomes.Add(outcome);
            await progress.TestJudgedAsync(index, outcome);
            failed |= outcome.Verdict != Verdict.AC;
        }

        var verdict = VerdictRules.ForSubmission(outcomes.Select(o => o.Verdict));
        return new JudgeReport(verdict, compiled.Output, outcomes);
    }

    /// <summary>Proves a language's toolchain works through the sandbox: compiles and runs its self-test on "2 3".</summary>
    /// <returns><c>null</c> when the self-test printed 5, else what went wrong.</returns>
    public async Task<string?> SelfTestAsync(Language language, CancellationToken cancellationToken = default)
    {
        using var workspace = Workspace.Create(Options.WorkRoot);
        var compiled = await CompileAsync(workspace, language, language.SelfTestSource, cancellationToken);
        if (compiled.Failure is { } failure)
            return $"self-test did not compile ({failure.Verdict}): {failure.Message} {compiled.Output}".Trim();

        var input = workspace.IoFile("selftest.in");
        await File.WriteAllTextAsync(input, "2 3\n", cancellationToken);
        var limits = language.RunLimits(new SandboxLimits { CpuTime = TimeSpan.FromSeconds(10), MemoryBytes = 512L * 1024 * 1024 });
        var run = await RunAsync(workspace, 0, language, compiled.Layout, limits, input, cancellationToken);
        if (run.Result.Status != SandboxStatus.Ok)
            return $"self-test run failed: {run.Result.Status} {run.Result.Message} {run.Stderr}".Trim();
        var output = CappedFile.ReadText(run.StdoutPath, 1024).Trim();
        return output == "5" ? null : $"self-test printed '{output}' instead of '5'";
    }

    private sealed record Compiled(SourceLayout Layout, string? Output, (Verdict Verdict, string Message)? Failure);

    private async Task<Compiled> CompileAsync(Workspace workspace, Language language, string source, CancellationToken cancellationToken)
    {
        var layout = language.Layout(source);
        if (layout.Error is { } layoutError)
            return new Compiled(layout, layoutError, (Verdict.CE, layoutError));

        await File.WriteAllTextAsync(Path.Combine(workspace.SourceDirectory, layout.SourceFileName), source, cancellationToken);
        if (language.CompileCommand(layout) is not { } command)
            return new Compiled(layout, null, null);

        var log = workspace.IoFile("compile.log");
        var result = await sandbox.RunAsync(new SandboxRequest
        {
            Argv = command,
            WorkingDirectory = workspace.SourceDirectory,
            StdoutPath = log,
            MergeStderrIntoStdout = true,
            PersistWorkingDirectory = true,
            Environment = language.Environment,
            Limits = Options.CompileLimits,
        }, cancellationToken);
        var output = CappedFile.ReadText(log, Options.CompileOutputBytes);
        var limits = Options.CompileLimits;
        (Verdict, string)? failure = result.Status switch
        {
            SandboxStatus.Ok => null,
            SandboxStatus.InternalError => (Verdict.IE, $"the compiler could not be run: {result.Message}"),
            SandboxStatus.CpuTimeLimitExceeded or SandboxStatus.WallTimeLimitExceeded =>
                (Verdict.CE, $"compilation exceeded its time limit of {limits.CpuTime.TotalSeconds:0} s"),
            SandboxStatus.MemoryLimitExceeded => (Verdict.CE, $"compilation exceeded its memory limit of {limits.MemoryBytes / (1024 * 1024)} MiB"),
            SandboxStatus.OutputLimitExceeded => (Verdict.CE, $"the compiler wrote more than {limits.OutputBytes / 1024} KiB of messages"),
            SandboxStatus.Signaled => (Verdict.CE, $"the compiler was killed by {result.SignalName}"),
            _ => (Verdict.CE, $"compilation failed (exit code {result.ExitCode})"),
        };
        if (failure is { } f)
            LogCompileFailed(language.Id, f.Item1, f.Item2);
        return new Compiled(layout, output.Length == 0 ? null : output, failure);
    }

    private sealed record Run(SandboxResult Result, string StdoutPath, string Stderr);

    private async Task<Run> RunAsync(Workspace workspace, int index, Language language, SourceLayout layout, SandboxLimits limits, string inputPath, CancellationToken cancellationToken)
    {
        var stdout = workspace.IoFile($"{index}.out");
        var stderr = workspace.IoFile($"{index}.err");
        var result = await sandbox.RunAsync(new SandboxRequest
        {
            Argv = language.RunCommand(layout, limits),
            WorkingDirectory = workspace.SourceDirectory,
            StdinPath = inputPath,
            StdoutPath = stdout,
            StderrPath = stderr,
            Environment = language.Environment,
            Limits = limits,
        }, cancellationToken);
        return new Run(result, stdout, CappedFile.ReadText(stderr, StderrKeptBytes));
    }

    private async Task<TestOutcome> RunTestAsync(Workspace workspace, int index, Language language, SourceLayout layout, SandboxLimits limits, TestCase test, IChecker checker, CancellationToken cancellationToken)
    {
        var run = await RunAsync(workspace, index, language, layout, limits, test.InputPath, cancellationToken);
        try
        {
            var result = run.Result;
            var check = VerdictRules.NeedsCheck(result)
                ? await checker.CheckAsync(new CheckRequest(test.InputPath, test.AnswerPath, run.StdoutPath), cancellationToken)
                : null;
            var (verdict, message) = VerdictRules.ForRun(result, check, language.IsOutOfMemory(run.Stderr));
            return new TestOutcome(test.Name, verdict, result.CpuTime, result.WallTime, result.PeakMemoryBytes,
                result.ExitCode, result.SignalName, message);
        }
        finally
        {
            File.Delete(run.StdoutPath);
            File.Delete(workspace.IoFile($"{index}.err"));
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Problem {Problem} in {Language}: test {Test} judged {Verdict}")]
    private partial void LogTestJudged(string problem, string language, string test, Verdict verdict);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Compilation in {Language} ended {Verdict}: {Reason}")]
    private partial void LogCompileFailed(string language, Verdict verdict, string reason);
}
