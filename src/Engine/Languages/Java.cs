using Judge.Engine.Sandbox;

namespace Judge.Engine.Languages;

/// <summary>Java on the JDK: the class holding <c>main</c> is found in the source, heap and stack follow the memory limit.</summary>
public sealed record Java : Language
{
    private const long MiB = 1024 * 1024;

    public override string Id => "java";
    public override string Name => "Java";

    /// <summary>The compiler; override with <c>Judge:Languages:java:Compiler</c>.</summary>
    public string Compiler { get; init; } = "/usr/bin/javac";

    /// <summary>The virtual machine; override with <c>Judge:Languages:java:Runtime</c>.</summary>
    public string Runtime { get; init; } = "/usr/bin/java";

    /// <summary>Memory the JVM needs besides the heap (code cache, metaspace, thread stacks), granted on top of the problem's
    /// limit: the heap (<c>-Xmx</c>) is the problem's limit and sits this far below the run's, so a full heap ends in the
    /// JVM's own <c>OutOfMemoryError</c> (MLE) rather than in the sandbox's kill.</summary>
    public long RuntimeOverheadBytes { get; init; } = 64 * MiB;

    /// <summary>A class-data-sharing archive of the JDK classes contest programs load, relative to the run's working
    /// directory (set by the silo's warmup once it has built one; <c>null</c>: the JDK's default archive).</summary>
    public string? SharedArchiveFile { get; init; }

    public override IReadOnlyList<string> VersionCommand => [Compiler, "-version"];

    public override IReadOnlyList<string> Packages => ["default-jdk-headless"];

    public override Language Configure(LanguageSettings settings) =>
        (Java)base.Configure(settings) with { Compiler = settings.Compiler ?? Compiler, Runtime = settings.Runtime ?? Runtime };

    public override SourceLayout Layout(string source)
    {
        var main = JavaMainClass.Find(source);
        return main.Error is not null
            ? SourceLayout.Invalid(main.Error)
            : new SourceLayout(main.FileName + ".java", main.BinaryName);
    }

    public override IReadOnlyList<string> CompileCommand(SourceLayout layout) =>
        [Compiler, "-J-XX:+UseSerialGC", "-J-XX:TieredStopAtLevel=1", "-J-Xss64m", "-encoding", "UTF-8", "-d", ".", layout.SourceFileName];

    public override IReadOnlyList<string> RunCommand(SourceLayout layout, SandboxLimits limits) =>
        JvmRunCommand(Runtime, RuntimeOverheadBytes, limits, ".", layout.EntryPoint, SharedArchiveFile);

    /// <summary>The JVM command line that runs <paramref name="mainClass"/> (Java's, Kotlin's): heap and stack from the limits,
    /// and a class-data-sharing archive when one was built for this class path.</summary>
    internal static IReadOnlyList<string> JvmRunCommand(string runtime, long overheadBytes, SandboxLimits limits, string classPath,
        string mainClass, string? sharedArchiveFile = null)
    {
        var heapMiB = Math.Max(16, (limits.MemoryBytes - overheadBytes) / MiB);
        var stackMiB = Math.Clamp(heapMiB / 4, 8, 256);
        // The JVM's own warnings (unified logging) and messages (DisplayVMOutputToStderr) go to stdout by default, where
        // they would corrupt the answer. ExitOnOutOfMemoryError: the first OutOfMemoryError in any thread ends the JVM at
        // once (exit 3, "Terminating due to java.lang.OutOfMemoryError: ...", a VM message: on stderr only with
        // DisplayVMOutputToStderr), not a thread of it while the rest hangs on into a time limit.
        return [runtime, $"-Xmx{heapMiB}m", $"-Xss{stackMiB}m", "-XX:+UseSerialGC", "-XX:-UsePerfData", "-Xshare:auto",
            "-XX:+ExitOnOutOfMemoryError", "-XX:+DisplayVMOutputToStderr", "-Xlog:disable", "-Xlog:all=warning:stderr",
            .. (sharedArchiveFile is null ? Array.Empty<string>() : [$"-XX:SharedArchiveFile={sharedArchiveFile}"]),
            "-cp", classPath, mainClass];
    }

    /// <summary>The JVM reserves far more address space than it uses and runs a dozen threads: no address-space cap, room for its own overhead.</summary>
    public override SandboxLimits RunLimits(SandboxLimits limits) => JvmRunLimits(limits, RuntimeOverheadBytes);

    internal static SandboxLimits JvmRunLimits(SandboxLimits limits, long overheadBytes) => limits with
    {
        MemoryBytes = limits.MemoryBytes + overheadBytes,
        LimitAddressSpace = false,
        Processes = Math.Max(limits.Processes, 128),
        StackBytes = limits.StackBytes ?? 64 * MiB,
    };

    /// <summary>An <c>OutOfMemoryError</c> of the heap, metaspace, direct buffers or an array too large for the VM, but not
    /// "unable to create native thread": that one is the process limit (too many threads), a run-time error.</summary>
    public override bool IsOutOfMemory(string stderr) => IsJvmOutOfMemory(stderr);

    internal static bool IsJvmOutOfMemory(string stderr) =>
        stderr.Contains("java.lang.OutOfMemoryError", StringComparison.Ordinal) &&
        !stderr.Contains("java.lang.OutOfMemoryError: unable to create native thread", StringComparison.Ordinal);

    public override string SelfTestSource => """
        import java.util.Scanner;
        public class SelfTest {
            public static void main(String[] args) {
                Scanner in = new Scanner(System.in);
                long a = in.nextLong(), b = in.nextLong();
                System.out.println(a + b);
            }
        }
        """;
}
