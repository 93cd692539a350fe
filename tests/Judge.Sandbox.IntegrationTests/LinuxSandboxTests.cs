using System.Diagnostics;
using Judge.Engine.Sandbox;
using Judge.Engine.Sandbox.Linux;

namespace Judge.Sandbox.IntegrationTests;

/// <summary>One isolating sandbox daemon shared by the tests of a class.</summary>
public sealed class LinuxSandboxFixture : IAsyncLifetime
{
    public string WorkRoot { get; } = Path.Combine(Path.GetTempPath(), "judge-sandbox-tests-" + Guid.NewGuid().ToString("N")[..8]);
    public LinuxSandbox Sandbox { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Sandbox = await LinuxSandbox.StartAsync(new LinuxSandboxOptions { WorkRoot = WorkRoot, Pool = 2 });
    }

    public async Task DisposeAsync()
    {
        await Sandbox.DisposeAsync();
        Directory.Delete(WorkRoot, recursive: true);
    }

    /// <summary>A fresh directory under the work root.</summary>
    public string NewDirectory()
    {
        var dir = Path.Combine(WorkRoot, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }
}

public class LinuxSandboxTests(LinuxSandboxFixture fixture) : IClassFixture<LinuxSandboxFixture>
{
    private static readonly SandboxLimits Limits = new() { CpuTime = TimeSpan.FromSeconds(2), MemoryBytes = 256L << 20 };

    private async Task<(SandboxResult Result, string Stdout)> RunAsync(string[] argv, string? work = null, string? stdin = null,
        bool persist = false, SandboxLimits? limits = null, Dictionary<string, string>? environment = null)
    {
        work ??= fixture.NewDirectory();
        var io = fixture.NewDirectory();
        string? input = null;
        if (stdin is not null)
        {
            input = Path.Combine(io, "in");
            await File.WriteAllTextAsync(input, stdin);
        }
        var stdout = Path.Combine(io, "out");
        var result = await fixture.Sandbox.RunAsync(new SandboxRequest
        {
            Argv = argv,
            WorkingDirectory = work,
            StdinPath = input,
            StdoutPath = stdout,
            PersistWorkingDirectory = persist,
            Limits = limits ?? Limits,
            Environment = environment ?? SandboxRequest.DefaultEnvironment,
        });
        return (result, File.Exists(stdout) ? await File.ReadAllTextAsync(stdout) : "");
    }

    [Fact]
    public async Task Standard_input_reaches_the_program_and_its_output_comes_back()
    {
        var (result, stdout) = await RunAsync(["/bin/cat"], stdin: "hello sandbox\n");
        Assert.Equal(SandboxStatus.Ok, result.Status);
        Assert.Equal("hello sandbox\n", stdout);
        Assert.True(result.PeakMemoryBytes > 0);
    }

    [Fact]
    public async Task Programs_run_as_an_unprivileged_uid_with_no_capabilities()
    {
        var (result, stdout) = await RunAsync(["/bin/sh", "-c", "id -u; id -g; grep -E '^(CapEff|CapPrm|CapBnd|NoNewPrivs|Seccomp):' /proc/self/status"]);
        Assert.Equal(SandboxStatus.Ok, result.Status);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(int.Parse(lines[0]) >= 60000, stdout);
        Assert.True(int.Parse(lines[1]) >= 60000, stdout);
        Assert.Contains("CapEff:\t0000000000000000", stdout);
        Assert.Contains("CapPrm:\t0000000000000000", stdout);
        Assert.Contains("CapBnd:\t0000000000000000", stdout);
        Assert.Contains("NoNewPrivs:\t1", stdout);
        Assert.Contains("Seccomp:\t2", stdout);
    }

    [Fact]
    public async Task Environment_is_exactly_what_the_request_gives()
    {
        Environment.SetEnvironmentVariable("JUDGE_TEST_HOST_SECRET", "do-not-leak");
        var (result, stdout) = await RunAsync(["/usr/bin/env"], environment: new() { ["ONLY"] = "this" });
        Assert.Equal(SandboxStatus.Ok, result.Status);
        Assert.Equal("ONLY=this\n", stdout);
        var (_, init) = await RunAsync(["/bin/sh", "-c", "cat /proc/1/environ 2>&1; echo; cat /proc/1/cmdline 2>&1"]);
        Assert.DoesNotContain("do-not-leak", init);
    }

