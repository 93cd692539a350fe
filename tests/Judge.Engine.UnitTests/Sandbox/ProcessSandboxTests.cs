using Judge.Engine.Sandbox;
using Judge.Engine.Sandbox.Process;

namespace Judge.Engine.UnitTests.Sandbox;

public sealed class ProcessSandboxTests : IClassFixture<DummyProgram>, IDisposable
{
    private const long MiB = 1024 * 1024;

    private readonly DummyProgram _dummy;
    private readonly ProcessSandbox _sandbox = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("judge-run-").FullName;

    public ProcessSandboxTests(DummyProgram dummy) => _dummy = dummy;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string RunFile(string name) => Path.Combine(_dir, name);

    private SandboxRequest Request(SandboxLimits? limits, params string[] args) => new()
    {
        Argv = [_dummy.ExecutablePath, .. args],
        WorkingDirectory = _dir,
        PersistWorkingDirectory = true, // the tests inspect what the program left in its directory
        StdoutPath = RunFile("stdout.txt"),
        StderrPath = RunFile("stderr.txt"),
        Limits = limits ?? new SandboxLimits { WallTime = TimeSpan.FromSeconds(20) },
    };

    private Task<SandboxResult> Run(params string[] args) => _sandbox.RunAsync(Request(null, args));

    [Fact]
    public async Task Connected_runs_are_refused_clearly_by_the_development_sandbox()
    {
        var request = Request(null, "exit", "0") with { StdoutPath = null };

        var result = await _sandbox.RunConnectedAsync(request, request);

        Assert.Equal((SandboxStatus.InternalError, SandboxStatus.InternalError), (result.First.Status, result.Second.Status));
        Assert.Contains("interactive problems need the isolating sandbox", result.First.Message);
    }

    [Fact]
    public async Task A_run_that_does_not_persist_leaves_its_directory_as_it_was()
    {
        File.WriteAllText(RunFile("given.txt"), "given");
        var result = await _sandbox.RunAsync(Request(null) with
        {
            Argv = ["/bin/sh", "-c", "cat given.txt > seen.txt && echo changed > given.txt && echo new > new.txt"],
            PersistWorkingDirectory = false,
        });
        Assert.Equal(SandboxStatus.Ok, result.Status);
        Assert.Equal("given", File.ReadAllText(RunFile("given.txt")));
        Assert.False(File.Exists(RunFile("new.txt")));
        Assert.False(File.Exists(RunFile("seen.txt")));
        Assert.Empty(Directory.EnumerateDirectories(Path.GetDirectoryName(_dir)!, Path.GetFileName(_dir) + ".run-*"));
    }

    private Task<SandboxResult> Run(SandboxLimits limits, params string[] args) => _sandbox.RunAsync(Request(limits, args));

    private static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static async Task<bool> DiesWithin(int pid, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (IsAlive(pid))
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(20);
        }

