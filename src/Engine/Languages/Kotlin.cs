using System.Text.RegularExpressions;
using Judge.Engine.Sandbox;

namespace Judge.Engine.Languages;

/// <summary>Kotlin/JVM with Debian's compiler (package <c>kotlin</c>), run on the JVM with the Kotlin standard library.</summary>
public sealed partial record Kotlin : Language
{
    private const long MiB = 1024 * 1024;

    public override string Id => "kotlin";
    public override string Name => "Kotlin";

    /// <summary>The compiler's home (<c>lib/kotlin-compiler.jar</c>, <c>lib/kotlin-stdlib.jar</c>); override with
    /// <c>Judge:Languages:kotlin:Compiler</c>.</summary>
    public string Compiler { get; init; } = "/usr/share/kotlin/kotlinc";

    /// <summary>The JVM that runs the compiler and the program; override with <c>Judge:Languages:kotlin:Runtime</c>.</summary>
    public string Runtime { get; init; } = "/usr/bin/java";

    /// <summary>Memory the JVM needs besides the heap, granted on top of the problem's limit as for <see cref="Java"/>.</summary>
    public long RuntimeOverheadBytes { get; init; } = 64 * MiB;

    public override IReadOnlyList<string> Packages => ["kotlin", "default-jdk-headless"];

    // The compiler's own entry point, without Debian's kotlinc shell script: its preloader puts the compiler's
    // dependencies (trove4j, ...) on the class path the way the script does.
    public override IReadOnlyList<string> VersionCommand => [.. CompilerJvm, "-version"];

    private IReadOnlyList<string> CompilerJvm =>
    [
        Runtime, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss64m", "-Xmx1g", "-Xshare:auto", "-Dkotlin.home=" + Compiler,
        "-cp", Compiler + "/lib/kotlin-preloader.jar", "org.jetbrains.kotlin.preloading.Preloader",
        "-cp", Compiler + "/lib/kotlin-compiler.jar", "org.jetbrains.kotlin.cli.jvm.K2JVMCompiler",
    ];

    /// <summary>"info: kotlinc-jvm 1.3.31 (JRE 17...)" becomes "kotlinc-jvm 1.3.31".</summary>
    public override string ParseVersion(string output)
    {
        var match = Regex.Match(output, @"kotlinc-jvm \S+");
        return match.Success ? match.Value : base.ParseVersion(output);
    }

    public override Language Configure(LanguageSettings settings) =>
        (Kotlin)base.Configure(settings) with { Compiler = settings.Compiler ?? Compiler, Runtime = settings.Runtime ?? Runtime };

    // A top-level main() in main.kt compiles to the class MainKt, inside the file's package (`package foo.bar` makes it
    // foo.bar.MainKt, in foo/bar/ under -d .), renamed by a file annotation `@file:JvmName("Name")`.
    public override SourceLayout Layout(string source)
    {
        var code = JavaMainClass.StripCommentsAndLiterals(source);
        var package = KotlinPackage().Match(code) is { Success: true } p ? Regex.Replace(p.Groups[1].Value, @"\s+", "") : null;
        var className = JvmName().Match(source) is { Success: true } j && code.AsSpan(j.Index, 4).SequenceEqual("@fil") ? j.Groups[1].Value : "MainKt";
        return new("main.kt", package is null ? className : package + "." + className);
    }

    // Before any import or declaration: after comments (blanked) and file annotations only.
    [GeneratedRegex(@"\A(?:\s|@file\s*:[^\n]*\n)*package\s+([A-Za-z_][\w]*(?:\s*\.\s*[A-Za-z_][\w]*)*)")]
    private static partial Regex KotlinPackage();

    [GeneratedRegex(@"@file\s*:\s*JvmName\s*\(\s*""([A-Za-z_$][\w$]*)""\s*\)")]
    private static partial Regex JvmName();

    public override IReadOnlyList<string> CompileCommand(SourceLayout layout) =>
        [.. CompilerJvm, "-no-reflect", "-nowarn", "-d", ".", layout.SourceFileName];

    public override IReadOnlyList<string> RunCommand(SourceLayout layout, SandboxLimits limits) =>
        Java.JvmRunCommand(Runtime, RuntimeOverheadBytes, limits, ".:" + Compiler + "/lib/kotlin-stdlib.jar", layout.EntryPoint);

    public override SandboxLimits RunLimits(SandboxLimits limits) => Java.JvmRunLimits(limits, RuntimeOverheadBytes);

    public override bool IsOutOfMemory(string stderr) => Java.IsJvmOutOfMemory(stderr);

    public override string SelfTestSource => """
        fun main() {
            val (a, b) = readLine()!!.trim().split(Regex("\\s+")).map { it.toLong() }
            println(a + b)
        }
        """;
}