    [Fact]
    public async Task The_filesystem_shows_only_system_directories_and_the_run_own_mounts()
    {
        var (result, stdout) = await RunAsync(["/bin/sh", "-c", "ls -a /; echo ---; ls /tmp /dev/shm | wc -l; touch /usr/x 2>&1; touch /x 2>&1; ls /root /home 2>&1; true"]);
        Assert.Equal(SandboxStatus.Ok, result.Status);
        var top = stdout[..stdout.IndexOf("---", StringComparison.Ordinal)].Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.DoesNotContain("root", top);
        Assert.DoesNotContain("home", top);
        Assert.DoesNotContain("var", top);
        Assert.DoesNotContain("opt", top);
        Assert.Contains("work", top);
        Assert.Contains("Read-only file system", stdout);
        Assert.DoesNotContain(fixture.WorkRoot, stdout);
    }

    [Fact]
    public async Task Each_run_starts_from_the_same_files_and_its_changes_are_discarded()
    {
        var work = fixture.NewDirectory();
        await File.WriteAllTextAsync(Path.Combine(work, "given.txt"), "given");
        var first = await RunAsync(["/bin/sh", "-c", "cat given.txt; echo changed > given.txt; echo x > new.txt; echo y > /tmp/t; echo z > /dev/shm/s"], work);
        Assert.Equal(SandboxStatus.Ok, first.Result.Status);
        var second = await RunAsync(["/bin/sh", "-c", "cat given.txt; ls -A; ls -A /tmp; ls -A /dev/shm"], work);
        Assert.Equal("givengiven.txt\n", second.Stdout);
        Assert.Equal("given", await File.ReadAllTextAsync(Path.Combine(work, "given.txt")));
        Assert.False(File.Exists(Path.Combine(work, "new.txt")));
    }

    [Fact]
    public async Task A_persistent_working_directory_keeps_what_the_compiler_writes()
    {
        var work = fixture.NewDirectory();
        var (result, _) = await RunAsync(["/bin/sh", "-c", "echo artifact > out.bin"], work, persist: true);
        Assert.Equal(SandboxStatus.Ok, result.Status);
        Assert.Equal("artifact\n", await File.ReadAllTextAsync(Path.Combine(work, "out.bin")));
    }

    [Fact]
    public async Task There_is_no_network()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        var (result, stdout) = await RunAsync(["/usr/bin/python3", "-c",
            $"import socket\ntry:\n socket.create_connection(('127.0.0.1', {port}), timeout=1); print('connected')\nexcept OSError as e: print('refused', e)"]);
        Assert.Equal(SandboxStatus.Ok, result.Status);
        Assert.StartsWith("refused", stdout);
        Assert.False(listener.Pending());
    }

    [Fact]
    public async Task Cpu_time_of_all_processes_counts_and_the_measured_time_is_reported()
    {
        var limits = Limits with { CpuTime = TimeSpan.FromMilliseconds(500) };
        var (result, _) = await RunAsync(["/bin/sh", "-c", "for i in 1 2 3 4; do (while :; do :; done) & done; wait"], limits: limits);
        Assert.Equal(SandboxStatus.CpuTimeLimitExceeded, result.Status);
        Assert.True(result.CpuTime >= TimeSpan.FromMilliseconds(500), result.CpuTime.ToString());
    }

    [Fact]
    public async Task Memory_over_the_limit_is_reported_as_such()
    {
        var limits = Limits with { MemoryBytes = 64L << 20, LimitAddressSpace = false };
        var (result, _) = await RunAsync(["/usr/bin/python3", "-c", "x = bytearray(200 << 20)\nprint(len(x))"], limits: limits);
        Assert.Equal(SandboxStatus.MemoryLimitExceeded, result.Status);
    }

