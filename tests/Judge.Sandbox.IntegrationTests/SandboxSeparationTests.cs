using Judge.Engine.Judging;
using Judge.Engine.Languages;
using Judge.Engine.Problems;
using Judge.Engine.Sandbox;
using Judge.Engine.Sandbox.Linux;
using Judge.Engine.Verdicts;

namespace Judge.Sandbox.IntegrationTests;

/// <summary>
/// What keeps runs and daemons apart on one host (issue 15): each daemon holds a uid range of its own, so that two
/// daemons' programs never share a uid's process count; and a compilation may leave only so much in its directory.
/// </summary>
public class SandboxSeparationTests(ITestOutputHelper output)
{
    private const long MiB = 1024 * 1024;

    /// <summary>Explicit ranges of this class's daemons, apart from the ranges other test classes set (101000.., 102000, 103000) and
    /// from auto (60000 upward, 256 at a time).</summary>
    private const int UidBase = 106000;

    private const string ForkHeavy = "i=0; while [ $i -lt 40 ]; do /bin/sleep 2 & i=$((i+1)); done; wait && echo all-forked";

    private static string NewWorkRoot() => Path.Combine(Path.GetTempPath(), "judge-uid-ranges-" + Guid.NewGuid().ToString("N")[..8]);

    [Fact]
    public async Task A_second_daemon_on_a_range_another_holds_refuses_to_start_naming_Judge_Sandbox_UidBase()
    {
        var root = NewWorkRoot();
        try
        {
            await using var first = await LinuxSandbox.StartAsync(new LinuxSandboxOptions { WorkRoot = root, Pool = 1, UidBase = UidBase });
            foreach (var overlapping in new[] { UidBase, UidBase + 100 })
            {
                var refused = await Assert.ThrowsAsync<SandboxUnavailableException>(() =>
                    LinuxSandbox.StartAsync(new LinuxSandboxOptions { WorkRoot = root, Pool = 1, UidBase = overlapping }));
                output.WriteLine(refused.Message);
                Assert.Contains("Judge:Sandbox:UidBase", refused.Message, StringComparison.Ordinal);
                Assert.Contains("in use by another judge-sandbox", refused.Message, StringComparison.Ordinal);
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task Two_daemons_on_distinct_ranges_run_fork_heavy_programs_at_once_each_within_its_own_process_limit()
    {
        var root = NewWorkRoot();
        try
        {
            await using var first = await LinuxSandbox.StartAsync(new LinuxSandboxOptions { WorkRoot = root, Pool = 1, UidBase = UidBase + 512 });
            await using var second = await LinuxSandbox.StartAsync(new LinuxSandboxOptions { WorkRoot = root, Pool = 1, UidBase = UidBase + 768 });
            var runs = new[] { first, second }.Select(async (sandbox, k) =>
            {
                var work = Directory.CreateDirectory(Path.Combine(root, "work" + k)).FullName;
                var stdout = Path.Combine(root, $"out{k}");
                var result = await sandbox.RunAsync(new SandboxRequest
                {
                    Argv = ["/bin/sh", "-c", ForkHeavy],
                    WorkingDirectory = work,
                    StdoutPath = stdout,
                    Limits = new SandboxLimits { CpuTime = TimeSpan.FromSeconds(5), WallTime = TimeSpan.FromSeconds(15), Processes = 48 },
                });
                return (result, File.Exists(stdout) ? await File.ReadAllTextAsync(stdout) : "");
            }).ToList();
            foreach (var (result, stdout) in await Task.WhenAll(runs))
            {
                output.WriteLine($"{result.Status} {result.Message} {stdout}");
                Assert.Equal(SandboxStatus.Ok, result.Status);
                Assert.Contains("all-forked", stdout, StringComparison.Ordinal);
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task Cpp_compile_writing_a_200_MiB_executable_gets_CE_output_exceeds_and_leaves_nothing_on_disk()
    {
        var judge = new SubmissionJudge(TestSandbox.Create(), JudgeOptions.Default with { WorkRoot = TestSandbox.WorkRoot });
        var problem = ProblemLoader.Load(Path.Combine(RepositoryPaths.Packages, "memoryhog"));
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var report = await judge.JudgeAsync(problem, new Cpp17(), """
            #include <cstdio>
            static char a[200 << 20] = {1};
            int main() {
                long long x, y;
                if (std::scanf("%lld %lld", &x, &y) != 2) return 1;
                if (a[(unsigned long long)x * 7919 % sizeof a] == 42) return 3; // keeps the array in the executable
                std::printf("%lld\n", x + y);
            }
            """, IJudgeProgress.None, timeout.Token);
        output.WriteLine($"{report.Verdict} {report.Message}\n{report.CompileOutput}");

        Assert.Equal(Verdict.CE, report.Verdict);
        Assert.Contains($"output exceeds {JudgeOptions.Default.CompileLimits.WorkBytes / MiB} MiB", report.Message, StringComparison.Ordinal);
        var large = Directory.EnumerateFiles(TestSandbox.WorkRoot, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true })
            .Where(file => new FileInfo(file).Length > 64 * MiB)
            // the silo-wide prepared files other tests build under the same root (a precompiled header is ~100 MiB)
            .Where(file => Path.GetRelativePath(TestSandbox.WorkRoot, file).Split(Path.DirectorySeparatorChar)[0] is var top
                && !top.StartsWith("warmup", StringComparison.Ordinal) && top != "compile-cache")
            .ToList();
        Assert.Empty(large);
    }
}
