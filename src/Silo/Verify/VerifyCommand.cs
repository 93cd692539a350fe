using Judge.Abstractions;
using Judge.Engine.Judging;
using Judge.Engine.Sandbox;
using Judge.Engine.Telemetry;
using Judge.Grains.Hosting;
using Judge.Grains.Options;
using Judge.Grains.Toolchains;

namespace Judge.Silo.Verify;

/// <summary><c>Judge.Silo verify &lt;package dir&gt;...</c>: judges every submission under each package's <c>submissions/</c>
/// folder with the silo's engine and sandbox, and compares each result with what the package expects, like problemtools'
/// <c>verifyproblem</c>. Exit code 0 when all agree, 1 on a disagreement or a package that does not load, 2 on bad arguments.</summary>
public static partial class VerifyCommand
{
    /// <summary>The command's name, the first argument.</summary>
    public const string Name = "verify";

    /// <summary>How the command is used, printed on bad arguments and for <c>--help</c>.</summary>
    public const string Usage =
        """
        usage: Judge.Silo verify [--json] [--Key=value ...] <package dir>...
          Judges every submission under each package's submissions/ folder through the sandbox and compares the result
          with the package's expectations (the verdict directory, submissions.yaml or expectations.yaml,
          @EXPECTED_RESULTS@, or this repository's case.json). Prints a table and a summary line.
          --json         print a machine-readable report instead of the table
          --Key=value    a judge setting, e.g. --Judge:Slots=2, --Judge:Sandbox:Socket=/run/judge/sandbox.sock
          exit code: 0 all agree, 1 a disagreement or a package that does not load, 2 bad arguments
        """;

    /// <summary>Runs the command; answers the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        var settings = new List<string>();
        var packages = new List<string>();
        var json = false;
        foreach (var arg in args)
        {
            if (arg is "--help" or "-h")
            {
                await output.WriteLineAsync(Usage);
                return 0;
            }
            if (arg == "--json")
                json = true;
            else if (arg.StartsWith("--", StringComparison.Ordinal) && arg.Contains('=', StringComparison.Ordinal))
                settings.Add(arg);
            else if (arg.StartsWith('-'))
                return await BadArgumentsAsync(error, $"unknown option '{arg}'");
            else
                packages.Add(arg);
        }
        if (packages.Count == 0)
            return await BadArgumentsAsync(error, "name at least one package directory");
        foreach (var package in packages)
        {
            if (!Directory.Exists(package))
                return await BadArgumentsAsync(error, $"'{package}' is not a directory");
        }

        var builder = WebApplication.CreateBuilder(settings.ToArray());
        var options = builder.Configuration.GetSection(JudgingOptions.Section).Get<JudgingOptions>() ?? new JudgingOptions();
        // Packages come from the command line, not from Judge:Problems:Root.
        if (new JudgingOptionsValidator(new ProblemStoreSelection(Name, ReadsProblemsRoot: false)).Validate(null, options) is { Failed: true } invalid)
            return await BadArgumentsAsync(error, string.Join(" ", invalid.Failures));

        using var loggers = LoggerFactory.Create(logging => logging
            .SetMinimumLevel(LogLevel.Warning)
            .AddSimpleConsole(console => console.SingleLine = true)
            .AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace)); // stdout carries only the report

        var judgeOptions = JudgeOptions.Default with { WorkRoot = options.WorkRoot ?? JudgeOptions.Default.WorkRoot };
        ISandbox sandbox;
        try
        {
            sandbox = new MeasuredSandbox(SandboxFactory.Create(options, judgeOptions.WorkRoot, builder.Environment, loggers.CreateLogger("Judge.Sandbox")));
        }
        catch (InvalidOperationException e)
        {
            await error.WriteLineAsync($"verify: {e.Message}");
            return 1;
        }

        try
        {
            var judge = new SubmissionJudge(sandbox, judgeOptions, loggers.CreateLogger<SubmissionJudge>());
            var toolchains = new ToolchainInventory(Microsoft.Extensions.Options.Options.Create(options), judge, loggers.CreateLogger<ToolchainInventory>());
            var cache = Path.Combine(judgeOptions.WorkRoot, "verify-problems");
            var run = new VerifyRun(judge, toolchains, options.Problems.Limits, cache, loggers.CreateLogger("Judge.Problems"), options.Slots, error);
            // Ctrl+C stops the runs under way (the sandbox kills them) and reports what was judged so far.
            using var interrupted = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            ConsoleCancelEventHandler stop = (_, e) =>
            {
                e.Cancel = true;
                interrupted.Cancel();
            };
            Console.CancelKeyPress += stop;
            VerifyReport report;
            try
            {
                report = await run.RunAsync(packages, interrupted.Token);
            }
            finally
            {
                Console.CancelKeyPress -= stop;
            }
            if (json)
                await output.WriteLineAsync(report.ToJson());
            else
                await report.WriteTableAsync(output);
            return report.ExitCode;
        }
        finally
        {
            // Off the sandbox's reader thread, where the last judging may have left this method running.
            await Task.Run(async () => await ((IAsyncDisposable)sandbox).DisposeAsync(), CancellationToken.None);
        }
    }

    private static async Task<int> BadArgumentsAsync(TextWriter error, string problem)
    {
        await error.WriteLineAsync($"verify: {problem}");
        await error.WriteLineAsync(Usage);
        return 2;
    }
}
