namespace Judge.Engine.Sandbox;

/// <summary>Resource limits of one sandboxed run; immutable, copy with <c>with</c>.</summary>
public sealed record SandboxLimits
{
    private const long MiB = 1024 * 1024;

    /// <summary>CPU time of all processes and threads of the run together.</summary>
    public TimeSpan CpuTime { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Wall-clock limit; <c>null</c> means three times the CPU limit plus one second.</summary>
    public TimeSpan? WallTime { get; init; }

    /// <summary>Memory of the whole run, in bytes: a run whose measured peak passes it is a memory limit exceeded.</summary>
    public long MemoryBytes { get; init; } = 256 * MiB;

    /// <summary>Whether the address space is capped at <see cref="MemoryBytes"/> too (RLIMIT_AS); off by default and used by
    /// nothing: the isolating sandbox's memory cgroup is the limit, while an address-space cap breaks runtimes that reserve
    /// far more than they use (the JVM) and turns running out of memory into a failed allocation, a crash, instead of a
    /// memory limit exceeded.</summary>
    public bool LimitAddressSpace { get; init; }

    /// <summary>Stack size; <c>null</c> means equal to <see cref="MemoryBytes"/>.</summary>
    public long? StackBytes { get; init; }

    /// <summary>Maximum number of processes and threads.</summary>
    public int Processes { get; init; } = 64;

    /// <summary>Maximum bytes of standard output; more is an output limit exceeded.</summary>
    public long OutputBytes { get; init; } = 8 * MiB;

    /// <summary>Bytes of standard error kept; the rest is discarded without failing the run.</summary>
    public long StderrBytes { get; init; } = 64 * 1024;

    /// <summary>Largest file the program may write.</summary>
    public long FileSizeBytes { get; init; } = 64 * MiB;

    /// <summary>Size of each writable temporary filesystem of the run: <c>/tmp</c>, <c>/dev/shm</c> and the writable
    /// layer of the working directory (isolating sandboxes only).</summary>
    public long TmpfsBytes { get; init; } = 64 * MiB;

    /// <summary>Most bytes a run with a persistent working directory (a compilation) may leave in it, all files together;
    /// more ends the run with an output limit exceeded and nothing of it is kept (isolating sandbox only).</summary>
    public long WorkBytes { get; init; } = 128 * MiB;

    /// <summary>Maximum number of open file descriptors.</summary>
    public int OpenFiles { get; init; } = 256;

    /// <summary>The wall-clock limit in force.</summary>
    public TimeSpan EffectiveWallTime => WallTime ?? CpuTime * 3 + TimeSpan.FromSeconds(1);

    /// <summary>The stack limit in force.</summary>
    public long EffectiveStackBytes => StackBytes ?? MemoryBytes;

    /// <summary>Defaults for a test run: 1 s CPU, 256 MiB, 8 MiB output.</summary>
    public static SandboxLimits Default { get; } = new();

    /// <summary>Kattis compile limits: 60 s, 2 GiB.</summary>
    public static SandboxLimits Compile { get; } = new()
    {
        CpuTime = TimeSpan.FromSeconds(60),
        WallTime = TimeSpan.FromSeconds(90),
        MemoryBytes = 2048 * MiB,
        LimitAddressSpace = false,
        StackBytes = 64 * MiB,
        Processes = 64,
        OutputBytes = 1 * MiB,
        FileSizeBytes = 256 * MiB,
        TmpfsBytes = 512 * MiB,
    };
}