    [Fact]
    public async Task Daemons_do_not_outlive_their_run()
    {
        var marker = "judge-daemon-" + Guid.NewGuid().ToString("N")[..8];
        var (result, _) = await RunAsync(["/bin/sh", "-c", $"(setsid sh -c 'exec -a {marker} sleep 300' &) ; echo started"]);
        Assert.Equal(SandboxStatus.Ok, result.Status);
        await Task.Delay(200);
        var survivors = Directory.EnumerateDirectories("/proc")
            .Where(d => int.TryParse(Path.GetFileName(d), out _))
            .Select(d => { try { return File.ReadAllText(Path.Combine(d, "cmdline")); } catch (IOException) { return ""; } catch (UnauthorizedAccessException) { return ""; } })
            .Count(c => c.Contains(marker, StringComparison.Ordinal));
        Assert.Equal(0, survivors);
    }

    [Fact]
    public async Task Concurrent_runs_proceed_in_parallel_environments()
    {
        var runs = Enumerable.Range(0, 4).Select(i => RunAsync(["/bin/sh", "-c", $"sleep 0.3; echo {i}"])).ToList();
        var results = await Task.WhenAll(runs);
        Assert.All(results, r => Assert.Equal(SandboxStatus.Ok, r.Result.Status));
        Assert.Equal(["0\n", "1\n", "2\n", "3\n"], results.Select(r => r.Stdout));
    }

