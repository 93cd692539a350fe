using System.Diagnostics;
using Xunit.Abstractions;

namespace Judge.Engine.UnitTests.Sandbox;

/// <summary>
/// Runs tests/cgroupv2/run-vm.sh: the judge-sandbox daemon next to this assembly and its protocol driver
/// (tests/sandboxd/drive.py --cgroup v2) in a throwaway VM whose Debian 6.1 kernel has nothing but cgroup v2, as
/// production's nodes, inside a pod emulated with the sandbox entrypoint of deploy/docker. The development machine has
/// cgroup v1 only, so this is the one place where the daemon's v2 code meets a real kernel: the test fails, never
/// skips, when the VM cannot run. An emulated VM keeps the host's cores busy: it runs alone, not beside tests that
/// measure time.
/// </summary>
[Collection(Name)]
public sealed class JudgeSandboxDaemonCgroupV2Tests(ITestOutputHelper output)
{
    /// <summary>The collection that runs by itself.</summary>
    public const string Name = "cgroup v2 VM";

    private static string Binary => Path.Combine(AppContext.BaseDirectory, "judge-sandbox");

    /// <summary>What drive.py checks of v2 in particular; each must be among the passed lines.</summary>
    private static readonly string[] V2Checks =
    [
        "PASS --cgroup auto picks v2",
        "PASS v2 in a cgroup holding other processes",
        "PASS stale judge-<pid> cgroups removed at the next start",
        "PASS mle_cgroup",
        "PASS alloc_within_limit",
        "PASS fork_bomb",
        "PASS threads_cpu_summed",
        "PASS run_cgroups_removed",
        "PASS v2_daemon_in_its_own_leaf",
        "PASS v2_next_run_cgroups_limited_swap_off",
        "PASS v2_oom_kill_is_mle_with_peak",
        "PASS memory_past_the_limit_is_mle_with_the_peak_above_it",
        "PASS kernel_oom_kill_picks_the_run_never_the_slot",
        "PASS slots_wait_outside_the_cgroups_of_runs",
        "PASS v2_fork_bomb_hits_pids_max",
        "PASS v2_cpu_of_all_processes",
        "PASS no run cgroups left after shutdown",
    ];

    [Fact]
    public void Protocol_driver_passes_every_check_on_a_pure_cgroup_v2_kernel()
    {
        Assert.True(OperatingSystem.IsLinux(), "the cgroup v2 VM test needs Linux (qemu, the daemon)");
        Assert.True(Environment.UserName == "root",
            "the cgroup v2 VM test needs root: the daemon in the VM runs as root from this machine's root filesystem");

        var (exit, stdout, stderr) = ToolProcess.Run(TimeSpan.FromMinutes(20), Path.Combine(Repository.Root, "tests", "cgroupv2", "run-vm.sh"),
            "--binary", Binary, "--timeout", "900");
        output.WriteLine(stdout);
        output.WriteLine(stderr);

        Assert.True(exit != 3, "the cgroup v2 VM could not run (scripts/setup.sh installs qemu-system-x86 and cpio):\n" + stderr);
        var lines = stdout.Split('\n', StringSplitOptions.TrimEntries);
        Assert.Contains("VM-facts: cgroup-v1-mounts 0", lines);
        Assert.Contains("VM-facts: cgroup-fs cgroup2fs", lines);
        Assert.Contains("VM-facts: memory.swap.max present", lines);
        Assert.Contains(lines, l => l.StartsWith("VM-facts: kernel 6.1.", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("PASS ready line:", StringComparison.Ordinal) && l.Contains("\"cgroup\": \"v2\"", StringComparison.Ordinal));

        var failed = lines.Where(l => l.StartsWith("FAIL", StringComparison.Ordinal)).ToList();
        Assert.True(failed.Count == 0, "failed in the VM:\n" + string.Join('\n', failed) + "\n" + stderr);
        foreach (var check in V2Checks)
        {
            Assert.Contains(lines, l => l.StartsWith(check, StringComparison.Ordinal));
        }

        Assert.True(lines.Count(l => l.StartsWith("PASS ", StringComparison.Ordinal)) >= 55, stdout);
        Assert.Contains("VM-RESULT rc=0", lines);
        Assert.True(exit == 0, stdout + stderr);
    }
}

/// <summary>The VM test's collection: never in parallel with other tests.</summary>
[CollectionDefinition(JudgeSandboxDaemonCgroupV2Tests.Name, DisableParallelization = true)]
public sealed class CgroupV2VmCollection;
