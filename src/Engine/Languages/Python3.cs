using Judge.Engine.Sandbox;

namespace Judge.Engine.Languages;

/// <summary>CPython 3. "Compiling" byte-compiles the script so syntax errors are compilation errors.</summary>
public sealed record Python3 : Language
{
    public override string Id => "python3";
    public override string Name => "Python 3";

    /// <summary>The interpreter; override with <c>Judge:Languages:python3:Runtime</c>.</summary>
    public string Runtime { get; init; } = "/usr/bin/python3";

    public override IReadOnlyList<string> VersionCommand => [Runtime, "--version"];

    public override SourceLayout Layout(string source) => new("main.py", "main.py");

    public override IReadOnlyList<string> CompileCommand(SourceLayout layout) => [Runtime, "-I", "-B", "-c", SyntaxCheck, layout.SourceFileName];

    // Compiles without running; prints only the error (file, line, caret, message), not a traceback of this script.
    private const string SyntaxCheck = """
        import sys, traceback
        try:
            compile(open(sys.argv[1], 'rb').read(), sys.argv[1], 'exec')
        except (SyntaxError, ValueError) as e:
            traceback.print_exception_only(type(e), e)
            sys.exit(1)
        """;

    // -I: isolated mode (no user site, no PYTHON* variables); -S would drop site-packages such as numpy if installed.
    public override IReadOnlyList<string> RunCommand(SourceLayout layout, SandboxLimits limits) => [Runtime, "-I", "-B", layout.EntryPoint];

    public override bool IsOutOfMemory(string stderr) => stderr.Contains("MemoryError", StringComparison.Ordinal);

    public override IReadOnlyDictionary<string, string> Environment { get; } =
        new Dictionary<string, string>(SandboxRequest.DefaultEnvironment) { ["PYTHONIOENCODING"] = "utf-8" };

    public override string SelfTestSource => "a, b = map(int, input().split())\nprint(a + b)\n";
}