    [Fact]
    public async Task Cancelling_a_run_kills_it()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var watch = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => fixture.Sandbox.RunAsync(new SandboxRequest
        {
            Argv = ["/bin/sleep", "30"],
            WorkingDirectory = fixture.NewDirectory(),
            Limits = Limits with { WallTime = TimeSpan.FromSeconds(60) },
        }, cancel.Token));
        // The next run still works: the environment was recycled or replaced.
        var (result, stdout) = await RunAsync(["/bin/echo", "after"]);
        Assert.Equal(SandboxStatus.Ok, result.Status);
        Assert.Equal("after\n", stdout);
    }

    [Fact]
    public async Task Working_directory_outside_the_work_root_is_refused()
    {
        var outside = Directory.CreateTempSubdirectory("judge-outside-").FullName;
        var result = await fixture.Sandbox.RunAsync(new SandboxRequest { Argv = ["/bin/true"], WorkingDirectory = outside, Limits = Limits });
        Assert.Equal(SandboxStatus.InternalError, result.Status);
        Assert.Contains("work", result.Message);
        Directory.Delete(outside);
    }

    [Fact]
    public async Task A_missing_daemon_is_a_clear_startup_error()
    {
        var e = await Assert.ThrowsAsync<SandboxUnavailableException>(() => LinuxSandbox.StartAsync(new LinuxSandboxOptions
        {
            WorkRoot = fixture.WorkRoot,
            HelperPath = "/nonexistent/judge-sandbox",
        }));
        Assert.Contains("/nonexistent/judge-sandbox", e.Message);
    }

    private SandboxRequest Connected(string script, string work, string stderr) => new()
    {
        Argv = ["/usr/bin/python3", "-c", script],
        WorkingDirectory = work,
        StderrPath = stderr,
        Limits = Limits with { MemoryBytes = 512L << 20 },
    };

    [Theory]
    [InlineData(5_000, 10)]     // more fields than the daemon takes
    [InlineData(100, 12_000)]   // more bytes than the daemon takes
    public async Task A_request_too_large_for_the_daemon_is_an_internal_error_saying_so_and_the_sandbox_runs_on(int arguments, int length)
    {
        var argv = new[] { "/bin/true" }.Concat(Enumerable.Repeat(new string('x', length), arguments)).ToArray();
        var (result, _) = await RunAsync(argv).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(SandboxStatus.InternalError, result.Status);
        Assert.Contains("the sandbox request is too large", result.Message);

        var (ok, stdout) = await RunAsync(["/bin/echo", "still", "here"]);
        Assert.Equal(SandboxStatus.Ok, ok.Status);
        Assert.Equal("still here\n", stdout);
    }

    [Fact]
    public async Task Connected_programs_talk_through_pipes_each_in_its_own_sandbox()
    {
        var io = fixture.NewDirectory();
        var asker = Connected("import os, sys\nprint(os.getuid(), flush=True)\npeer = input()\nprint(21, flush=True)\n" +
                              "sys.stderr.write(f'{os.getuid()} {peer} {input()}')", fixture.NewDirectory(), Path.Combine(io, "asker.err"));
        var doubler = Connected("import os, sys\ninput()\nprint(os.getuid(), flush=True)\nprint(int(input()) * 2, flush=True)\n" +
                                "sys.stdin.read()", fixture.NewDirectory(), Path.Combine(io, "doubler.err"));

        var result = await fixture.Sandbox.RunConnectedAsync(asker, doubler);

        Assert.Equal((SandboxStatus.Ok, SandboxStatus.Ok), (result.First.Status, result.Second.Status));
        var words = (await File.ReadAllTextAsync(Path.Combine(io, "asker.err"))).Split(' ');
        Assert.Equal("42", words[2]);
        Assert.NotEqual(words[0], words[1]); // two slots, two uids
        Assert.True(result.FirstEndedFirst); // the doubler read end-of-file only after the asker had ended
    }

    [Fact]
    public async Task Connected_program_that_crashes_is_ordered_before_its_peer_reading_end_of_file()
    {
        var io = fixture.NewDirectory();
        var crasher = Connected("import os\nos.abort()", fixture.NewDirectory(), Path.Combine(io, "a.err"));
        var reader = Connected("import sys\nsys.stdin.read()\nsys.exit(43)", fixture.NewDirectory(), Path.Combine(io, "b.err"));

        var result = await fixture.Sandbox.RunConnectedAsync(crasher, reader);

        Assert.Equal(SandboxStatus.Signaled, result.First.Status);
        Assert.Equal("SIGABRT", result.First.SignalName);
        Assert.Equal(43, result.Second.ExitCode);
        Assert.True(result.FirstEndedFirst);
    }

    [Fact]
    public async Task Connected_peer_that_ends_first_breaks_the_first_programs_pipe_but_never_the_seconds()
    {
        var io = fixture.NewDirectory();
        // the second program ends at once; the first floods its output: SIGPIPE, after the second's end
        var flooder = new SandboxRequest { Argv = ["/usr/bin/yes"], WorkingDirectory = fixture.NewDirectory(), Limits = Limits };
        var quitter = Connected("import sys\nsys.exit(43)", fixture.NewDirectory(), Path.Combine(io, "q.err"));
        var broken = await fixture.Sandbox.RunConnectedAsync(flooder, quitter);
        Assert.Equal("SIGPIPE", broken.First.SignalName);
        Assert.False(broken.FirstEndedFirst);

        // the first program ends at once; the second writes 3 MiB (more than a pipe holds) into the void and ends cleanly
        var quick = new SandboxRequest { Argv = ["/bin/true"], WorkingDirectory = fixture.NewDirectory(), Limits = Limits };
        var writer = new SandboxRequest { Argv = ["/bin/sh", "-c", "head -c 3145728 /dev/zero"], WorkingDirectory = fixture.NewDirectory(), Limits = Limits };
        var discarded = await fixture.Sandbox.RunConnectedAsync(quick, writer);
        Assert.Equal((SandboxStatus.Ok, SandboxStatus.Ok), (discarded.First.Status, discarded.Second.Status));
        Assert.True(discarded.FirstEndedFirst);
    }

    [Fact]
    public async Task Connected_runs_keep_their_own_limits()
    {
        var spinner = new SandboxRequest
        {
            Argv = ["/bin/sh", "-c", "while :; do :; done"],
            WorkingDirectory = fixture.NewDirectory(),
            Limits = Limits with { CpuTime = TimeSpan.FromMilliseconds(300) },
        };
        var waiter = Connected("import sys\nsys.stdin.read()", fixture.NewDirectory(), Path.Combine(fixture.NewDirectory(), "w.err"));

        var result = await fixture.Sandbox.RunConnectedAsync(spinner, waiter);

        Assert.Equal(SandboxStatus.CpuTimeLimitExceeded, result.First.Status);
        Assert.Equal(SandboxStatus.Ok, result.Second.Status);
        Assert.True(result.FirstEndedFirst);
    }

    [Fact]
    public async Task Connected_runs_refuse_standard_stream_files()
    {
        var work = fixture.NewDirectory();
        var plain = new SandboxRequest { Argv = ["/bin/true"], WorkingDirectory = work, Limits = Limits };
        var withFile = plain with { StdoutPath = Path.Combine(work, "out") };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => fixture.Sandbox.RunConnectedAsync(plain, withFile));
        Assert.Contains("StdoutPath", error.Message);
    }
}
