using Judge.Engine.Sandbox;

namespace Judge.Engine.Languages;

/// <summary>JavaScript on Node.js (Debian package <c>nodejs</c>): a CommonJS script, its syntax checked as the compile step,
/// the V8 heap capped below the memory limit so that running out is the engine's own report (MLE).</summary>
public sealed record JavaScript : Language
{
    private const long MiB = 1024 * 1024;

    public override string Id => "javascript";
    public override string Name => "JavaScript";

    /// <summary>The Node.js binary; override with <c>Judge:Languages:javascript:Runtime</c>.</summary>
    public string Runtime { get; init; } = "/usr/bin/node";

    /// <summary>Memory Node.js needs besides the V8 heap (code, the young generation, buffers), granted on top of the
    /// problem's limit: the old generation is capped at the problem's limit.</summary>
    public long RuntimeOverheadBytes { get; init; } = 64 * MiB;

    public override IReadOnlyList<string> Packages => ["nodejs"];

    public override IReadOnlyList<string> VersionCommand => [Runtime, "--version"];

    /// <summary>"v18.19.0" becomes "Node.js 18.19.0".</summary>
    public override string ParseVersion(string output) => "Node.js " + base.ParseVersion(output).TrimStart('v');

    public override Language Configure(LanguageSettings settings) =>
        (JavaScript)base.Configure(settings) with { Runtime = settings.Runtime ?? Runtime };

    public override SourceLayout Layout(string source) => new("main.js", "main.js");

    public override IReadOnlyList<string> CompileCommand(SourceLayout layout) => [Runtime, "--check", layout.SourceFileName];

    public override IReadOnlyList<string> RunCommand(SourceLayout layout, SandboxLimits limits) =>
        [Runtime, $"--max-old-space-size={Math.Max(16, limits.MemoryBytes / MiB - RuntimeOverheadBytes / MiB)}", "--stack-size=65500", layout.EntryPoint];

    /// <summary>V8 reserves far more address space than it uses and runs worker threads: no address-space cap, room for its own overhead, a large stack for deep recursion.</summary>
    public override SandboxLimits RunLimits(SandboxLimits limits) => limits with
    {
        MemoryBytes = limits.MemoryBytes + RuntimeOverheadBytes,
        LimitAddressSpace = false,
        Processes = Math.Max(limits.Processes, 64),
        StackBytes = limits.StackBytes ?? 128 * MiB,
    };

    /// <summary>V8's fatal "JavaScript heap out of memory" (the capped old generation is full), or a typed array or
    /// buffer it could not allocate.</summary>
    public override bool IsOutOfMemory(string stderr) =>
        stderr.Contains("JavaScript heap out of memory", StringComparison.Ordinal) ||
        stderr.Contains("RangeError: Array buffer allocation failed", StringComparison.Ordinal);

    public override IReadOnlyDictionary<string, string> Environment { get; } =
        new Dictionary<string, string>(SandboxRequest.DefaultEnvironment) { ["NODE_OPTIONS"] = "", ["HOME"] = "/tmp" };

    public override string SelfTestSource => """
        const [a, b] = require("fs").readFileSync(0, "utf8").trim().split(/\s+/).map(BigInt);
        console.log((a + b).toString());
        """;
}
