using Judge.Engine.Sandbox;

namespace Judge.Engine.Languages;

/// <summary>C# compiled by the .NET SDK's Roslyn compiler (<c>csc.dll</c>, against the reference assemblies, no
/// <c>dotnet build</c>) and run by the shared runtime, its GC heap capped below the memory limit.</summary>
/// <remarks>The SDK is not a Debian package: it is the one the judge is built with, and must lie under a path the sandbox
/// shows (<c>/usr</c>, as <c>/usr/share/dotnet</c> or <c>/usr/lib/dotnet</c> do).</remarks>
public sealed record CSharp : Language
{
    private const long MiB = 1024 * 1024;

    public override string Id => "csharp";
    public override string Name => "C#";

    /// <summary>The <c>dotnet</c> host; override with <c>Judge:Languages:csharp:Runtime</c>.</summary>
    public string Runtime { get; init; } = "/usr/bin/dotnet";

    /// <summary>The compiler, <c>csc.dll</c>; by default the newest SDK's under the host's directory. Override with
    /// <c>Judge:Languages:csharp:Compiler</c>.</summary>
    public string? Compiler { get; init; }

    /// <summary>Memory the runtime needs besides the GC heap, granted on top of the problem's limit: the heap's hard limit
    /// is the problem's limit.</summary>
    public long RuntimeOverheadBytes { get; init; } = 64 * MiB;

    public override IReadOnlyList<string> Packages => [];

    public override IReadOnlyList<string> VersionCommand => [Runtime, "--list-runtimes"];

    /// <summary>"Microsoft.NETCore.App 10.0.12 [/usr/share/dotnet/shared/...]" becomes ".NET 10.0.12".</summary>
    public override string ParseVersion(string output) =>
        System.Text.RegularExpressions.Regex.Matches(output, @"Microsoft\.NETCore\.App (\S+)") is { Count: > 0 } m
            ? ".NET " + m[^1].Groups[1].Value
            : base.ParseVersion(output);

    public override Language Configure(LanguageSettings settings) =>
        (CSharp)base.Configure(settings) with { Runtime = settings.Runtime ?? Runtime, Compiler = settings.Compiler ?? Compiler };

    public override SourceLayout Layout(string source) => new("main.cs", "main.dll");

    // csc writes no runtimeconfig.json, which the host needs to run a framework-dependent main.dll: the compile writes it.
    public override IReadOnlyList<string> CompileCommand(SourceLayout layout)
    {
        var (compiler, references, version) = Toolset();
        var runtimeConfig = "{\"runtimeOptions\":{\"tfm\":\"net" + version + "\",\"framework\":{\"name\":\"Microsoft.NETCore.App\",\"version\":\"" + version + ".0\"}}}";
        return ["/bin/sh", "-c", $"\"$@\" && printf '%s\\n' '{runtimeConfig}' > {Path.GetFileNameWithoutExtension(layout.EntryPoint)}.runtimeconfig.json", "csc",
            Runtime, compiler, "-nologo", "-noconfig", "-optimize+", "-deterministic", "-langversion:latest", "-nullable:disable", "-unsafe-",
            "-define:ONLINE_JUDGE", "-target:exe", "-out:" + layout.EntryPoint, .. references.Select(r => "-r:" + r), layout.SourceFileName];
    }

    public override IReadOnlyList<string> RunCommand(SourceLayout layout, SandboxLimits limits) =>
        ["/usr/bin/env", $"DOTNET_GCHeapHardLimit=0x{Math.Max(16 * MiB, limits.MemoryBytes - RuntimeOverheadBytes):X}", Runtime, "exec", layout.EntryPoint];

    /// <summary>The runtime reserves far more address space than it uses and runs a few threads: no address-space cap, room for its own overhead.</summary>
    public override SandboxLimits RunLimits(SandboxLimits limits) => limits with
    {
        MemoryBytes = limits.MemoryBytes + RuntimeOverheadBytes,
        LimitAddressSpace = false,
        Processes = Math.Max(limits.Processes, 64),
    };

    /// <summary>An unhandled <c>OutOfMemoryException</c>, or the runtime's "Out of memory." when the GC heap reached its
    /// hard limit (it then aborts without a stack trace).</summary>
    public override bool IsOutOfMemory(string stderr) =>
        stderr.Contains("System.OutOfMemoryException", StringComparison.Ordinal) ||
        stderr.StartsWith("Out of memory.", StringComparison.Ordinal);

    public override IReadOnlyDictionary<string, string> Environment { get; } =
        new Dictionary<string, string>(SandboxRequest.DefaultEnvironment)
        {
            ["HOME"] = "/tmp",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
            // no diagnostics IPC socket in /tmp, no background GC thread
            ["DOTNET_EnableDiagnostics"] = "0",
            ["DOTNET_gcConcurrent"] = "0",
            ["DOTNET_GCgen0size"] = "0x4000000",
        };

    // The compiler, the reference assemblies of the newest targeting pack, and its "major.minor", found from the host.
    private (string Compiler, IReadOnlyList<string> References, string Version) Toolset()
    {
        var root = Path.GetDirectoryName(new FileInfo(Runtime).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Runtime) ?? "/";
        var sdk = Newest(Path.Combine(root, "sdk"), d => File.Exists(Path.Combine(d, "Roslyn", "bincore", "csc.dll")));
        var compiler = Compiler ?? (sdk is null ? Path.Combine(root, "sdk", "csc.dll") : Path.Combine(sdk, "Roslyn", "bincore", "csc.dll"));
        var pack = Newest(Path.Combine(root, "packs", "Microsoft.NETCore.App.Ref"), d => Directory.Exists(Path.Combine(d, "ref")));
        if (pack is null)
            return (compiler, [], "10.0");
        var version = System.Version.TryParse(Path.GetFileName(pack).Split('-')[0], out var v) ? $"{v.Major}.{v.Minor}" : "10.0";
        var refs = Path.Combine(pack, "ref", "net" + version);
        return (compiler, Directory.Exists(refs) ? Directory.GetFiles(refs, "*.dll").Order(StringComparer.Ordinal).ToList() : [], version);
    }

    private static string? Newest(string directory, Func<string, bool> usable) =>
        Directory.Exists(directory)
            ? Directory.GetDirectories(directory).Where(usable)
                .OrderBy(d => System.Version.TryParse(Path.GetFileName(d).Split('-')[0], out var v) ? v : new System.Version()).LastOrDefault()
            : null;

    public override string SelfTestSource => """
        using System;
        class SelfTest
        {
            static void Main()
            {
                var t = Console.In.ReadToEnd().Split((char[])null, StringSplitOptions.RemoveEmptyEntries);
                Console.WriteLine(long.Parse(t[0]) + long.Parse(t[1]));
            }
        }
        """;
}
