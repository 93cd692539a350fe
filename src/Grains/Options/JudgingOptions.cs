using Judge.Abstractions;
using Judge.Engine.Languages;

namespace Judge.Grains.Options;

/// <summary>Configuration of judging on a silo (section <c>Judge</c>).</summary>
public sealed class JudgingOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Judge";

    /// <summary>Where problems come from.</summary>
    public ProblemsOptions Problems { get; set; } = new();

    /// <summary>Comma-separated language ids this silo may offer (<c>Judge:Toolchains</c>); empty means every language whose toolchain is found.</summary>
    public string? Toolchains { get; set; }

    /// <summary>Directory for working directories of submissions being judged (<c>Judge:WorkRoot</c>).</summary>
    public string? WorkRoot { get; set; }

    /// <summary>How many submissions this silo judges at once (<c>Judge:Slots</c>); default: one per core.</summary>
    public int Slots { get; set; } = Environment.ProcessorCount;

    /// <summary>Whether a submission that holds a slot also runs its tests on slots that are idle right now, when no job waits
    /// for them (<c>Judge:FanOut</c>, default <c>true</c>); <c>false</c> judges each submission's tests one after another.</summary>
    public bool FanOut { get; set; } = true;

    /// <summary>Whether a submission whose silo has no idle slot hands ranges of its tests to other silos that offer its
    /// language and have an idle slot and no waiting job (<c>Judge:FanOutAcrossSilos</c>, default <c>true</c>, only with
    /// <see cref="FanOut"/>); <c>false</c> keeps every test on the submission's silo. A silo judges the ranges handed to it
    /// whatever its own setting.</summary>
    public bool FanOutAcrossSilos { get; set; } = true;

    /// <summary>How submissions are isolated (<c>Judge:Sandbox</c>).</summary>
    public SandboxSettings Sandbox { get; set; } = new();

    /// <summary>How lost work is noticed and handed on (<c>Judge:Recovery</c>).</summary>
    public RecoveryOptions Recovery { get; set; } = new();

    /// <summary>Compiled artifacts kept and shared across the cluster (<c>Judge:CompileCache</c>).</summary>
    public CompileCacheOptions CompileCache { get; set; } = new();

    /// <summary>Per-language toolchain paths and flags (<c>Judge:Languages:&lt;id&gt;:Compiler|Runtime|Flags</c>).</summary>
    public Dictionary<string, LanguageSettings> Languages { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The language ids of <see cref="Toolchains"/>, or <c>null</c> when unrestricted.</summary>
    public IReadOnlySet<string>? ToolchainRestriction =>
        string.IsNullOrWhiteSpace(Toolchains)
            ? null
            : Toolchains.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
}

/// <summary>How lost work is noticed and handed on (<c>Judge:Recovery</c>).</summary>
public sealed class RecoveryOptions
{
    /// <summary>How often a worker tells its submission that it is still on the job (<c>Judge:Recovery:Heartbeat</c>).</summary>
    public TimeSpan Heartbeat { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Silence after which a submission gives up its worker and judges again elsewhere
    /// (<c>Judge:Recovery:StallTimeout</c>); at least three heartbeats, so one lost heartbeat is not a stall.</summary>
    public TimeSpan StallTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>On shutdown (SIGTERM), how long running judgings may take to finish before they are handed back to the
    /// cluster (<c>Judge:Recovery:DrainTimeout</c>). Keep it below the host's stop grace period (Kubernetes: 30 s).</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(15);
}

/// <summary>How submissions are isolated (<c>Judge:Sandbox</c>).</summary>
public sealed class SandboxSettings
{
    /// <summary><c>Isolated</c> (default): namespaces, cgroups, seccomp, an unprivileged uid. <c>Unsafe</c>: rlimits and
    /// limits only, no isolation; allowed only in the Development environment (<c>Judge:Sandbox:Mode</c>).</summary>
    public SandboxMode Mode { get; set; } = SandboxMode.Isolated;

    /// <summary>Isolated environments kept ready (<c>Judge:Sandbox:Pool</c>); default: 3 per judging slot + 1. An environment
    /// needs a few milliseconds after a run before it takes the next (unmounting waits for the kernel's RCU grace
    /// periods), while a judging slot sends the next test's run at once: 3 per slot keep one ready.</summary>
    public int? Pool { get; set; }

    /// <summary>First uid/gid of sandboxed programs (<c>Judge:Sandbox:UidBase</c>); unset: the first range of 256 uids
    /// from 60000 that no other sandbox daemon on this host holds.</summary>
    public int? UidBase { get; set; }

    /// <summary>The Unix socket of a <c>judge-sandbox</c> daemon that runs on its own (<c>Judge:Sandbox:Socket</c>). When set,
    /// the silo connects to it instead of starting a daemon itself (which needs root); the daemon's own options then decide
    /// the pool, the uids and the read-only paths.</summary>
    public string? Socket { get; set; }

    /// <summary>How long the silo waits at start for the daemon to be ready (<c>Judge:Sandbox:StartTimeout</c>).</summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary><c>auto</c>, <c>v1</c> or <c>v2</c> (<c>Judge:Sandbox:Cgroup</c>).</summary>
    public string Cgroup { get; set; } = "auto";

    /// <summary>Parent cgroup of the sandbox's cgroups (<c>Judge:Sandbox:CgroupRoot</c>); default: the silo's own.</summary>
    public string? CgroupRoot { get; set; }

    /// <summary>Host paths shown read-only to programs (<c>Judge:Sandbox:ReadOnlyPaths</c>); default: the system directories.</summary>
    public List<string>? ReadOnlyPaths { get; set; }
}

/// <summary>Sandbox modes.</summary>
public enum SandboxMode
{
    /// <summary>Full isolation (the default, and the only mode outside Development).</summary>
    Isolated,
    /// <summary>No isolation: for development on machines without root; never for untrusted code.</summary>
    Unsafe,
}

/// <summary>The compile cache (<c>Judge:CompileCache</c>): an identical compilation (same language, compiler version, flags,
/// source and include files) is not run again on any silo of the cluster.</summary>
public sealed class CompileCacheOptions
{
    /// <summary>Whether compilations are cached (<c>Judge:CompileCache:Enabled</c>, default <c>true</c>).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The most disk space the silo's cache directory (<c>compile-cache</c> under <c>Judge:WorkRoot</c>) may take,
    /// in MiB (<c>Judge:CompileCache:MaxMiB</c>, default 1024); the least recently used artifacts are removed first.</summary>
    public long MaxMiB { get; set; } = 1024;

    /// <summary>The largest artifact kept and sent to another silo, in MiB (<c>Judge:CompileCache:MaxArtifactMiB</c>,
    /// default 32, at most 64).</summary>
    public int MaxArtifactMiB { get; set; } = 32;

    /// <summary>How long fetching an artifact from another silo may take before the silo compiles it itself
    /// (<c>Judge:CompileCache:PeerFetchTimeout</c>, default 10 s).</summary>
    public TimeSpan PeerFetchTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Whether the silo builds a precompiled <c>bits/stdc++.h</c> for each g++ language at start, in the background
    /// (<c>Judge:CompileCache:PrecompiledHeader</c>, default <c>true</c>; about 100 MiB under <c>Judge:WorkRoot</c>).</summary>
    public bool PrecompiledHeader { get; set; } = true;

    /// <summary>Whether the silo builds a class-data-sharing archive of the JDK classes contest programs load at start, in
    /// the background, and runs Java with it (<c>Judge:CompileCache:JavaArchive</c>, default <c>true</c>).</summary>
    public bool JavaArchive { get; set; } = true;
}
