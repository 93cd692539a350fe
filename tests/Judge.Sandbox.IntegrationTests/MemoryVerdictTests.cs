using Judge.Engine.Judging;
using Judge.Engine.Languages;
using Judge.Engine.Problems;
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

    private async Task<JudgeReport> JudgeAsync(Language language, string source)
    {
        Assert.Equal(Limit, MemoryHog.Value.Limits.MemoryBytes);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var report = await Judge.Value.JudgeAsync(MemoryHog.Value, language, source, IJudgeProgress.None, timeout.Token);
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
