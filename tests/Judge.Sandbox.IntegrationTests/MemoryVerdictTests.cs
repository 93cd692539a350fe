using Judge.Engine.Judging;
using Judge.Engine.Languages;
using Judge.Engine.Problems;
using Judge.Engine.Sandbox;
using Judge.Engine.Verdicts;

namespace Judge.Sandbox.IntegrationTests;

/// <summary>
/// Memory verdicts through <see cref="SubmissionJudge"/>, the isolating sandbox of <see cref="TestSandbox"/> and the real
/// toolchains, on tests/packages/memoryhog (A+B, 5 s, 256 MiB): however a program runs out of its memory it gets MLE, with
/// the peak that was measured; a program within the limit is accepted with its peak.
/// </summary>
public class MemoryVerdictTests(ITestOutputHelper output)
{
    private const long MiB = 1024 * 1024;
    private const long Limit = 256 * MiB;

    private static readonly Lazy<SubmissionJudge> Judge = new(() =>
        new SubmissionJudge(TestSandbox.Create(), JudgeOptions.Default with { WorkRoot = TestSandbox.WorkRoot }));

    private static readonly Lazy<Problem> MemoryHog = new(() => ProblemLoader.Load(Path.Combine(RepositoryPaths.Packages, "memoryhog")));

    private Task<JudgeReport> JudgeAsync(Language language, string source) => JudgeAsync(Judge.Value, language, source);

    private async Task<JudgeReport> JudgeAsync(SubmissionJudge judge, Language language, string source)
    {
        Assert.Equal(Limit, MemoryHog.Value.Limits.MemoryBytes);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var report = await judge.JudgeAsync(MemoryHog.Value, language, source, IJudgeProgress.None, timeout.Token);
        output.WriteLine($"{report.Verdict} {report.Message}");
        foreach (var test in report.Tests)
            output.WriteLine($"  {test.Name}: {test.Verdict} cpu {test.CpuTime.TotalMilliseconds:0} ms wall {test.WallTime.TotalMilliseconds:0} ms peak {test.PeakMemoryBytes / MiB} MiB {test.Signal} {test.Message}");
        if (report.CompileOutput is { Length: > 0 } compileOutput)
            output.WriteLine(compileOutput);
        return report;
    }

    private static TestOutcome FirstTest(JudgeReport report) => report.Tests[0];

    [Fact]
    public async Task Cpp_vector_growing_past_the_limit_gets_MLE_with_the_peak_above_the_limit()
    {
        var report = await JudgeAsync(new Cpp17(), """
            #include <vector>
            int main() { std::vector<long long> v; for (long long i = 0;; i++) v.push_back(i); }
            """);
        Assert.Equal(Verdict.MLE, report.Verdict);
        var test = FirstTest(report);
        Assert.Equal(Verdict.MLE, test.Verdict);
        Assert.InRange(test.PeakMemoryBytes, Limit + 1, Limit + 64 * MiB);
        Assert.Contains("memory limit of 256.0 MiB exceeded", test.Message);
    }

    [Fact]
    public async Task Cpp_new_of_a_huge_block_gets_MLE_not_RE_even_after_debug_output_on_stderr()
    {
        var report = await JudgeAsync(new Cpp17(), """
            #include <cstdio>
            #include <cstring>
            int main() {
                long long a, b;
                if (std::scanf("%lld %lld", &a, &b) != 2) return 1;
                for (int i = 0; i < 1000; i++) std::fprintf(stderr, "debug line %4d\n", i); // 16 KB before the abort's words
                std::fflush(stderr);
                size_t n = (size_t)(a + b) << 45;
                char *p = new char[n];
                std::memset(p, 1, n);
                std::printf("%d\n", p[n - 1]);
            }
            """);
        Assert.Equal(Verdict.MLE, report.Verdict);
        var test = FirstTest(report);
        Assert.Equal("SIGABRT", test.Signal);
        Assert.Contains("ran out of memory", test.Message);
        Assert.True(test.PeakMemoryBytes < Limit, "bad_alloc is thrown before anything is touched");
    }

    [Fact]
    public async Task Cpp_touching_memory_just_under_the_limit_is_accepted_with_its_peak_reported()
    {
        var report = await JudgeAsync(new Cpp17(), """
            #include <cstdio>
            #include <cstring>
            #include <vector>
            int main() {
                std::vector<char> block(236u << 20);
                std::memset(block.data(), 1, block.size());
                long long a, b, sum = 0;
                for (size_t i = 0; i < block.size(); i += 4096) sum += block[i];
                if (std::scanf("%lld %lld", &a, &b) != 2 || sum == 0) return 1;
                std::printf("%lld\n", a + b);
            }
            """);
        Assert.Equal(Verdict.AC, report.Verdict);
        Assert.All(report.Tests, test => Assert.InRange(test.PeakMemoryBytes, 236 * MiB, Limit));
    }

    private const string AplusB = """
            #include <cstdio>
            int main() { long long a, b; if (std::scanf("%lld %lld", &a, &b) == 2) std::printf("%lld\n", a + b); }
            """;

