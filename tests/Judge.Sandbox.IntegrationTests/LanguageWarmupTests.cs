using Judge.Engine.Compilation;
using Judge.Engine.Judging;
using Judge.Engine.Languages;
using Judge.Engine.Problems;
using Judge.Engine.Sandbox;
using Judge.Engine.Verdicts;

namespace Judge.Sandbox.IntegrationTests;

/// <summary>
/// The silo's warmups through the isolating sandbox and the real toolchains: the precompiled <c>bits/stdc++.h</c> is what
/// g++ reads (its <c>-H</c> report marks a used precompiled header with <c>!</c>), and Java runs map the class-data-sharing
/// archive (with <c>-Xshare:on</c> the JVM refuses to start when it cannot). Each is built once for the class.
/// </summary>
public sealed class LanguageWarmupTests
{
    private static readonly string Root = Path.Combine(TestSandbox.WorkRoot, "warmup-tests");
    private static readonly Cpp17 Cpp = new() { Version = "g++ warmup test" };
    private static readonly Java JavaLanguage = new() { Version = "javac warmup test" };

    private static readonly Lazy<Task<CppPrecompiledHeader>> Pch = new(async () =>
    {
        var pch = new CppPrecompiledHeader(Path.Combine(Root, "pch"));
        await pch.PrepareAsync(Cpp, CancellationToken.None);
        return pch;
    });

    private static readonly Lazy<Task<JavaClassDataSharing>> Cds = new(async () =>
    {
        var cds = new JavaClassDataSharing(Path.Combine(Root, "cds"));
        await cds.PrepareAsync(JavaLanguage, CancellationToken.None);
        return cds;
    });

    private static readonly Lazy<Problem> APlusB = new(() => ProblemLoader.Load(Path.Combine(RepositoryPaths.Packages, "memoryhog")));

    private static async Task<(SandboxResult Result, string Output)> CompileAsync(string source, CppPrecompiledHeader pch)
    {
        var dir = Directory.CreateDirectory(Path.Combine(Root, "compile-" + Guid.NewGuid().ToString("N"))).FullName;
        var log = Path.Combine(Root, Path.GetFileName(dir) + ".log");
        try
        {
            File.WriteAllText(Path.Combine(dir, "main.cpp"), source);
            var command = Cpp.CompileCommand(Cpp.Layout(source)).ToList();
            command.InsertRange(1, [.. pch.BeforeCompile(Cpp, dir), "-H", "-Winvalid-pch"]);
            var result = await TestSandbox.Create().RunAsync(new SandboxRequest
            {
                Argv = command, WorkingDirectory = dir, StdoutPath = log, MergeStderrIntoStdout = true, PersistWorkingDirectory = true,
                Limits = SandboxLimits.Compile,
            });
            pch.AfterCompile(dir);
            Assert.False(Directory.Exists(Path.Combine(dir, CppPrecompiledHeader.IncludeDirectory)));
            Assert.Equal(result.Status == SandboxStatus.Ok, File.Exists(Path.Combine(dir, "main")));
            return (result, File.ReadAllText(log));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
            File.Delete(log);
        }
    }

    [Fact]
    public async Task A_cpp_compile_including_bits_stdcpp_reads_the_precompiled_header()
    {
        var (result, output) = await CompileAsync("#include <bits/stdc++.h>\nint main() { std::vector<int> v{1}; std::cout << v[0]; }\n", await Pch.Value);

        Assert.Equal(SandboxStatus.Ok, result.Status);
        Assert.Contains($"! {CppPrecompiledHeader.IncludeDirectory}/bits/stdc++.h.gch", output);
        Assert.DoesNotContain("Winvalid-pch", output);
    }

    [Fact]
    public async Task A_source_that_changes_the_headers_meaning_first_is_compiled_without_the_precompiled_header()
    {
        // A macro defined before the include makes the precompiled state wrong for it: g++ says so and reads the header.
        var (result, output) = await CompileAsync("#define _GLIBCXX_DEBUG 1\n#include <bits/stdc++.h>\nint main() { std::vector<int> v{1}; std::cout << v[0]; }\n", await Pch.Value);

        Assert.Equal(SandboxStatus.Ok, result.Status);
        Assert.Contains("Winvalid-pch", output);
        Assert.DoesNotContain($"! {CppPrecompiledHeader.IncludeDirectory}", output);
    }

    [Fact]
    public async Task A_cpp_submission_with_the_precompiled_header_is_judged_as_without_it()
    {
        var judge = new SubmissionJudge(TestSandbox.Create(), JudgeOptions.Default with { WorkRoot = TestSandbox.WorkRoot }, warmups: [await Pch.Value]);
        var report = await judge.JudgeAsync(APlusB.Value, Cpp,
            "#include <bits/stdc++.h>\nusing namespace std;\nint main() { long long a, b; cin >> a >> b; cout << a + b << endl; }\n", IJudgeProgress.None);

        Assert.Equal(Verdict.AC, report.Verdict);
    }

    [Fact]
    public async Task A_java_run_maps_the_class_data_sharing_archive_and_is_accepted()
    {
        var cds = await Cds.Value;
        var dir = Directory.CreateDirectory(Path.Combine(Root, "java-" + Guid.NewGuid().ToString("N"))).FullName;
        var output = Path.Combine(Root, Path.GetFileName(dir) + ".out");
        try
        {
            var warmed = Assert.IsType<Java>(cds.BeforeRuns(JavaLanguage, dir));
            Assert.Equal(JavaClassDataSharing.ArchivePath, warmed.SharedArchiveFile);
            var limits = warmed.RunLimits(new SandboxLimits { CpuTime = TimeSpan.FromSeconds(10), MemoryBytes = 256L * 1024 * 1024 });
            var argv = warmed.RunCommand(new SourceLayout("", ""), limits).Select(a => a == "-Xshare:auto" ? "-Xshare:on" : a).SkipLast(3).Append("-version").ToList();
            var result = await TestSandbox.Create().RunAsync(new SandboxRequest
            {
                Argv = argv, WorkingDirectory = dir, StdoutPath = output, MergeStderrIntoStdout = true, Limits = limits,
            });
            Assert.True(result.Status == SandboxStatus.Ok, $"{result.Status} {File.ReadAllText(output)}");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
            File.Delete(output);
        }

        var judge = new SubmissionJudge(TestSandbox.Create(), JudgeOptions.Default with { WorkRoot = TestSandbox.WorkRoot }, warmups: [cds]);
        var report = await judge.JudgeAsync(APlusB.Value, JavaLanguage, JavaLanguage.SelfTestSource, IJudgeProgress.None);
        Assert.Equal(Verdict.AC, report.Verdict);
    }

    [Fact]
    public async Task A_java_list_growing_past_the_limit_with_the_archive_still_gets_MLE()
    {
        var judge = new SubmissionJudge(TestSandbox.Create(), JudgeOptions.Default with { WorkRoot = TestSandbox.WorkRoot }, warmups: [await Cds.Value]);
        var report = await judge.JudgeAsync(APlusB.Value, JavaLanguage, """
            import java.util.ArrayList;
            import java.util.List;
            public class Hog {
                public static void main(String[] args) {
                    List<int[]> keep = new ArrayList<>();
                    while (true) keep.add(new int[1 << 18]);
                }
            }
            """, IJudgeProgress.None);
        Assert.Equal(Verdict.MLE, report.Verdict);
    }
}
