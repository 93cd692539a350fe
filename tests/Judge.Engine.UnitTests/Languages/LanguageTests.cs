using Judge.Engine.Languages;
using Judge.Engine.Sandbox;

namespace Judge.Engine.UnitTests.Languages;

public class LanguageTests
{
    private const long MiB = 1024 * 1024;

    [Fact]
    public void Cpp_compiles_with_O2_and_ONLINE_JUDGE()
    {
        var cpp = new Cpp17();
        var layout = cpp.Layout("int main(){}");
        var command = cpp.CompileCommand(layout);
        Assert.Equal("/usr/bin/g++", command[0]);
        Assert.Contains("-O2", command);
        Assert.Contains("-DONLINE_JUDGE", command);
        Assert.Contains("-std=gnu++17", command);
        Assert.Equal(["./main"], cpp.RunCommand(layout, SandboxLimits.Default));
    }

    [Fact]
    public void Native_stack_equals_the_memory_limit_and_the_address_space_is_not_capped()
    {
        var limits = new Cpp17().RunLimits(new SandboxLimits { MemoryBytes = 512 * MiB });
        Assert.Equal(512 * MiB, limits.EffectiveStackBytes);
        Assert.False(limits.LimitAddressSpace); // running out of memory is the cgroup's MLE, not a failed allocation's crash
        Assert.False(SandboxLimits.Default.LimitAddressSpace);
    }

    [Fact]
    public void Cpp_uncaught_bad_alloc_is_recognised_as_running_out_of_memory()
    {
        const string abort = "terminate called after throwing an instance of 'std::bad_alloc'\n  what():  std::bad_alloc\n";
        Assert.True(new Cpp17().IsOutOfMemory(abort));
        Assert.True(new Cpp20().IsOutOfMemory(abort));
        Assert.False(new Cpp17().IsOutOfMemory("terminate called after throwing an instance of 'std::bad_array_new_length'\n"));
        Assert.False(new Cpp17().IsOutOfMemory("terminate called after throwing an instance of 'std::length_error'\n  what():  vector::reserve\n"));
        Assert.False(new C11().IsOutOfMemory(abort));
    }

    [Fact]
    public void Python_uncaught_memory_error_is_recognised_from_the_traceback()
    {
        Assert.True(new Python3().IsOutOfMemory("Traceback (most recent call last):\n  File \"main.py\", line 1, in <module>\nMemoryError\n"));
        Assert.True(new PyPy3().IsOutOfMemory("Traceback (most recent call last):\nMemoryError: out of memory\n"));
        Assert.False(new Python3().IsOutOfMemory("  File \"main.py\", line 3\n    raise MemoryError\nValueError: x\n"));
        Assert.False(new Python3().IsOutOfMemory("NoMemoryErrorHere\n"));
    }

    [Fact]
    public void Java_heap_and_stack_follow_the_memory_limit()
    {
        var java = new Java();
        var layout = java.Layout("public class A { public static void main(String[] a) {} }");
        var limits = java.RunLimits(new SandboxLimits { MemoryBytes = 256 * MiB });
        var command = java.RunCommand(layout, limits);
        Assert.Contains("-Xmx256m", command);
        Assert.Contains("-Xss64m", command);
        Assert.Equal("A", command[^1]);
        Assert.Contains("-Xlog:all=warning:stderr", command); // JVM warnings never land in the answer
        Assert.Contains("-XX:+ExitOnOutOfMemoryError", command); // a full heap ends the JVM at once, in any thread
        Assert.Contains("-XX:+DisplayVMOutputToStderr", command); // ... and says so on stderr, where it is recognised
        Assert.False(limits.LimitAddressSpace);
        Assert.Equal(256 * MiB + java.RuntimeOverheadBytes, limits.MemoryBytes);
    }

    [Fact]
    public void Java_source_file_is_named_after_its_public_class()
    {
        var layout = new Java().Layout("public class Solve { public static void main(String[] a) {} }");
        Assert.Equal("Solve.java", layout.SourceFileName);
        Assert.Contains("Solve.java", new Java().CompileCommand(layout));
    }

    [Fact]
    public void Java_without_main_cannot_be_laid_out()
    {
        Assert.NotNull(new Java().Layout("class A {}").Error);
    }

    [Fact]
    public void Java_out_of_memory_is_recognised_from_stderr()
    {
        Assert.True(new Java().IsOutOfMemory("Exception in thread \"main\" java.lang.OutOfMemoryError: Java heap space"));
        Assert.True(new Java().IsOutOfMemory("Terminating due to java.lang.OutOfMemoryError: Java heap space"));
        Assert.False(new Java().IsOutOfMemory("Exception in thread \"main\" java.lang.StackOverflowError"));
        // too many threads is the process limit, not memory: a run-time error
        Assert.False(new Java().IsOutOfMemory("Terminating due to java.lang.OutOfMemoryError: unable to create native thread: possibly out of memory or process/resource limits reached"));
    }

