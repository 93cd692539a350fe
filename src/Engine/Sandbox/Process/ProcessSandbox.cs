using System.Globalization;
using System.Text;
using System.Text.Json;
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

    public async Task<SandboxResult> RunAsync(SandboxRequest request, CancellationToken cancellationToken = default)
    {
        Validate(request);
        cancellationToken.ThrowIfCancellationRequested();

        if (!File.Exists(HelperPath))
        {
            return SandboxResult.Internal(
                $"The sandbox helper '{HelperPath}' is missing; it is built from src/Engine/Sandbox/Process/native/judge-exec.c by the Judge.Engine build (gcc required).");
        }

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

    private static void Validate(SandboxRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Limits, nameof(request));
        if (request.Argv.Count == 0)
        {
            throw new ArgumentException("Argv must name the program to run.", nameof(request));
        }

        if (!Path.IsPathFullyQualified(request.Argv[0]) && !request.Argv[0].StartsWith("./", StringComparison.Ordinal))
        {
            throw new ArgumentException($"Argv[0] must be an absolute path or start with './', not '{request.Argv[0]}'.", nameof(request));
        }

        if (request.Argv.Any(a => a.Contains('\0', StringComparison.Ordinal)))
        {
            throw new ArgumentException("Arguments must not contain NUL characters.", nameof(request));
        }

        if (!Directory.Exists(request.WorkingDirectory))
        {
            throw new ArgumentException($"The working directory '{request.WorkingDirectory}' does not exist.", nameof(request));
        }

        foreach (var key in request.Environment.Keys)
        {
            if (key.Length == 0 || key.Contains('=', StringComparison.Ordinal) || key.Contains('\0', StringComparison.Ordinal))
            {
                throw new ArgumentException($"Invalid environment variable name '{key}'.", nameof(request));
            }
        }

        if (request.Limits.CpuTime <= TimeSpan.Zero || request.Limits.EffectiveWallTime <= TimeSpan.Zero || request.Limits.MemoryBytes <= 0)
        {
            throw new ArgumentException("CPU time, wall time and memory limits must be positive.", nameof(request));
        }
    }

    private static SandboxResult Interpret(BufferedCommandResult executed, SandboxLimits limits)
    {
        var line = executed.StandardOutput.Trim();
        HelperReport? report = null;
        if (executed.ExitCode == 0 && line.Length > 0)
        {
            try
            {
                report = JsonSerializer.Deserialize(line, HelperReportJsonContext.Default.HelperReport);
            }
            catch (JsonException)
            {
            }
        }

        if (report is null)
        {
            var stderr = executed.StandardError.Trim();
            return SandboxResult.Internal(
                $"The sandbox helper failed (exit code {executed.ExitCode}) with an unreadable report: '{Shorten(line)}' {Shorten(stderr)}".TrimEnd());
        }

        var cpu = TimeSpan.FromMicroseconds(report.CpuMicroseconds);
        var status = report.Status switch
        {
            "ok" => SandboxStatus.Ok,
            "nonzero" => SandboxStatus.NonZeroExit,
            "signaled" => SandboxStatus.Signaled,
            "tle_cpu" => SandboxStatus.CpuTimeLimitExceeded,
            "tle_wall" => SandboxStatus.WallTimeLimitExceeded,
            "mle" => SandboxStatus.MemoryLimitExceeded,
            "ole" => SandboxStatus.OutputLimitExceeded,
            "internal" => SandboxStatus.InternalError,
            _ => (SandboxStatus?)null,
        };
        if (status is null)
        {
            return SandboxResult.Internal($"The sandbox helper reported an unknown status '{report.Status}'.");
        }

        var peak = report.MaxRssKilobytes * 1024;
        var message = status switch
        {
            SandboxStatus.CpuTimeLimitExceeded =>
                $"CPU time limit of {Seconds(limits.CpuTime)} s exceeded ({Seconds(cpu)} s)",
            SandboxStatus.WallTimeLimitExceeded =>
                $"wall time limit of {Seconds(limits.EffectiveWallTime)} s exceeded",
            SandboxStatus.MemoryLimitExceeded =>
                $"memory limit of {Mebibytes(limits.MemoryBytes)} MiB exceeded ({Mebibytes(peak)} MiB)",
            SandboxStatus.OutputLimitExceeded when string.IsNullOrEmpty(report.Message) =>
                $"output limit of {limits.OutputBytes} bytes exceeded",
            SandboxStatus.InternalError when string.IsNullOrEmpty(report.Message) => "the sandbox helper failed",
            _ => string.IsNullOrEmpty(report.Message) ? null : report.Message,
        };

        var signaled = report.Signal != 0;
        return new SandboxResult
        {
            Status = status.Value,
            ExitCode = signaled || status == SandboxStatus.InternalError ? null : report.Exit,
            Signal = signaled ? report.Signal : null,
            CpuTime = cpu,
            WallTime = TimeSpan.FromMicroseconds(report.WallMicroseconds),
            PeakMemoryBytes = peak,
            StdoutBytes = report.StdoutBytes,
            Message = message,
        };
    }

    private static string Milliseconds(TimeSpan t) => Number(Math.Max(1L, (long)Math.Ceiling(t.TotalMilliseconds)));

    private static string Number(long n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture);

    private static string Mebibytes(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("0.0", CultureInfo.InvariantCulture);

    private static string Shorten(string s) => s.Length <= 300 ? s : s[..300] + "…";
}