        return true;
    }

    [Fact]
    public void The_helper_is_deployed_next_to_the_engine()
    {
        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, ProcessSandbox.HelperFileName)));
        Assert.True(File.Exists(_sandbox.HelperPath));
    }

    [Fact]
    public async Task Clean_exit_is_ok_with_its_output()
    {
        var result = await Run("exit", "0");

        Assert.Equal(SandboxStatus.Ok, result.Status);
        Assert.Equal(0, result.ExitCode);
        Assert.Null(result.Signal);
        Assert.Equal("exiting with 0\n", File.ReadAllText(RunFile("stdout.txt")));
        Assert.Equal(15, result.StdoutBytes);
        Assert.True(result.PeakMemoryBytes > 0);
    }

    [Fact]
    public async Task Non_zero_exit_reports_the_code()
    {
        var result = await Run("exit", "3");

        Assert.Equal(SandboxStatus.NonZeroExit, result.Status);
        Assert.Equal(3, result.ExitCode);
    }

    [Theory]
    [InlineData("SIGSEGV")]
    [InlineData("SIGABRT")]
    public async Task A_crash_reports_the_signal(string signal)
    {
        var result = await Run("raise", signal);

        Assert.Equal(SandboxStatus.Signaled, result.Status);
        Assert.Equal(signal, result.SignalName);
        Assert.Null(result.ExitCode);
    }

    [Fact]
    public async Task Infinite_loop_gets_cpu_time_limit_exceeded()
    {
        var limits = new SandboxLimits { CpuTime = TimeSpan.FromMilliseconds(500), WallTime = TimeSpan.FromSeconds(20) };

        var result = await Run(limits, "spin");

        Assert.Equal(SandboxStatus.CpuTimeLimitExceeded, result.Status);
        Assert.True(result.CpuTime >= limits.CpuTime, $"measured {result.CpuTime}");
        Assert.True(result.CpuTime < TimeSpan.FromSeconds(5), $"measured {result.CpuTime}");
        Assert.StartsWith("CPU time limit of 0.500 s exceeded (", result.Message);
    }

    [Fact]
    public async Task Cpu_time_of_all_threads_is_counted()
    {
        var limits = new SandboxLimits { CpuTime = TimeSpan.FromMilliseconds(600), WallTime = TimeSpan.FromSeconds(20) };

        var result = await Run(limits, "spin-threads", "2");

        Assert.Equal(SandboxStatus.CpuTimeLimitExceeded, result.Status);
        Assert.True(result.CpuTime >= limits.CpuTime, $"measured {result.CpuTime}");
    }

    [Fact]
    public async Task Cpu_time_of_child_processes_is_counted()
    {
        var limits = new SandboxLimits { CpuTime = TimeSpan.FromMilliseconds(600), WallTime = TimeSpan.FromSeconds(20) };

        var result = await Run(limits, "fork-spin", "2");

        Assert.Equal(SandboxStatus.CpuTimeLimitExceeded, result.Status);
        Assert.True(result.CpuTime >= limits.CpuTime, $"measured {result.CpuTime}");
    }

    [Fact]
    public async Task Sleeping_gets_wall_time_limit_exceeded()
    {
        var limits = new SandboxLimits { CpuTime = TimeSpan.FromSeconds(1), WallTime = TimeSpan.FromMilliseconds(300) };

        var result = await Run(limits, "sleep", "60000");

        Assert.Equal(SandboxStatus.WallTimeLimitExceeded, result.Status);
        Assert.True(result.WallTime >= limits.EffectiveWallTime, $"measured {result.WallTime}");
        Assert.True(result.WallTime < TimeSpan.FromSeconds(30), $"measured {result.WallTime}");
        Assert.StartsWith("wall time limit of 0.300 s exceeded (", result.Message);
    }

    [Fact]
    public async Task Closing_the_pipes_does_not_escape_the_wall_limit()
    {
        var limits = new SandboxLimits { CpuTime = TimeSpan.FromSeconds(1), WallTime = TimeSpan.FromMilliseconds(300) };

        var result = await Run(limits, "close-and-sleep", "60000");

        Assert.Equal(SandboxStatus.WallTimeLimitExceeded, result.Status);
    }

    [Fact]
    public async Task Allocating_beyond_the_limit_gets_memory_limit_exceeded()
    {
        var limits = new SandboxLimits { MemoryBytes = 64 * MiB, LimitAddressSpace = false, WallTime = TimeSpan.FromSeconds(20) };

        var result = await Run(limits, "alloc", "200");

        Assert.Equal(SandboxStatus.MemoryLimitExceeded, result.Status);
        Assert.True(result.PeakMemoryBytes > limits.MemoryBytes, $"peak {result.PeakMemoryBytes}");
        Assert.StartsWith("memory limit of 64.0 MiB exceeded", result.Message);
    }

    [Fact]
    public async Task Allocating_within_the_limit_is_ok_and_measured()
    {
        var limits = new SandboxLimits { MemoryBytes = 256 * MiB, LimitAddressSpace = false, WallTime = TimeSpan.FromSeconds(20) };

        var result = await Run(limits, "alloc", "50");

        Assert.Equal(SandboxStatus.Ok, result.Status);
        Assert.True(result.PeakMemoryBytes >= 50 * MiB, $"peak {result.PeakMemoryBytes}");
    }

    [Fact]
    public async Task With_an_address_space_limit_a_large_allocation_fails()
    {
        var limits = new SandboxLimits { MemoryBytes = 64 * MiB, LimitAddressSpace = true, WallTime = TimeSpan.FromSeconds(20) };

        var result = await Run(limits, "alloc", "200");

        Assert.Contains(result.Status, new[] { SandboxStatus.NonZeroExit, SandboxStatus.Signaled, SandboxStatus.MemoryLimitExceeded });
        Assert.DoesNotContain("allocated", File.ReadAllText(RunFile("stdout.txt")));
    }

    [Fact]
    public async Task Flooding_stdout_gets_output_limit_exceeded()
    {
        var limits = new SandboxLimits { OutputBytes = 1 * MiB, WallTime = TimeSpan.FromSeconds(20) };

        var result = await Run(limits, "write", "50");

        Assert.Equal(SandboxStatus.OutputLimitExceeded, result.Status);
        Assert.Equal(limits.OutputBytes, result.StdoutBytes);
        Assert.Equal(limits.OutputBytes, new FileInfo(RunFile("stdout.txt")).Length);
    }

    [Fact]
    public async Task Output_up_to_the_limit_is_ok()
    {
        var limits = new SandboxLimits { OutputBytes = 2 * MiB, WallTime = TimeSpan.FromSeconds(20) };

        var result = await Run(limits, "write", "2");

        Assert.Equal(SandboxStatus.Ok, result.Status);
        Assert.Equal(2 * MiB, result.StdoutBytes);
    }

    [Fact]
    public async Task Writing_a_file_beyond_the_size_limit_gets_output_limit_exceeded()
    {
        var limits = new SandboxLimits { FileSizeBytes = 1 * MiB, WallTime = TimeSpan.FromSeconds(20) };

        var result = await Run(limits, "write-file", "5");

        Assert.Equal(SandboxStatus.OutputLimitExceeded, result.Status);
        Assert.Equal("SIGXFSZ", result.SignalName);
        Assert.Equal(1 * MiB, new FileInfo(RunFile("big.txt")).Length);
    }

    [Fact]
    public async Task Flooding_stderr_is_truncated_and_the_run_is_ok()
    {
        var limits = new SandboxLimits { StderrBytes = 1000, WallTime = TimeSpan.FromSeconds(20) };

        var result = await Run(limits, "write-stderr", "20");

        Assert.Equal(SandboxStatus.Ok, result.Status);
        Assert.Equal(1000, new FileInfo(RunFile("stderr.txt")).Length);
        Assert.Equal("done\n", File.ReadAllText(RunFile("stdout.txt")));
    }

    [Fact]
    public async Task Merged_stderr_goes_into_the_stdout_file_under_one_cap()
    {
        var request = Request(new SandboxLimits { OutputBytes = 1 * MiB, WallTime = TimeSpan.FromSeconds(20) }, "write-stderr", "2")
            with { MergeStderrIntoStdout = true };

        var result = await _sandbox.RunAsync(request);

        Assert.Equal(SandboxStatus.OutputLimitExceeded, result.Status);
        Assert.Equal(1 * MiB, new FileInfo(RunFile("stdout.txt")).Length);
    }

    [Fact]
    public async Task The_environment_is_exactly_the_one_given()
    {
        Environment.SetEnvironmentVariable("JUDGE_SECRET_TEST", "1");
        var request = Request(null, "env") with
        {
            Environment = new Dictionary<string, string> { ["ONLY"] = "this", ["PATH"] = "/usr/bin" },
        };

        var result = await _sandbox.RunAsync(request);

        Assert.Equal(SandboxStatus.Ok, result.Status);
        var lines = File.ReadAllLines(RunFile("stdout.txt")).Order(StringComparer.Ordinal);
        Assert.Equal(["ONLY=this", "PATH=/usr/bin"], lines);
    }

    [Fact]
    public async Task Stdin_is_fed_from_the_file()
    {
        File.WriteAllText(RunFile("input.txt"), "1 2 3\nhello\n");
        var request = Request(null, "echo") with { StdinPath = RunFile("input.txt") };

        var result = await _sandbox.RunAsync(request);

        Assert.Equal(SandboxStatus.Ok, result.Status);
        Assert.Equal("1 2 3\nhello\n", File.ReadAllText(RunFile("stdout.txt")));
    }

    [Fact]
    public async Task Without_stdin_the_input_is_empty()
    {
        var result = await Run("echo");

        Assert.Equal(SandboxStatus.Ok, result.Status);
        Assert.Equal(0, result.StdoutBytes);
    }

    [Fact]
    public async Task A_missing_program_is_an_internal_error()
    {
        var request = Request(null) with { Argv = [Path.Combine(_dir, "no-such-program")] };

        var result = await _sandbox.RunAsync(request);

        Assert.Equal(SandboxStatus.InternalError, result.Status);
        Assert.Contains("No such file", result.Message);
    }

    [Fact]
    public async Task A_program_exiting_127_is_not_mistaken_for_a_failed_start()
    {
        var result = await Run("exit", "127");

        Assert.Equal(SandboxStatus.NonZeroExit, result.Status);
        Assert.Equal(127, result.ExitCode);
    }

    [Fact]
    public async Task A_missing_helper_is_an_internal_error()
    {
        var sandbox = new ProcessSandbox(Path.Combine(_dir, "no-judge-exec"));

        var result = await sandbox.RunAsync(Request(null, "exit", "0"));

        Assert.Equal(SandboxStatus.InternalError, result.Status);
        Assert.Contains("no-judge-exec", result.Message);
    }

    [Fact]
    public async Task Output_files_are_not_followed_through_symlinks()
    {
        var target = RunFile("target.txt");
        File.WriteAllText(target, "keep");
        File.CreateSymbolicLink(RunFile("stdout.txt"), target);

        var result = await Run("exit", "0");

        Assert.Equal(SandboxStatus.InternalError, result.Status);
        Assert.Equal("keep", File.ReadAllText(target));
    }

    [Fact]
    public async Task Invalid_requests_are_rejected()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _sandbox.RunAsync(Request(null) with { Argv = [] }));
        await Assert.ThrowsAsync<ArgumentException>(() => _sandbox.RunAsync(Request(null) with { Argv = ["dummy"] }));
        await Assert.ThrowsAsync<ArgumentException>(() =>
            _sandbox.RunAsync(Request(null, "exit", "0") with { WorkingDirectory = Path.Combine(_dir, "missing") }));
    }

    [Fact]
    public async Task Cancelling_kills_the_program()
    {
        var limits = new SandboxLimits { CpuTime = TimeSpan.FromSeconds(60), WallTime = TimeSpan.FromSeconds(120) };
        using var cts = new CancellationTokenSource();
        var run = _sandbox.RunAsync(Request(limits, "spin", "spin.pid"), cts.Token);
        var pidFile = RunFile("spin.pid");
        for (var i = 0; i < 1000 && !File.Exists(pidFile); i++)
        {
            await Task.Delay(10);
        }

        var pid = int.Parse(File.ReadAllText(pidFile).Trim());
        Assert.True(IsAlive(pid));

        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.True(await DiesWithin(pid, TimeSpan.FromSeconds(10)), $"spin {pid} survived cancellation");
    }

    [Fact]
    public async Task Daemons_do_not_outlive_the_run()
    {
        var result = await Run("daemon");

        Assert.Equal(SandboxStatus.Ok, result.Status);
        var pid = int.Parse(File.ReadAllText(RunFile("daemon.pid")).Trim());
        Assert.True(await DiesWithin(pid, TimeSpan.FromSeconds(2)), $"daemon {pid} survived the run");
    }

    [Fact]
    public async Task A_grandchild_holding_the_pipes_does_not_hang_the_run()
    {
        var result = await Run("grandchild-holds-pipe");

        Assert.Equal(SandboxStatus.Ok, result.Status);
        Assert.Equal("parent done\n", File.ReadAllText(RunFile("stdout.txt")));
        var pid = int.Parse(File.ReadAllText(RunFile("grandchild.pid")).Trim());
        Assert.True(await DiesWithin(pid, TimeSpan.FromSeconds(2)), $"grandchild {pid} survived the run");
    }
}
