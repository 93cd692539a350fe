using Judge.Engine.Compilation;
using Judge.Engine.Judging;
using Judge.Engine.Languages;
using Judge.Engine.Problems;
using Judge.Engine.Sandbox;
using Judge.Engine.Verdicts;

namespace Judge.Sandbox.IntegrationTests;

/// <summary>
/// The compile cache through <see cref="SubmissionJudge"/>, the isolating sandbox and the real compilers, on
/// tests/packages/memoryhog (A+B): a compilation is counted by the compiler runs the sandbox was asked for, not by time.
/// </summary>
public sealed class CompileCacheTests : IDisposable
{
    private readonly string cacheDirectory = Path.Combine(TestSandbox.WorkRoot, "compile-cache-tests", Guid.NewGuid().ToString("N"));
    private readonly CountingSandbox sandbox = new(TestSandbox.Create());
    private readonly LocalCompileCache cache;
    private readonly SubmissionJudge judge;

    private static readonly Lazy<Problem> APlusB = new(() => ProblemLoader.Load(Path.Combine(RepositoryPaths.Packages, "memoryhog")));

    private static readonly string CppSource = $$"""
        #include <iostream>
        // {{Guid.NewGuid()}}: a source no earlier run has cached
        int main() { long long a, b; std::cin >> a >> b; std::cout << a + b << "\n"; }
        """;

    public CompileCacheTests()
    {
        cache = new LocalCompileCache(cacheDirectory, 256L * 1024 * 1024);
        judge = new SubmissionJudge(sandbox, JudgeOptions.Default with { WorkRoot = TestSandbox.WorkRoot }, compileCache: cache);
    }

    public void Dispose() => Directory.Delete(cacheDirectory, recursive: true);

    private async Task<JudgeReport> JudgeAsync(Language language, string source)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        return await judge.JudgeAsync(APlusB.Value, language, source, IJudgeProgress.None, timeout.Token);
    }

    [Fact]
    public async Task The_same_cpp_source_submitted_twice_is_compiled_once_and_both_are_accepted()
    {
        var cpp = new Cpp17 { Version = "g++ test" };
        var first = await JudgeAsync(cpp, CppSource);
        var second = await JudgeAsync(cpp, CppSource);

        Assert.Equal(Verdict.AC, first.Verdict);
        Assert.Equal(Verdict.AC, second.Verdict);
        Assert.Equal(1, sandbox.Compiles);
        Assert.Equal(first.CompileOutput, second.CompileOutput);
    }

    [Fact]
    public async Task Different_flags_or_a_different_compiler_version_compile_again()
    {
        var cpp = new Cpp17 { Version = "g++ test" };
        await JudgeAsync(cpp, CppSource);
        await JudgeAsync(cpp with { Flags = [.. cpp.Flags, "-Wall"] }, CppSource);
        await JudgeAsync(cpp with { Version = "g++ other" }, CppSource);
        Assert.Equal(3, sandbox.Compiles);

        await JudgeAsync(cpp with { Flags = [.. cpp.Flags, "-Wall"] }, CppSource);
        Assert.Equal(3, sandbox.Compiles);
    }

    [Fact]
    public async Task A_compile_error_is_kept_and_returned_with_the_same_message_without_compiling_again()
    {
        var cpp = new Cpp17 { Version = "g++ test" };
        const string broken = "int main() { return undeclared_name_in_cache_test; }\n";
        var first = await JudgeAsync(cpp, broken);
        var second = await JudgeAsync(cpp, broken);

        Assert.Equal(Verdict.CE, first.Verdict);
        Assert.Contains("undeclared_name_in_cache_test", first.CompileOutput);
        Assert.Equal(first.Verdict, second.Verdict);
        Assert.Equal(first.Message, second.Message);
        Assert.Equal(first.CompileOutput, second.CompileOutput);
        Assert.Equal(1, sandbox.Compiles);
    }

    [Fact]
    public async Task A_corrupted_cache_entry_is_detected_and_the_source_compiled_again()
    {
        var cpp = new Cpp17 { Version = "g++ test" };
        await JudgeAsync(cpp, CppSource);
        var entry = Assert.Single(Directory.GetFiles(cacheDirectory, "*.jca"));
        var bytes = File.ReadAllBytes(entry);
        bytes[^100] ^= 0x5a; // inside the binary: a changed instruction, not a broken archive
        File.WriteAllBytes(entry, bytes);

        var report = await JudgeAsync(cpp, CppSource);

        Assert.Equal(Verdict.AC, report.Verdict);
        Assert.Equal(2, sandbox.Compiles);
        var replaced = Assert.Single(Directory.GetFiles(cacheDirectory, "*.jca"));
        Assert.NotEqual(bytes, File.ReadAllBytes(replaced));
    }

    [Fact]
    public async Task A_java_program_with_an_inner_class_runs_from_the_cache()
    {
        var java = new Java { Version = "javac test" };
        var source = $$"""
            import java.util.Scanner;
            public class Sum {
                // {{Guid.NewGuid()}}
                static class Pair { long a, b; long sum() { return a + b; } }
                public static void main(String[] args) {
                    Scanner in = new Scanner(System.in);
                    Pair p = new Pair(); p.a = in.nextLong(); p.b = in.nextLong();
                    System.out.println(p.sum());
                }
            }
            """;
        var first = await JudgeAsync(java, source);
        var second = await JudgeAsync(java, source);

        Assert.Equal(Verdict.AC, first.Verdict);
        Assert.Equal(Verdict.AC, second.Verdict);
        Assert.Equal(1, sandbox.Compiles);
    }

    /// <summary>The sandbox under test, counting the compiler runs it is asked for.</summary>
    private sealed class CountingSandbox(ISandbox inner) : ISandbox
    {
        private int compiles;

        public int Compiles => compiles;

        public Task<SandboxResult> RunAsync(SandboxRequest request, CancellationToken cancellationToken = default)
        {
            if (request.PersistWorkingDirectory && request.Argv[0] is "/usr/bin/g++" or "/usr/bin/javac")
                Interlocked.Increment(ref compiles);
            return inner.RunAsync(request, cancellationToken);
        }

        public Task<ConnectedResult> RunConnectedAsync(SandboxRequest first, SandboxRequest second, CancellationToken cancellationToken = default) =>
            inner.RunConnectedAsync(first, second, cancellationToken);
    }
}
