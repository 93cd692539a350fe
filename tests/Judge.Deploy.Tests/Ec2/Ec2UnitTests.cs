using System.Text.RegularExpressions;

namespace Judge.Deploy.Tests.Ec2;

/// <summary>A temporary root for <c>systemd-analyze verify --root</c>: the units in /etc/systemd/system, the programs
/// their Exec lines name at their installed paths (the built judge-sandbox, a copy of the dotnet host, the drain
/// script) and a copy of this host's /usr/lib/systemd/system (verify resolves sysinit.target and the other standard
/// units there). Nothing else is stubbed.</summary>
public sealed class UnitRoot : IDisposable
{
    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("judge-units-").FullName;

    public UnitRoot()
    {
        var units = Place("etc/systemd/system");
        foreach (var unit in Ec2Files.Units)
            File.Copy(Ec2Files.Path("systemd/" + unit), System.IO.Path.Combine(units, unit));
        Copy(System.IO.Path.Combine(AppContext.BaseDirectory, "judge-sandbox"), "opt/judge/silo/judge-sandbox");
        Copy(new FileInfo("/usr/bin/dotnet").ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? "/usr/bin/dotnet", "usr/bin/dotnet");
        Copy(Ec2Files.Path("bin/judge-lifecycle.sh"), "opt/judge/deploy/ec2/bin/judge-lifecycle.sh");
        var system = Place("usr/lib/systemd/system");
        foreach (var file in System.IO.Directory.EnumerateFiles("/usr/lib/systemd/system"))
        {
            if (!new FileInfo(file).Attributes.HasFlag(FileAttributes.ReparsePoint))
                File.Copy(file, System.IO.Path.Combine(system, System.IO.Path.GetFileName(file)));
        }
    }

    private string Place(string relative) => System.IO.Directory.CreateDirectory(System.IO.Path.Combine(Directory, relative)).FullName;

    private void Copy(string source, string relative)
    {
        var target = System.IO.Path.Combine(Directory, relative);
        System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
        File.Copy(source, target);
        File.SetUnixFileMode(target, (UnixFileMode)0b111_101_101);
    }

    /// <summary>systemd-analyze verify of the given units (paths inside the root), without the man page lookups.</summary>
    public Tool.Output Verify(IEnumerable<string> units) => Tool.Run("systemd-analyze",
        ["verify", "--man=no", "--root=" + Directory, .. units.Select(u => System.IO.Path.Combine(Directory, "etc/systemd/system", u))],
        package: "systemd");

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}

/// <summary>deploy/ec2/systemd: the units verify cleanly, the daemon is the only privileged process and keeps only the
/// capabilities the contract lists, the silo and the ingress run unprivileged, the silo's stop outlasts its drain.</summary>
public class Ec2UnitTests(UnitRoot root) : IClassFixture<UnitRoot>
{
    private static readonly string[] DaemonCapabilities =
        ["CAP_SYS_ADMIN", "CAP_SETUID", "CAP_SETGID", "CAP_SETPCAP", "CAP_CHOWN", "CAP_FOWNER", "CAP_DAC_OVERRIDE", "CAP_KILL", "CAP_SYS_CHROOT"];

    [Fact]
    public void Every_unit_passes_systemd_analyze_verify_without_a_warning()
    {
        var result = root.Verify(Ec2Files.Units);
        // verify exits 0 even for unknown keys and unparsable values ("..., ignoring"): any output is a failure.
        Assert.True(result.ExitCode == 0 && result.All.Length == 0, $"systemd-analyze verify exited {result.ExitCode}:\n{result.All}");
    }

    [Fact]
    public void A_misspelt_setting_fails_the_verification()
    {
        var unit = System.IO.Path.Combine(root.Directory, "etc/systemd/system/judge-typo.service");
        File.WriteAllText(unit, File.ReadAllText(Ec2Files.Path("systemd/judge-silo.service")).Replace("ProtectSystem=strict", "ProtectSytem=strict"));
        try
        {
            Assert.Contains("Unknown key 'ProtectSytem'", root.Verify(["judge-typo.service"]).All);
        }
        finally
        {
            File.Delete(unit);
        }
    }

