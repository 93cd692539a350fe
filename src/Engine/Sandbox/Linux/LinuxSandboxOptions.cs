namespace Judge.Engine.Sandbox.Linux;

/// <summary>Configuration of the isolating Linux sandbox (<c>Judge:Sandbox</c>).</summary>
public sealed record LinuxSandboxOptions
{
    /// <summary>The only host directory tree a run's working directory may come from (the judge's work root).</summary>
    public required string WorkRoot { get; init; }

    /// <summary>Isolated environments kept ready ahead of requests (<c>Judge:Sandbox:Pool</c>).</summary>
    public int Pool { get; init; } = 2;

    /// <summary>First uid (and gid) given to sandboxed programs; environment k uses <c>UidBase + k</c> (<c>Judge:Sandbox:UidBase</c>).
    /// Null: the daemon takes the first range of 256 uids from 60000 that no other daemon on the host holds; a set
    /// value that another daemon holds makes the daemon refuse to start.</summary>
    public int? UidBase { get; init; }

    /// <summary>Host paths shown read-only inside (<c>Judge:Sandbox:ReadOnlyPaths</c>); missing ones are skipped.</summary>
    public IReadOnlyList<string> ReadOnlyPaths { get; init; } = DefaultReadOnlyPaths;

    /// <summary>Which cgroup hierarchy to use: <c>auto</c>, <c>v1</c> or <c>v2</c> (<c>Judge:Sandbox:Cgroup</c>).</summary>
    public string Cgroup { get; init; } = "auto";

    /// <summary>Parent cgroup for the sandbox's cgroups, relative to the hierarchy root; default: the silo's own (<c>Judge:Sandbox:CgroupRoot</c>).</summary>
    public string? CgroupRoot { get; init; }

    /// <summary>The daemon binary; default: <c>judge-sandbox</c> next to the engine assembly.</summary>
    public string? HelperPath { get; init; }

    /// <summary>How long the daemon may take to prove it can isolate before the silo refuses to start.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The daemon's <c>--ro-bind</c> arguments for those of <paramref name="paths"/> that exist on this host.</summary>
    public static IEnumerable<string> ReadOnlyBindArguments(IEnumerable<string> paths) =>
        paths.Where(p => File.Exists(p) || Directory.Exists(p)).SelectMany(p => new[] { "--ro-bind", p });

    /// <summary>System directories and the few /etc entries the toolchains read (the JVM's configuration, the loader cache).</summary>
    public static IReadOnlyList<string> DefaultReadOnlyPaths { get; } =
    [
        "/usr", "/lib", "/lib64", "/lib32", "/libx32", "/bin", "/sbin",
        "/etc/alternatives", "/etc/java-17-openjdk", "/etc/java-21-openjdk", "/etc/ld.so.cache", "/etc/ld.so.conf",
        "/etc/ld.so.conf.d", "/etc/localtime", "/etc/ssl/certs/java",
    ];
}