    [Fact]
    public void Configuration_overrides_toolchain_paths_and_flags()
    {
        var cpp = (Cpp17)LanguageCatalog.Configure(new Cpp17(), new LanguageSettings { Compiler = "/opt/gcc/bin/g++", Flags = "-std=c++17 -O3" });
        Assert.Equal("/opt/gcc/bin/g++", cpp.Compiler);
        Assert.Equal(["-std=c++17", "-O3"], cpp.Flags);
        var java = (Java)LanguageCatalog.Configure(new Java(), new LanguageSettings { Runtime = "/opt/jdk/bin/java" });
        Assert.Equal("/opt/jdk/bin/java", java.Runtime);
        Assert.Equal("/usr/bin/javac", java.Compiler);
    }

    [Fact]
    public void Every_language_id_is_unique_and_in_the_public_contract()
    {
        string[] contract = ["cpp17", "cpp20", "c11", "python3", "pypy3", "java", "kotlin", "rust", "go", "javascript", "csharp"];
        var ids = LanguageCatalog.All.Select(l => l.Id).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(ids, id => Assert.Contains(id, contract));
    }

    [Fact]
    public void Display_name_carries_the_detected_version()
    {
        Assert.Equal("Python 3 (Python 3.11.2)", (new Python3() with { Version = "Python 3.11.2" }).DisplayName);
        Assert.Equal("g++ 12.2.0", new Cpp17().ParseVersion("12.2.0\n"));
    }

    [Fact]
    public void PyPy3_runs_like_python3_with_its_own_interpreter()
    {
        var pypy = new PyPy3();
        var layout = pypy.Layout("print(1)");

        Assert.Equal("pypy3", pypy.Id);
        Assert.Equal(["/usr/bin/pypy3", "-E", "-s", "-B", "main.py"], pypy.RunCommand(layout, new Judge.Engine.Sandbox.SandboxLimits()));
        Assert.Equal("/usr/bin/pypy3", pypy.CompileCommand(layout)[0]);
        Assert.Equal("/opt/pypy/bin/pypy3", ((PyPy3)LanguageCatalog.Configure(pypy, new LanguageSettings { Runtime = "/opt/pypy/bin/pypy3" })).Runtime);
        Assert.True(pypy.IsOutOfMemory("MemoryError"));
    }

    [Fact]
    public void PyPy3_version_names_pypy_and_the_python_it_implements()
    {
        Assert.Equal("PyPy 7.3.11 (Python 3.9.16)",
            new PyPy3().ParseVersion("Python 3.9.16 (7.3.11+dfsg-2+deb12u3, Dec 30 2024, 22:36:23)\n[PyPy 7.3.11 with GCC 12.2.0]\n"));
    }

    [Fact]
    public void Python_scripts_can_import_modules_next_to_them()
    {
        // -I would imply -P, which drops the script's directory from sys.path: a problem's include/ modules could not be imported.
        Assert.DoesNotContain("-I", new Python3().RunCommand(new Python3().Layout(""), new Judge.Engine.Sandbox.SandboxLimits()));
    }

    [Fact]
    public void New_languages_name_their_toolchain_versions()
    {
        Assert.Equal("rustc 1.63.0", new Rust().ParseVersion("rustc 1.63.0\n"));
        Assert.Equal("go1.19.8", new Go().ParseVersion("go version go1.19.8 linux/amd64\n"));
        Assert.Equal("Node.js 18.19.0", new JavaScript().ParseVersion("v18.19.0\n"));
        Assert.Equal("kotlinc-jvm 1.3.31", new Kotlin().ParseVersion("info: kotlinc-jvm 1.3.31 (JRE 17.0.15+6)\n"));
        Assert.Equal(".NET 10.0.12", new CSharp().ParseVersion("Microsoft.AspNetCore.App 10.0.12 [/x]\nMicrosoft.NETCore.App 10.0.12 [/usr/share/dotnet/shared]\n"));
    }