    [Fact]
    public void Sandbox_daemon_listens_for_the_silo_user_and_keeps_only_the_capabilities_it_needs()
    {
        var unit = Ec2Files.Unit("judge-sandbox.service");
        Assert.Null(unit["User"]); // root: the only privileged judge process
        Assert.Equal("notify", unit["Type"]);
        Assert.Equal("judge", unit["RuntimeDirectory"]);
        Assert.Equal("0755", unit["RuntimeDirectoryMode"]);
        Assert.Equal("yes", unit["Delegate"]);
        Assert.Equal(DaemonCapabilities.Order(), unit.Words("CapabilityBoundingSet").Order());
        Assert.Equal("yes", unit["NoNewPrivileges"]);
        Assert.Equal("yes", unit["PrivateNetwork"]);
        // A seccomp filter set by systemd would be inherited by every compiler and program the daemon runs.
        Assert.Null(unit["SystemCallFilter"]);
        Assert.Null(unit["MemoryDenyWriteExecute"]);
        Assert.Null(unit["RestrictNamespaces"]);
        var exec = unit["ExecStart"]!.Split(' ');
        Assert.Equal("/opt/judge/silo/judge-sandbox", exec[0]);
        Assert.Equal("/run/judge/sandbox.sock", Flag(exec, "--listen"));
        Assert.Equal("10001", Flag(exec, "--client-uid"));
        Assert.Equal("/var/lib/judge/work", Flag(exec, "--work-root"));
        Assert.DoesNotContain("--cgroup-root", exec); // its own, delegated cgroup (the unit's comment says why)
    }

    [Fact]
    public void Silo_runs_as_judge_without_any_privilege_after_the_daemon()
    {
        var unit = Ec2Files.Unit("judge-silo.service");
        Assert.Equal("judge", unit["User"]);
        Assert.Equal("", unit["CapabilityBoundingSet"]);
        Assert.Equal("", unit["AmbientCapabilities"]);
        Assert.Equal("yes", unit["NoNewPrivileges"]);
        Assert.Equal("strict", unit["ProtectSystem"]);
        Assert.Equal(["/var/lib/judge"], unit.Words("ReadWritePaths"));
        Assert.Equal("yes", unit["PrivateDevices"]);
        Assert.Equal("@system-service", unit["SystemCallFilter"]);
        Assert.Contains("AF_UNIX", unit.Words("RestrictAddressFamilies"));
        Assert.Null(unit["MemoryDenyWriteExecute"]); // the JIT
        Assert.Contains("judge-sandbox.service", unit.Words("Requires", "Unit"));
        Assert.Contains("judge-sandbox.service", unit.Words("After", "Unit"));
        Assert.Equal("/etc/judge/judge.env", unit["EnvironmentFile"]);
        Assert.Equal("/usr/bin/dotnet /opt/judge/silo/Judge.Silo.dll", unit["ExecStart"]);
        Assert.Equal("SIGTERM", unit["KillSignal"]);
    }

    [Theory]
    [InlineData("judge-silo.service")]
    [InlineData("judge-ingress.service")]
    public void A_host_is_started_again_after_a_failure_but_not_after_refusing_its_configuration(string name)
    {
        var unit = Ec2Files.Unit(name);
        Assert.Equal("on-failure", unit["Restart"]);
        Assert.Equal([Microsoft.AspNetCore.Builder.InvalidConfiguration.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            unit.Words("RestartPreventExitStatus"));
    }

    [Fact]
    public void Silo_stop_timeout_outlasts_the_drain_and_the_hosts_own_shutdown_limit()
    {
        var unit = Ec2Files.Unit("judge-silo.service");
        var drain = TimeSpan.Parse(Ec2Bootstrap.Template("judge.env.example")["Judge__Recovery__DrainTimeout"], System.Globalization.CultureInfo.InvariantCulture);
        var stop = TimeSpan.FromSeconds(int.Parse(unit["TimeoutStopSec"]!, System.Globalization.CultureInfo.InvariantCulture));
        // The host allows drain + 30 s for its whole stop (README, graceful shutdown); systemd must not SIGKILL before.
        Assert.True(stop > drain + TimeSpan.FromSeconds(30), $"TimeoutStopSec {stop} is not above drain {drain} + 30 s");
    }

    [Fact]
    public void Ingress_runs_as_its_own_user_without_any_privilege()
    {
        var unit = Ec2Files.Unit("judge-ingress.service");
        Assert.Equal("judge-ingress", unit["User"]);
        Assert.Equal("", unit["CapabilityBoundingSet"]);
        Assert.Equal("yes", unit["NoNewPrivileges"]);
        Assert.Equal("strict", unit["ProtectSystem"]);
        Assert.Equal("/etc/judge/judge-ingress.env", unit["EnvironmentFile"]);
        Assert.Equal("/usr/bin/dotnet /opt/judge/ingress/Judge.Ingress.dll", unit["ExecStart"]);
    }

    [Fact]
    public void Lifecycle_helper_runs_the_shipped_drain_script()
    {
        var unit = Ec2Files.Unit("judge-lifecycle.service");
        Assert.Equal("/opt/judge/deploy/ec2/bin/judge-lifecycle.sh", unit["ExecStart"]);
        Assert.True(File.GetUnixFileMode(Ec2Files.Path("bin/judge-lifecycle.sh")).HasFlag(UnixFileMode.UserExecute));
        Assert.Equal("", unit["CapabilityBoundingSet"]);
    }

    private static string Flag(string[] words, string flag)
    {
        var at = Array.IndexOf(words, flag);
        Assert.True(at >= 0 && at + 1 < words.Length, $"{flag} is missing");
        return words[at + 1];
    }
}