    [Fact]
    public async Task Cpp_filling_a_large_array_gets_transparent_huge_pages_where_the_host_offers_them()
    {
        var report = await JudgeAsync(new Cpp17(), """
            #include <cstdio>
            #include <cstring>
            #include <vector>
            int main() {
                std::vector<char> block(64u << 20);
                std::memset(block.data(), 1, block.size());
                long long huge = -1, a, b;
                if (std::FILE *f = std::fopen("/proc/self/smaps_rollup", "r")) {
                    char line[256];
                    while (std::fgets(line, sizeof line, f)) std::sscanf(line, "AnonHugePages: %lld kB", &huge);
                    std::fclose(f);
                }
                if (std::scanf("%lld %lld", &a, &b) != 2) return 1;
                if (huge >= 32 * 1024) std::printf("%lld\n", a + b + block[12345] - 1);
                else std::printf("only %lld kB of huge pages\n", huge);
            }
            """);
        // The host decides whether there are any: with mode "never" malloc's request is ignored and the answer is wrong.
        var mode = File.ReadAllText("/sys/kernel/mm/transparent_hugepage/enabled");
        output.WriteLine($"transparent_hugepage/enabled: {mode.Trim()}");
        Assert.Equal(mode.Contains("[never]", StringComparison.Ordinal) ? Verdict.WA : Verdict.AC, report.Verdict);
        Assert.All(report.Tests, test => Assert.InRange(test.PeakMemoryBytes, 64 * MiB, 80 * MiB));
    }

    [Fact]
    public async Task Cpp_touching_memory_sparsely_is_judged_on_its_own_pages_not_on_whole_huge_pages()
    {
        // One byte in every 4 MiB of 1 GiB: 1 MiB of 4 KiB pages, but 512 MiB of 2 MiB pages, over the 256 MiB limit.
        var report = await JudgeAsync(new Cpp17(), """
            #include <cstdio>
            #include <cstdlib>
            int main() {
                const size_t size = 1024u << 20, step = 4u << 20;
                char *p = (char *)std::malloc(size);
                if (!p) return 2;
                for (size_t i = 0; i < size; i += step) p[i] = 1;
                long long a, b, touched = 0;
                for (size_t i = 0; i < size; i += step) touched += p[i];
                if (std::scanf("%lld %lld", &a, &b) != 2) return 1;
                std::printf("%lld\n", a + b + touched - 256);
            }
            """);
        Assert.Equal(Verdict.AC, report.Verdict);
        Assert.All(report.Tests, test => Assert.True(test.PeakMemoryBytes < 32 * MiB, $"{test.Name}: peak {test.PeakMemoryBytes / MiB} MiB"));
    }

    [Fact]
    public async Task A_run_over_its_memory_limit_with_huge_pages_runs_again_without_them_and_that_run_counts_unless_out_of_time()
    {
        // The sandbox answers the program's runs as scripted (compiles are real): MLE with the tunable, then without it.
        var mle = new SandboxResult { Status = SandboxStatus.MemoryLimitExceeded, PeakMemoryBytes = Limit + MiB, Message = "memory limit of 256.0 MiB exceeded" };
        var tle = new SandboxResult { Status = SandboxStatus.CpuTimeLimitExceeded, CpuTime = TimeSpan.FromSeconds(5), PeakMemoryBytes = 200 * MiB, Message = "CPU time limit exceeded" };

        var outOfTime = new ScriptedRuns(TestSandbox.Create(), request => request.Environment.ContainsKey("GLIBC_TUNABLES") ? mle : tle);
        var report = await JudgeAsync(new SubmissionJudge(outOfTime, JudgeOptions.Default with { WorkRoot = TestSandbox.WorkRoot }), new Cpp17(), AplusB);
        Assert.Equal(Verdict.MLE, report.Verdict); // filled densely, too slowly without huge pages: MLE stands
        Assert.Equal(Limit + MiB, FirstTest(report).PeakMemoryBytes);
        Assert.Equal(new[] { true, false }, outOfTime.Runs.Select(r => r.Environment.ContainsKey("GLIBC_TUNABLES")));
        Assert.Equal(new Cpp17().Environment, outOfTime.Runs[1].Environment);

        var sparse = new ScriptedRuns(TestSandbox.Create(), request => request.Environment.ContainsKey("GLIBC_TUNABLES") ? mle : null);
        report = await JudgeAsync(new SubmissionJudge(sparse, JudgeOptions.Default with { WorkRoot = TestSandbox.WorkRoot }), new Cpp17(), AplusB);
        Assert.Equal(Verdict.AC, report.Verdict); // the real run without huge pages counts
        Assert.All(report.Tests, test => Assert.True(test.PeakMemoryBytes < 16 * MiB));
        Assert.Equal(2 * report.Tests.Count, sparse.Runs.Count);

        var off = new ScriptedRuns(TestSandbox.Create(), _ => mle);
        report = await JudgeAsync(new SubmissionJudge(off, JudgeOptions.Default with { WorkRoot = TestSandbox.WorkRoot }),
            LanguageCatalog.Configure(new Cpp17(), new LanguageSettings { HugePages = false }), AplusB);
        Assert.Equal(Verdict.MLE, report.Verdict);
        Assert.Single(off.Runs); // without huge pages an MLE is final
        Assert.False(off.Runs[0].Environment.ContainsKey("GLIBC_TUNABLES"));
    }