    [Fact]
    public void Managed_runtimes_cap_their_heap_at_the_problem_limit_and_get_room_for_themselves()
    {
        var limits = new Judge.Engine.Sandbox.SandboxLimits { MemoryBytes = 256L << 20 };
        var js = new JavaScript();
        Assert.Contains("--max-old-space-size=192", js.RunCommand(js.Layout(""), limits));
        Assert.Equal(320L << 20, js.RunLimits(limits).MemoryBytes);
        var cs = new CSharp();
        Assert.Contains($"DOTNET_GCHeapHardLimit=0x{192L << 20:X}", cs.RunCommand(cs.Layout(""), limits));
        var kotlin = new Kotlin();
        Assert.Contains("-Xmx192m", kotlin.RunCommand(kotlin.Layout(""), limits));
        Assert.Equal(320L << 20, kotlin.RunLimits(limits).MemoryBytes);
    }

    [Theory]
    [InlineData("fun main() { println(1) }", "MainKt")]
    [InlineData("package foo.bar\n\nfun main() { println(1) }", "foo.bar.MainKt")]
    [InlineData("// a solution\n/* package not.this */\npackage  solution ;\nfun main() {}", "solution.MainKt")]
    [InlineData("@file:JvmName(\"Answer\")\npackage a.b\nfun main() {}", "a.b.Answer")]
    [InlineData("fun main() { println(\"package x.y\") }", "MainKt")]
    public void Kotlin_runs_the_file_class_of_the_package_the_source_declares(string source, string mainClass)
    {
        var layout = new Kotlin().Layout(source);

        Assert.Equal(("main.kt", mainClass), (layout.SourceFileName, layout.EntryPoint));
    }

    [Fact]
    public void Runtime_reports_of_running_out_of_memory_are_MLE_words()
    {
        Assert.True(new Rust().IsOutOfMemory("memory allocation of 1048576 bytes failed\n"));
        Assert.True(new Go().IsOutOfMemory("fatal error: runtime: out of memory\n"));
        Assert.True(new JavaScript().IsOutOfMemory("FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory"));
        Assert.True(new CSharp().IsOutOfMemory("Out of memory.\n"));
        Assert.True(new Kotlin().IsOutOfMemory("Terminating due to java.lang.OutOfMemoryError: Java heap space"));
        Assert.False(new Rust().IsOutOfMemory("thread 'main' panicked at 'index out of bounds'"));
        Assert.False(new CSharp().IsOutOfMemory("Unhandled exception. System.IndexOutOfRangeException"));
    }

    [Fact]
    public void Time_factor_and_toolchain_paths_come_from_configuration()
    {
        var go = (Go)LanguageCatalog.Configure(new Go(), new LanguageSettings { Compiler = "/opt/go/bin/go", TimeFactor = 1.5 });
        Assert.Equal("/opt/go/bin/go", go.Compiler);
        Assert.Equal(1.5, go.TimeFactor);
        var cpp = (Cpp17)LanguageCatalog.Configure(new Cpp17(), new LanguageSettings { TimeFactor = 2 });
        Assert.Equal(2, cpp.TimeFactor);
        Assert.Equal("/usr/bin/g++", cpp.Compiler);
        Assert.Equal(["cpp17", "cpp", "c++"], [cpp.Id, .. cpp.IncludeAliases]);
    }

    [Fact]
    public void Languages_that_allocate_through_glibc_malloc_run_with_huge_pages_and_compile_without()
    {
        var withHugePages = new HashSet<string> { "cpp17", "cpp20", "c11" };
        foreach (var language in LanguageCatalog.All)
        {
            Assert.Equal(withHugePages.Contains(language.Id), language.HugePages);
            Assert.False(language.Environment.ContainsKey("GLIBC_TUNABLES"), $"{language.Id} compiles with the tunable");
            if (language.HugePages)
            {
                Assert.Equal("glibc.malloc.hugetlb=1", language.RunEnvironment["GLIBC_TUNABLES"]);
                // the rest of the run's environment is the language's own
                Assert.Equal(language.Environment, language.RunEnvironment.Where(e => e.Key != "GLIBC_TUNABLES").ToDictionary());
            }
            else
            {
                Assert.Same(language.Environment, language.RunEnvironment);
            }
        }
    }

    [Fact]
    public void Huge_pages_come_from_configuration()
    {
        var cpp = LanguageCatalog.Configure(new Cpp17(), new LanguageSettings { HugePages = false });
        Assert.False(cpp.HugePages);
        Assert.False(cpp.RunEnvironment.ContainsKey("GLIBC_TUNABLES"));
        Assert.True(LanguageCatalog.Configure(new Cpp17(), new LanguageSettings { TimeFactor = 2 }).HugePages);
        var go = LanguageCatalog.Configure(new Go(), new LanguageSettings { HugePages = true });
        Assert.Equal("glibc.malloc.hugetlb=1", go.RunEnvironment["GLIBC_TUNABLES"]);
        Assert.Equal("1", go.RunEnvironment["GOMAXPROCS"]);
    }
}
