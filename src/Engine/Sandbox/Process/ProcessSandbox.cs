using System.Globalization;
using System.Text;
using CliWrap;
using CliWrap.Buffered;

namespace Judge.Engine.Sandbox.Process;

/// <summary>Runs programs through the native <c>judge-exec</c> helper: rlimits, CPU and wall limits, capped output, exact rusage.</summary>
/// <remarks>
/// No namespaces, cgroups or seccomp yet: this is the process-level layer the isolating sandbox builds on.
/// Cancelling a run asks the helper to kill the whole run (SIGINT), and kills the helper's process tree if it
/// has not finished within <see cref="KillGracePeriod"/>.
/// </remarks>
public sealed class ProcessSandbox : ISandbox
{
    /// <summary>The file name of the native helper, deployed next to the engine assembly.</summary>
    public const string HelperFileName = "judge-exec";

    /// <summary>How long a cancelled helper may take to kill and reap the run before it is killed itself.</summary>
    public static TimeSpan KillGracePeriod { get; } = TimeSpan.FromSeconds(2);

    /// <summary>Uses the <c>judge-exec</c> next to the engine assembly.</summary>
    public ProcessSandbox()
        : this(DefaultHelperPath())
    {
    }

    /// <summary>Uses the helper at <paramref name="helperPath"/>.</summary>
    public ProcessSandbox(string helperPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(helperPath);
        HelperPath = helperPath;
    }

    /// <summary>The absolute path of the native helper this sandbox runs.</summary>
    public string HelperPath { get; }

    /// <summary>The helper path next to the engine assembly (or the application base directory).</summary>
    public static string DefaultHelperPath()
    {
        var assemblyDir = Path.GetDirectoryName(typeof(ProcessSandbox).Assembly.Location);
        var candidate = string.IsNullOrEmpty(assemblyDir) ? null : Path.Combine(assemblyDir, HelperFileName);
        return candidate is not null && File.Exists(candidate)
            ? candidate
            : Path.Combine(AppContext.BaseDirectory, HelperFileName);
    }

    /// <summary>The refusal of <see cref="RunConnectedAsync"/>: this development runner starts one helper process per run
    /// and cannot hand pipes between two of them.</summary>
    public const string ConnectedRunsUnsupported =
        "the unsafe process sandbox (Judge:Sandbox:Mode=Unsafe) cannot connect two programs by pipes; interactive problems need the isolating sandbox (Judge:Sandbox:Mode=Isolated)";

    /// <summary>Refuses: both runs answer <see cref="SandboxStatus.InternalError"/> with <see cref="ConnectedRunsUnsupported"/>.</summary>
    public Task<ConnectedResult> RunConnectedAsync(SandboxRequest first, SandboxRequest second, CancellationToken cancellationToken = default)
    {
        SandboxRequestValidation.ValidateConnected(first, second);
        return Task.FromResult(ConnectedResult.Internal(ConnectedRunsUnsupported));
    }

    public async Task<SandboxResult> RunAsync(SandboxRequest request, CancellationToken cancellationToken = default)
    {
        SandboxRequestValidation.Validate(request);
        cancellationToken.ThrowIfCancellationRequested();

        if (!File.Exists(HelperPath))
        {
            return SandboxResult.Internal(
                $"The sandbox helper '{HelperPath}' is missing; it is built from src/Engine/Sandbox/Process/native/judge-exec.c by the Judge.Engine build (gcc required).");
        }

        var scratch = request.PersistWorkingDirectory ? null : ScratchCopy.Create(request.WorkingDirectory);
        try
        {
            return await RunHelperAsync(scratch is null ? request : request with { WorkingDirectory = scratch }, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (scratch is not null)
                ScratchCopy.Delete(scratch);
        }
    }

    private async Task<SandboxResult> RunHelperAsync(SandboxRequest request, CancellationToken cancellationToken)
    {
        using var forceful = new CancellationTokenSource();
        using var escalate = cancellationToken.Register(() => forceful.CancelAfter(KillGracePeriod));

        BufferedCommandResult executed;
        try
        {
            executed = await Cli.Wrap(HelperPath)
                .WithArguments(BuildArguments(request))
                .WithWorkingDirectory(request.WorkingDirectory)
                .WithValidation(CommandResultValidation.None)
                .ExecuteBufferedAsync(Encoding.UTF8, Encoding.UTF8, forceful.Token, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            return SandboxResult.Internal($"Cannot start the sandbox helper '{HelperPath}': {ex.Message}");
        }

        return Interpret(executed, request.Limits);
    }

    /// <summary>The helper's command line for <paramref name="request"/>.</summary>
    internal static IReadOnlyList<string> BuildArguments(SandboxRequest request)
    {
        var limits = request.Limits;
        var args = new List<string>
        {
            "--cpu-ms", Milliseconds(limits.CpuTime),
            "--wall-ms", Milliseconds(limits.EffectiveWallTime),
            "--mem-bytes", Number(limits.MemoryBytes),
            "--stack-bytes", Number(limits.EffectiveStackBytes),
            "--nproc", Number(limits.Processes),
            "--out-bytes", Number(limits.OutputBytes),
            "--err-bytes", Number(limits.StderrBytes),
            "--fsize-bytes", Number(limits.FileSizeBytes),
            "--nofile", Number(limits.OpenFiles),
            "--cwd", request.WorkingDirectory,
        };
        if (limits.LimitAddressSpace)
        {
            args.Add("--limit-as");
        }

        if (request.StdinPath is not null)
        {
            args.AddRange(["--stdin", request.StdinPath]);
        }

        if (request.StdoutPath is not null)
        {
            args.AddRange(["--stdout", request.StdoutPath]);
        }

        if (request.MergeStderrIntoStdout)
        {
            args.Add("--merge-stderr");
        }
        else if (request.StderrPath is not null)
        {
            args.AddRange(["--stderr", request.StderrPath]);
        }

        foreach (var (key, value) in request.Environment)
        {
            args.AddRange(["--env", $"{key}={value}"]);
        }

        args.Add("--");
        args.AddRange(request.Argv);
        return args;
    }

    private static SandboxResult Interpret(BufferedCommandResult executed, SandboxLimits limits)
    {
        var line = executed.StandardOutput.Trim();
        var report = executed.ExitCode == 0 && line.Length > 0 ? SandboxReport.Parse(line) : null;
        if (report is null)
        {
            var stderr = executed.StandardError.Trim();
            return SandboxResult.Internal(
                $"The sandbox helper failed (exit code {executed.ExitCode}) with an unreadable report: '{Shorten(line)}' {Shorten(stderr)}".TrimEnd());
        }

        return report.ToResult(limits);
    }

    private static string Milliseconds(TimeSpan t) => Number(Math.Max(1L, (long)Math.Ceiling(t.TotalMilliseconds)));

    private static string Number(long n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Shorten(string s) => s.Length <= 300 ? s : s[..300] + "…";
}
