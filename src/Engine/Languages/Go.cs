using Judge.Engine.Sandbox;

namespace Judge.Engine.Languages;

/// <summary>Go with Debian's toolchain (package <c>golang-go</c>): one file, no modules, no cgo, one OS thread running Go code.</summary>
public sealed record Go : Language
{
    public override string Id => "go";
    public override string Name => "Go";

    /// <summary>The go command; override with <c>Judge:Languages:go:Compiler</c>.</summary>
    public string Compiler { get; init; } = "/usr/bin/go";

    public override IReadOnlyList<string> Packages => ["golang-go"];

    public override IReadOnlyList<string> VersionCommand => [Compiler, "version"];

    /// <summary>"go version go1.19.8 linux/amd64" becomes "go1.19.8".</summary>
    public override string ParseVersion(string output) =>
        System.Text.RegularExpressions.Regex.Match(output, @"go\d+(\.\d+)*") is { Success: true } m ? m.Value : base.ParseVersion(output);

    public override Language Configure(LanguageSettings settings) =>
        (Go)base.Configure(settings) with { Compiler = settings.Compiler ?? Compiler };

    public override SourceLayout Layout(string source) => new("main.go", "main");

    public override IReadOnlyList<string> CompileCommand(SourceLayout layout) => [Compiler, "build", "-o", layout.EntryPoint, layout.SourceFileName];

    public override IReadOnlyList<string> RunCommand(SourceLayout layout, SandboxLimits limits) => ["./" + layout.EntryPoint];

    /// <summary>The build cache and GOPATH on the sandbox's private /tmp (the home directory is not writable); GOMAXPROCS=1:
    /// the run's CPU time is judged, so goroutines get one processor, as on most judges; GOFLAGS clear: a host's settings stay out.</summary>
    public override IReadOnlyDictionary<string, string> Environment { get; } =
        new Dictionary<string, string>(SandboxRequest.DefaultEnvironment)
        {
            ["HOME"] = "/tmp",
            ["GOCACHE"] = "/tmp/go-cache",
            ["GOPATH"] = "/tmp/go",
            ["GO111MODULE"] = "off",
            ["CGO_ENABLED"] = "0",
            ["GOFLAGS"] = "",
            ["GOMAXPROCS"] = "1",
        };

    /// <summary>The runtime's own report when the system refuses it memory.</summary>
    public override bool IsOutOfMemory(string stderr) =>
        stderr.Contains("fatal error: runtime: out of memory", StringComparison.Ordinal);

    public override string SelfTestSource => """
        package main

        import "fmt"

        func main() {
        	var a, b int64
        	fmt.Scan(&a, &b)
        	fmt.Println(a + b)
        }
        """;
}
