using System.Diagnostics;
using System.Text.Json;
using Judge.Cluster.EndToEndTests;

namespace Judge.Sandbox.IntegrationTests;

/// <summary>
/// <c>Judge.Silo verify</c> as problem authors and CI run it: the built silo in a process of its own (as root, so it starts its
/// own sandbox daemon), over real packages, with the real toolchains: what the command reports and how it exits. That every
/// package's submissions get what the package expects is the package suite's (<see cref="PackageSuiteTests"/>, which reads
/// them with the same reader and checks them with the same code).
/// </summary>
public class VerifyCommandTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(8);

    // Programs' uids of their own: the package suite's daemon and the hostile silos' (auto: 60000 upward) and the socket
    // tests' (103000) run in this process at the same time, and RLIMIT_NPROC counts a uid's processes across the whole
    // kernel. Outside auto's ranges (60000..76383): a daemon holds its range, and one that finds it held refuses to start.
    private const int UidBase = 102000;

    [Fact]
    public async Task A_wrong_submission_filed_as_accepted_fails_verification_by_name()
    {
        using var copy = new TemporaryPackage("aplusb");
        File.Move(Path.Combine(copy.Directory, "submissions", "wrong_answer", "difference.py"),
            Path.Combine(copy.Directory, "submissions", "accepted", "difference.py"));

        var (exitCode, stdout, _) = await VerifyAsync("--Judge:Toolchains=python3", copy.Directory);

        Assert.Equal(1, exitCode);
        Assert.Contains("FAIL aplusb/accepted/difference.py: test sample/1 got WA, only AC permitted", stdout);
        Assert.Matches(@"aplusb\s+accepted/difference\.py\s+python3\s+AC\s+WA\s+\S+ s\s+FAIL", stdout);
        // Java and C++ are not offered when Judge:Toolchains says python3: skipped, never counted as agreeing.
        Assert.Contains("5 submissions, 2 agree, 1 disagree, 2 skipped", stdout);
    }

    [Fact]
    public async Task The_json_report_names_each_submission_with_its_result()
    {
        using var copy = new TemporaryPackage("aplusb");
        File.WriteAllText(Path.Combine(copy.Directory, "submissions", "wrong_answer", "int32.py"),
            "# @EXPECTED_RESULTS@: ACCEPTED, TIME_LIMIT_EXCEEDED\n" + File.ReadAllText(Path.Combine(copy.Directory, "submissions", "wrong_answer", "int32.py")));

        var (exitCode, stdout, _) = await VerifyAsync("--json", "--Judge:Toolchains=python3", copy.Directory);

        Assert.Equal(1, exitCode);
        var report = JsonDocument.Parse(stdout).RootElement;
        var int32 = report.GetProperty("submissions").EnumerateArray().Single(s => s.GetProperty("submission").GetString() == "wrong_answer/int32.py");
        Assert.Equal("disagree", int32.GetProperty("result").GetString());
        Assert.Equal("WA", int32.GetProperty("verdict").GetString());
        Assert.Contains("expected AC|TLE", int32.GetProperty("reasons")[0].GetString());
        Assert.Equal(1, report.GetProperty("summary").GetProperty("disagree").GetInt32());
        Assert.Equal(2, report.GetProperty("summary").GetProperty("agree").GetInt32());
    }

    [Fact]
    public async Task A_package_that_does_not_load_fails_verification_with_its_reason()
    {
        using var copy = new TemporaryPackage("aplusb");
        File.WriteAllText(Path.Combine(copy.Directory, "problem.yaml"), "name: [unclosed\n");

        var (exitCode, stdout, _) = await VerifyAsync("--Judge:Toolchains=python3", copy.Directory);

        Assert.Equal(1, exitCode);
        Assert.Contains("FAIL aplusb: the package does not load: problem.yaml", stdout);
        Assert.Contains("0 submissions, 0 agree, 0 disagree, 0 skipped; 1 package(s) failed to load", stdout);
    }

    [Theory]
    [InlineData(new string[0], "name at least one package directory")]
    [InlineData(new[] { "--frobnicate", "examples/problems/aplusb" }, "unknown option '--frobnicate'")]
    [InlineData(new[] { "no/such/package" }, "'no/such/package' is not a directory")]
    [InlineData(new[] { "--Judge:Slots=0", "examples/problems/aplusb" }, "Judge:Slots must be at least 1")]
    public async Task Bad_arguments_exit_2_with_the_usage(string[] args, string problem)
    {
        var (exitCode, _, stderr) = await VerifyAsync(args);

        Assert.Equal(2, exitCode);
        Assert.Contains(problem, stderr);
        Assert.Contains("usage: Judge.Silo verify", stderr);
    }

    private async Task<(int ExitCode, string Stdout, string Stderr)> VerifyAsync(params string[] args)
    {
        var workRoot = Path.Combine(Path.GetTempPath(), "judge-verify-tests");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Repository.Root,
        };
        foreach (var arg in (string[])[SiloProcess.SiloAssembly, "verify", $"--Judge:WorkRoot={workRoot}", $"--Judge:Sandbox:UidBase={UidBase}", "--Judge:Slots=2", .. args])
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"verify {string.Join(' ', args)} did not finish within {Timeout}: {await stdout}\n{await stderr}");
        }
        output.WriteLine(await stdout);
        output.WriteLine(await stderr);
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>A copy of an example package in a directory of its own, deleted afterwards.</summary>
    private sealed class TemporaryPackage : IDisposable
    {
        private readonly string parent = Path.Combine(Path.GetTempPath(), "judge-verify-" + Guid.NewGuid().ToString("N"));

        public TemporaryPackage(string example)
        {
            Directory = Path.Combine(parent, example);
            Copy(Path.Combine(Repository.ExampleProblems, example), Directory);
        }

        public string Directory { get; }

        private static void Copy(string from, string to)
        {
            System.IO.Directory.CreateDirectory(to);
            foreach (var file in System.IO.Directory.GetFiles(from))
                File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
            foreach (var directory in System.IO.Directory.GetDirectories(from))
                Copy(directory, Path.Combine(to, Path.GetFileName(directory)));
        }

        public void Dispose() => System.IO.Directory.Delete(parent, recursive: true);
    }
}
