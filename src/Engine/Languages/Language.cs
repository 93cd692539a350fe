using Judge.Engine.Sandbox;

namespace Judge.Engine.Languages;

/// <summary>One programming language: how its source is laid out, compiled and run. Subclasses only declare data.</summary>
public abstract record Language
{
    /// <summary>The stable language id of the public contract (<c>cpp17</c>, <c>python3</c>, <c>java</c>, ...).</summary>
    public abstract string Id { get; }

    /// <summary>The language's name without version (<c>C++17</c>).</summary>
    public abstract string Name { get; }

    /// <summary>The toolchain version found by the probe (<c>g++ 12.2.0</c>), if probed.</summary>
    public string? Version { get; init; }

    /// <summary>Name and detected version, for users.</summary>
    public string DisplayName => Version is null ? Name : $"{Name} ({Version})";

    /// <summary>The command that prints the toolchain's version.</summary>
    public abstract IReadOnlyList<string> VersionCommand { get; }

    /// <summary>Where the source goes and what to run, or an error the submitter must fix (a compilation error).</summary>
    public abstract SourceLayout Layout(string source);

    /// <summary>The compile command run in the source directory, or <c>null</c> when nothing needs compiling.</summary>
    public abstract IReadOnlyList<string>? CompileCommand(SourceLayout layout);

    /// <summary>The command that runs the program under <paramref name="limits"/>.</summary>
    public abstract IReadOnlyList<string> RunCommand(SourceLayout layout, SandboxLimits limits);

    /// <summary>Sandbox limits for a run, derived from the problem's limits (runtimes with their own overhead adjust them).</summary>
    public virtual SandboxLimits RunLimits(SandboxLimits limits) => limits;

    /// <summary>Whether the program's standard error shows that its runtime ran out of memory (a failed allocation it
    /// reports on its own, before the sandbox's memory limit is reached); a failed run that shows it is MLE, not RE.</summary>
    /// <remarks>Only a run that failed is asked (<see cref="Verdicts.VerdictRules.ForRun"/>): a contestant who prints
    /// such a text themselves can only turn their RE into MLE, which is still a rejection.</remarks>
    public virtual bool IsOutOfMemory(string stderr) => false;

    /// <summary>The environment of compiles and runs.</summary>
    public virtual IReadOnlyDictionary<string, string> Environment => SandboxRequest.DefaultEnvironment;

    /// <summary>Whether a run asks glibc's <c>malloc</c> for transparent huge pages (<see cref="HugePagesTunable"/>); on for
    /// C and C++, whose programs allocate through it; override with <c>Judge:Languages:&lt;id&gt;:HugePages</c>.</summary>
    /// <remarks>A program's first touch of a 4 KiB page is a page fault, which costs a guest of a paravirtualized host many
    /// times what it costs on the hardware contest packages set their limits on (docs/PERFORMANCE.md, "Memory-heavy
    /// programs"); one fault per 2 MiB page removes most of it. A program that touches memory sparsely is charged whole
    /// 2 MiB pages, so a run that goes over its memory limit with them is run again without them, and that run counts
    /// (<see cref="Verdicts.VerdictRules.CountsOverHugePageRun"/>).</remarks>
    public bool HugePages { get; init; }

    /// <summary>The environment of runs: <see cref="Environment"/>, with <see cref="HugePagesTunable"/> when
    /// <see cref="HugePages"/> is on.</summary>
    public IReadOnlyDictionary<string, string> RunEnvironment =>
        HugePages ? new Dictionary<string, string>(Environment) { ["GLIBC_TUNABLES"] = HugePagesTunable } : Environment;

    /// <summary>The glibc tunable (2.35 and later) that makes <c>malloc</c> ask for transparent huge pages
    /// (<c>madvise(MADV_HUGEPAGE)</c>) on the memory it maps, when the host's mode is <c>madvise</c>. With mode
    /// <c>always</c> every program has them anyway, and with <c>never</c> none does.</summary>
    public const string HugePagesTunable = "glibc.malloc.hugetlb=1";

    /// <summary>A small program that proves the toolchain works through the sandbox: it must echo the sum of two integers.</summary>
    public abstract string SelfTestSource { get; }

    /// <summary>Other names of the problem's include folder for this language (<c>include/cpp</c> for C++17), tried after
    /// <c>include/&lt;id&gt;</c> and before <c>include/default</c>.</summary>
    public virtual IReadOnlyList<string> IncludeAliases => [];

    /// <summary>How many times the problem's time limit a run of this language gets (slow runtimes get more); override
    /// with <c>Judge:Languages:&lt;id&gt;:TimeFactor</c>.</summary>
    public double TimeFactor { get; init; } = 1;

    /// <summary>The Debian packages the toolchain needs to compile and run (scripts/languages.packages lists them).</summary>
    public abstract IReadOnlyList<string> Packages { get; }

    /// <summary>Applies configured overrides (<c>Judge:Languages:&lt;id&gt;</c>): the time factor and huge pages here, toolchain paths and
    /// flags in the bases that have them.</summary>
    public virtual Language Configure(LanguageSettings settings) =>
        this with { TimeFactor = settings.TimeFactor ?? TimeFactor, HugePages = settings.HugePages ?? HugePages };

    /// <summary>Extracts a short version string from the version command's output.</summary>
    public virtual string ParseVersion(string output)
    {
        var line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "";
        return line.Length > 80 ? line[..80] : line;
    }
}

/// <summary>The file name the source is saved under, and the entry point to run (a binary, a script, a class).</summary>
public sealed record SourceLayout(string SourceFileName, string EntryPoint, string? Error = null)
{
    /// <summary>A source that cannot be laid out (for example Java without a main method).</summary>
    public static SourceLayout Invalid(string error) => new("", "", error);
}
