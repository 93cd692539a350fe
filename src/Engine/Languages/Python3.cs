using Judge.Engine.Sandbox;

namespace Judge.Engine.Languages;

/// <summary>A Python 3 interpreter. "Compiling" byte-compiles the script so syntax errors are compilation errors.</summary>
public abstract partial record PythonLanguage : Language
{
    /// <summary>The interpreter; override with <c>Judge:Languages:&lt;id&gt;:Runtime</c>.</summary>
    public abstract string Runtime { get; init; }

    public override IReadOnlyList<string> VersionCommand => [Runtime, "--version"];

    public override Language Configure(LanguageSettings settings) =>
        (PythonLanguage)base.Configure(settings) with { Runtime = settings.Runtime ?? Runtime };

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

    // -E -s: no PYTHON* variables, no user site (isolated mode -I minus -P: the script's directory stays importable, so
    // a problem's include/ modules next to main.py can be imported); -S would drop site-packages such as numpy if installed.
    public override IReadOnlyList<string> RunCommand(SourceLayout layout, SandboxLimits limits) => [Runtime, "-E", "-s", "-B", layout.EntryPoint];

    /// <summary>An uncaught <c>MemoryError</c>: the traceback's last line (an allocation the system refused, such as
    /// <c>[0] * 10**12</c>).</summary>
    public override bool IsOutOfMemory(string stderr) => UncaughtMemoryError().IsMatch(stderr);

    [System.Text.RegularExpressions.GeneratedRegex(@"^MemoryError\b", System.Text.RegularExpressions.RegexOptions.Multiline)]
    private static partial System.Text.RegularExpressions.Regex UncaughtMemoryError();

    public override IReadOnlyDictionary<string, string> Environment { get; } =
        new Dictionary<string, string>(SandboxRequest.DefaultEnvironment) { ["PYTHONIOENCODING"] = "utf-8" };

    public override string SelfTestSource => "a, b = map(int, input().split())\nprint(a + b)\n";
}

/// <summary>CPython 3.</summary>
public sealed record Python3 : PythonLanguage
{
    public override string Id => "python3";
    public override string Name => "Python 3";
    public override string Runtime { get; init; } = "/usr/bin/python3";
    public override IReadOnlyList<string> IncludeAliases => ["python"];
    public override IReadOnlyList<string> Packages => ["python3"];
}

/// <summary>PyPy 3: the same language as <see cref="Python3"/>, with a JIT (Debian package <c>pypy3</c>).</summary>
public sealed record PyPy3 : PythonLanguage
{
    public override string Id => "pypy3";
    public override string Name => "PyPy 3";
    public override string Runtime { get; init; } = "/usr/bin/pypy3";
    public override IReadOnlyList<string> IncludeAliases => ["python3", "python"];
    public override IReadOnlyList<string> Packages => ["pypy3"];

    /// <summary>"Python 3.9.16 (7.3.11+dfsg...) [PyPy 7.3.11 ...]" becomes "PyPy 7.3.11 (Python 3.9.16)".</summary>
    public override string ParseVersion(string output)
    {
        var python = System.Text.RegularExpressions.Regex.Match(output, @"Python (\d+\.\d+\.\d+)");
        var pypy = System.Text.RegularExpressions.Regex.Match(output, @"PyPy (\d+\.\d+\.\d+)");
        return pypy.Success && python.Success ? $"PyPy {pypy.Groups[1].Value} (Python {python.Groups[1].Value})" : base.ParseVersion(output);
    }
}
