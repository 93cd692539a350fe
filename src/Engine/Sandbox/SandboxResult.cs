namespace Judge.Engine.Sandbox;

/// <summary>How a sandboxed run ended, independent of any verdict.</summary>
public enum SandboxStatus
{
    /// <summary>Exited with code 0 within all limits.</summary>
    Ok,
    /// <summary>Exited with a non-zero code.</summary>
    NonZeroExit,
    /// <summary>Killed by a signal it raised or received (not one of our limit kills).</summary>
    Signaled,
    /// <summary>Used more CPU time than allowed.</summary>
    CpuTimeLimitExceeded,
    /// <summary>Ran longer than the wall-clock limit.</summary>
    WallTimeLimitExceeded,
    /// <summary>Used more memory than allowed.</summary>
    MemoryLimitExceeded,
    /// <summary>Wrote more standard output (or a larger file) than allowed.</summary>
    OutputLimitExceeded,
    /// <summary>The sandbox itself failed; never the program's fault.</summary>
    InternalError,
}

/// <summary>What a sandboxed run used and how it ended.</summary>
public sealed record SandboxResult
{
    public required SandboxStatus Status { get; init; }

    /// <summary>Exit code when the program exited normally.</summary>
    public int? ExitCode { get; init; }

    /// <summary>Signal number when the program was killed by a signal.</summary>
    public int? Signal { get; init; }

    /// <summary>CPU time (user + system) of all processes of the run.</summary>
    public TimeSpan CpuTime { get; init; }

    /// <summary>Wall-clock time from start to end of the run.</summary>
    public TimeSpan WallTime { get; init; }

    /// <summary>Peak memory of the run, in bytes.</summary>
    public long PeakMemoryBytes { get; init; }

    /// <summary>Bytes written to standard output (up to the limit).</summary>
    public long StdoutBytes { get; init; }

    /// <summary>Bytes of standard error kept (up to its cap), as the sandbox counted them; null when it did not say.</summary>
    public long? StderrBytes { get; init; }

    /// <summary>A short explanation for limits and internal errors.</summary>
    public string? Message { get; init; }

    /// <summary>The conventional name of <see cref="Signal"/> (for example <c>SIGSEGV</c>).</summary>
    public string? SignalName => Signal is int s ? SignalNames.Of(s) : null;

    /// <summary>A result for a failure of the sandbox itself.</summary>
    public static SandboxResult Internal(string message) => new() { Status = SandboxStatus.InternalError, Message = message };
}

/// <summary>Linux x86-64 signal names.</summary>
public static class SignalNames
{
    private static readonly string[] Names =
    [
        "", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1",
        "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP",
        "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS",
    ];

    /// <summary>The name of signal <paramref name="signal"/>, or <c>SIG{n}</c> for real-time and unknown ones.</summary>
    public static string Of(int signal) => signal > 0 && signal < Names.Length ? Names[signal] : $"SIG{signal}";
}
