using Judge.Engine.Sandbox;

namespace Judge.Engine.Languages;

/// <summary>A language compiled ahead of time to a native executable (C, C++).</summary>
public abstract record NativeLanguage : Language
{
    /// <summary>Programs allocate through glibc's <c>malloc</c>: runs ask it for huge pages.</summary>
    protected NativeLanguage() => HugePages = true;

    /// <summary>The compiler; override with <c>Judge:Languages:&lt;id&gt;:Compiler</c>.</summary>
    public abstract string Compiler { get; init; }

    /// <summary>Compiler flags before the source file; override with <c>Judge:Languages:&lt;id&gt;:Flags</c>.</summary>
    public abstract IReadOnlyList<string> Flags { get; init; }

    /// <summary>The source file name (<c>main.cpp</c>).</summary>
    protected abstract string SourceFileName { get; }

    public override IReadOnlyList<string> VersionCommand => [Compiler, "-dumpfullversion"];

    public override Language Configure(LanguageSettings settings) => (NativeLanguage)base.Configure(settings) with
    {
        Compiler = settings.Compiler ?? Compiler,
        Flags = settings.Flags is { } flags ? flags.Split(' ', StringSplitOptions.RemoveEmptyEntries) : Flags,
    };

    public override string ParseVersion(string output) => $"{Path.GetFileName(Compiler)} {base.ParseVersion(output)}";

    public override SourceLayout Layout(string source) => new(SourceFileName, "main");

    public override IReadOnlyList<string> CompileCommand(SourceLayout layout) =>
        [Compiler, .. Flags, "-o", layout.EntryPoint, layout.SourceFileName, "-lm"];

    public override IReadOnlyList<string> RunCommand(SourceLayout layout, SandboxLimits limits) => ["./" + layout.EntryPoint];

    /// <summary>What libstdc++ prints when an uncaught <c>std::bad_alloc</c> (a <c>new</c> the system cannot serve, such
    /// as one far larger than the machine) ends the program with SIGABRT.</summary>
    internal static bool IsUncaughtBadAlloc(string stderr) =>
        stderr.Contains("terminate called after throwing an instance of 'std::bad_alloc'", StringComparison.Ordinal);
}

/// <summary>C++17 with GNU extensions (g++).</summary>
public sealed record Cpp17 : NativeLanguage
{
    public override string Id => "cpp17";
    public override string Name => "C++17";
    public override string Compiler { get; init; } = "/usr/bin/g++";
    public override IReadOnlyList<string> Flags { get; init; } = ["-std=gnu++17", "-O2", "-DONLINE_JUDGE", "-pipe"];
    protected override string SourceFileName => "main.cpp";
    public override IReadOnlyList<string> IncludeAliases => ["cpp", "c++"];
    public override IReadOnlyList<string> Packages => ["g++"];
    public override string SelfTestSource => CppSelfTest;
    public override bool IsOutOfMemory(string stderr) => IsUncaughtBadAlloc(stderr);

    internal const string CppSelfTest = """
        #include <iostream>
        int main() { long long a, b; std::cin >> a >> b; std::cout << a + b << "\n"; }
        """;
}

/// <summary>C++20 with GNU extensions (g++).</summary>
public sealed record Cpp20 : NativeLanguage
{
    public override string Id => "cpp20";
    public override string Name => "C++20";
    public override string Compiler { get; init; } = "/usr/bin/g++";
    public override IReadOnlyList<string> Flags { get; init; } = ["-std=gnu++20", "-O2", "-DONLINE_JUDGE", "-pipe"];
    protected override string SourceFileName => "main.cpp";
    public override IReadOnlyList<string> IncludeAliases => ["cpp", "c++"];
    public override IReadOnlyList<string> Packages => ["g++"];
    public override string SelfTestSource => Cpp17.CppSelfTest;
    public override bool IsOutOfMemory(string stderr) => IsUncaughtBadAlloc(stderr);
}

/// <summary>C11 with GNU extensions (gcc).</summary>
public sealed record C11 : NativeLanguage
{
    public override string Id => "c11";
    public override string Name => "C11";
    public override string Compiler { get; init; } = "/usr/bin/gcc";
    public override IReadOnlyList<string> Flags { get; init; } = ["-std=gnu11", "-O2", "-DONLINE_JUDGE", "-pipe"];
    protected override string SourceFileName => "main.c";
    public override IReadOnlyList<string> IncludeAliases => ["c"];
    public override IReadOnlyList<string> Packages => ["gcc"];
    public override string SelfTestSource => """
        #include <stdio.h>
        int main(void) { long long a, b; if (scanf("%lld %lld", &a, &b) != 2) return 1; printf("%lld\n", a + b); return 0; }
        """;
}
