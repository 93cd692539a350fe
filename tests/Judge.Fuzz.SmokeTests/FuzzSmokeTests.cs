using System.Diagnostics;
using Xunit.Abstractions;

namespace Judge.Fuzz.SmokeTests;

/// <summary>A short fixed-time fuzz of each boundary that parses untrusted bytes (tests/fuzz/run.sh): any crash, hang or
/// broken invariant fails the test and names where the findings are kept.</summary>
public sealed class FuzzSmokeTests(ITestOutputHelper output, FuzzSmokeTests.Findings findings) : IClassFixture<FuzzSmokeTests.Findings>
{
    /// <summary>One output directory for every target, so that the .NET harness is built and instrumented once; deleted at
    /// the end unless a target failed (its findings stay there).</summary>
    public sealed class Findings : IDisposable
    {
        public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("judge-fuzz-smoke-").FullName;

        public bool Failed { get; set; }

        public void Dispose()
        {
            if (!Failed)
                System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    /// <summary>Seconds per target: JUDGE_FUZZ_SMOKE_SECONDS, 20 by default.</summary>
    private static readonly int Seconds = int.TryParse(Environment.GetEnvironmentVariable("JUDGE_FUZZ_SMOKE_SECONDS"), out var s) && s > 0 ? s : 20;

    [Fact]
    public Task Sandbox_daemon_request_parser_survives_a_fuzz_smoke() => SmokeAsync("sandboxd");

    [Fact]
    public Task Submission_json_readers_survive_a_fuzz_smoke() => SmokeAsync("submission");

    [Fact]
    public Task Problem_package_loader_survives_a_fuzz_smoke() => SmokeAsync("package");

    private async Task SmokeAsync(string target)
    {
        try
        {
            await RunAsync(target);
        }
        catch
        {
            findings.Failed = true;
            throw;
        }
    }

    private async Task RunAsync(string target)
    {
        var start = new ProcessStartInfo(Path.Combine(Repository.Root, "tests", "fuzz", "run.sh"))
        {
            ArgumentList = { Seconds.ToString(System.Globalization.CultureInfo.InvariantCulture), target },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["JUDGE_FUZZ_OUT"] = findings.Directory },
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(Seconds + 600));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"tests/fuzz/run.sh {Seconds} {target} did not end within {Seconds + 600} s; its files are in {findings.Directory}");
        }
        var summary = (await stdout).Trim();
        output.WriteLine(summary);
        output.WriteLine(await stderr);
        Assert.True(process.ExitCode == 0, $"tests/fuzz/run.sh {Seconds} {target} failed (exit {process.ExitCode}): {summary}\n{await stderr}");
        Assert.Matches($@"^fuzz {target} +[1-9][0-9]* execs +0 crashes +0 hangs in {Seconds}s: OK$", summary);
    }
}
