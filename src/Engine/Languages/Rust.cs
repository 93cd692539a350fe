using Judge.Engine.Sandbox;

namespace Judge.Engine.Languages;

/// <summary>Rust with Debian's rustc (package <c>rustc</c>, which links with gcc), optimised, edition 2021.</summary>
public sealed record Rust : Language
{
    public override string Id => "rust";
    public override string Name => "Rust";

    /// <summary>The compiler; override with <c>Judge:Languages:rust:Compiler</c>.</summary>
    public string Compiler { get; init; } = "/usr/bin/rustc";

    /// <summary>Compiler flags before the source file; override with <c>Judge:Languages:rust:Flags</c>.</summary>
    public IReadOnlyList<string> Flags { get; init; } = ["-O", "--edition", "2021", "--cfg", "online_judge"];

    public override IReadOnlyList<string> Packages => ["rustc"];

    public override IReadOnlyList<string> VersionCommand => [Compiler, "--version"];

    public override Language Configure(LanguageSettings settings) => (Rust)base.Configure(settings) with
    {
        Compiler = settings.Compiler ?? Compiler,
        Flags = settings.Flags is { } flags ? flags.Split(' ', StringSplitOptions.RemoveEmptyEntries) : Flags,
    };

    public override SourceLayout Layout(string source) => new("main.rs", "main");

    public override IReadOnlyList<string> CompileCommand(SourceLayout layout) => [Compiler, .. Flags, "-o", layout.EntryPoint, layout.SourceFileName];

    public override IReadOnlyList<string> RunCommand(SourceLayout layout, SandboxLimits limits) => ["./" + layout.EntryPoint];

    /// <summary>The standard library's report of an allocation the system refused, before it aborts.</summary>
    public override bool IsOutOfMemory(string stderr) =>
        System.Text.RegularExpressions.Regex.IsMatch(stderr, @"^memory allocation of \d+ bytes failed", System.Text.RegularExpressions.RegexOptions.Multiline);

    public override string SelfTestSource => """
        use std::io::Read;
        fn main() {
            let mut input = String::new();
            std::io::stdin().read_to_string(&mut input).unwrap();
            let sum: i64 = input.split_whitespace().map(|x| x.parse::<i64>().unwrap()).sum();
            println!("{}", sum);
        }
        """;
}