    /// <summary>A sandbox that answers runs of the program (<c>./main</c>) as <paramref name="script"/> says (a
    /// <c>null</c> answer runs it for real) and runs everything else, the compiler included, for real.</summary>
    private sealed class ScriptedRuns(ISandbox real, Func<SandboxRequest, SandboxResult?> script) : ISandbox
    {
        public List<SandboxRequest> Runs { get; } = [];

        public async Task<SandboxResult> RunAsync(SandboxRequest request, CancellationToken cancellationToken = default)
        {
            if (request.Argv[0] != "./main")
                return await real.RunAsync(request, cancellationToken);
            Runs.Add(request);
            return script(request) ?? await real.RunAsync(request, cancellationToken);
        }

        public Task<ConnectedResult> RunConnectedAsync(SandboxRequest first, SandboxRequest second, CancellationToken cancellationToken = default) =>
            real.RunConnectedAsync(first, second, cancellationToken);
    }

    [Fact]
    public async Task Python_list_growing_past_the_limit_gets_MLE_well_under_the_time_limit()
    {
        var report = await JudgeAsync(new Python3(), """
            xs = []
            while True:
                xs.append([0] * 64)
            """);
        Assert.Equal(Verdict.MLE, report.Verdict);
        var test = FirstTest(report);
        Assert.True(test.PeakMemoryBytes > Limit, $"peak {test.PeakMemoryBytes}");
        // ended as it passed the limit, not after crawling on near it until a time limit
        Assert.True(test.CpuTime < MemoryHog.Value.Limits.TimeLimit, $"ran {test.CpuTime} of CPU, the limit is {MemoryHog.Value.Limits.TimeLimit}");
        Assert.True(test.WallTime < TimeSpan.FromSeconds(15), $"ran {test.WallTime} of wall time");
    }

    [Fact]
    public async Task Java_array_list_growing_past_the_limit_gets_MLE()
    {
        var report = await JudgeAsync(new Java(), """
            import java.util.ArrayList;
            import java.util.List;
            public class Hog {
                public static void main(String[] args) {
                    List<int[]> keep = new ArrayList<>();
                    while (true) keep.add(new int[1 << 18]);
                }
            }
            """);
        Assert.Equal(Verdict.MLE, report.Verdict);
        Assert.Contains("ran out of memory", FirstTest(report).Message); // the JVM's own OutOfMemoryError, before the sandbox's limit
    }

    [Fact]
    public async Task Java_with_modest_memory_under_a_256_MiB_limit_is_accepted()
    {
        var report = await JudgeAsync(new Java(), """
            import java.util.ArrayList;
            import java.util.List;
            import java.util.Scanner;
            public class Modest {
                public static void main(String[] args) {
                    List<Integer> xs = new ArrayList<>();
                    for (int i = 0; i < 1_000_000; i++) xs.add(i);
                    Scanner in = new Scanner(System.in);
                    long a = in.nextLong(), b = in.nextLong();
                    System.out.println(a + b + xs.get(0));
                }
            }
            """);
        Assert.Equal(Verdict.AC, report.Verdict);
        Assert.All(report.Tests, test => Assert.InRange(test.PeakMemoryBytes, 16 * MiB, Limit));
    }

    [Fact]
    public async Task Program_lowering_its_oom_score_adj_still_gets_MLE_and_the_next_submission_is_judged()
    {
        // Memory written to a memfd is charged to the run but in no process's RSS, and the program's oom_score_adj is
        // back at 0: an OOM killer choosing among the cgroup's processes would pick the slot, were it one of them (IE).
        var report = await JudgeAsync(new Cpp17(), """
            #include <cstdio>
            #include <cstring>
            #include <fcntl.h>
            #include <sys/mman.h>
            #include <unistd.h>
            int main() {
                int adj = open("/proc/self/oom_score_adj", O_WRONLY); // down to the inherited floor, 0 unless set
                if (adj >= 0 && write(adj, "0", 1) == 1) std::fputs("oom_score_adj lowered\n", stderr);
                static char chunk[64 << 10];
                std::memset(chunk, 7, sizeof chunk);
                for (int file = 0; file < 32; file++) { // 32 MiB each: under the file size limit
                    int fd = memfd_create("hog", 0);
                    for (int i = 0; i < 512; i++)
                        if (write(fd, chunk, sizeof chunk) != (ssize_t)sizeof chunk) break;
                }
                long long a, b;
                if (std::scanf("%lld %lld", &a, &b) == 2) std::printf("%lld\n", a + b);
            }
            """);
        Assert.Equal(Verdict.MLE, report.Verdict);
        Assert.True(FirstTest(report).PeakMemoryBytes > Limit);

        var next = await JudgeAsync(new Cpp17(), """
            #include <cstdio>
            int main() { long long a, b; if (std::scanf("%lld %lld", &a, &b) == 2) std::printf("%lld\n", a + b); }
            """);
        Assert.Equal(Verdict.AC, next.Verdict);
    }
}
