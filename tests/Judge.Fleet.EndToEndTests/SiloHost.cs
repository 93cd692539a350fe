using System.Net;
using System.Net.Sockets;
using System.Text;
using Judge.Deploy.Tests.Ec2;

namespace Judge.Fleet.EndToEndTests;

/// <summary>One EC2 silo host in its namespace, set up as deploy/ec2 sets one up: /etc/judge/sandbox.env from
/// common.sh's judge_sandbox_env, /etc/judge/judge.env rendered from judge.env.example by common.sh's judge_render_env,
/// judge-sandbox.service's ExecStart as root (its capability bounding set, no_new_privs, READY=1 over NOTIFY_SOCKET),
/// then judge-silo.service's ExecStartPre and ExecStart as uid 10001 without capabilities.</summary>
public sealed class SiloHost : IAsyncDisposable
{
    private readonly Fleet fleet;
    private readonly Dictionary<string, string> paths;
    private readonly string root;
    private HostProcess? daemon;
    private HostProcess? silo;

    public SiloHost(Fleet fleet, string name, string address, string toolchains, int uidBase)
    {
        this.fleet = fleet;
        Name = name;
        Address = address;
        Toolchains = toolchains;
        UidBase = uidBase;
        root = Path.Combine(fleet.Directory, name);
        paths = new()
        {
            ["/run/judge"] = Path.Combine(root, "run", "judge"),
            ["/var/lib/judge"] = Path.Combine(root, "var", "lib", "judge"),
            ["/etc/judge"] = Path.Combine(root, "etc", "judge"),
            ["/opt/judge/silo"] = fleet.SiloDirectory,
        };
        Http = new HttpClient { BaseAddress = new Uri($"http://{address}:8080"), Timeout = TimeSpan.FromSeconds(30) };
        Http.DefaultRequestHeaders.Authorization = new("Bearer", fleet.ApiKey);
    }

    public string Name { get; }

    public string Address { get; }

    /// <summary>Judge__Toolchains of this host.</summary>
    public string Toolchains { get; }

    /// <summary>The daemon's --uid-base: hosts that share one kernel must not share the programs' uids.</summary>
    public int UidBase { get; }

    public HttpClient Http { get; }

    public string Namespace => FleetNetwork.Namespace(Name);

    /// <summary>How other silos and results name this one: <c>S&lt;address&gt;:11111:</c>.</summary>
    public string SiloPrefix => $"S{Address}:11111:";

    public string RecentLog => $"{daemon?.RecentLog}\n{silo?.RecentLog}";

    /// <summary>The host's first boot: directories, environment files, the daemon, then the silo.</summary>
    public async Task BootAsync()
    {
        // What the user-data does: /var/lib/judge owned by judge (0750), /etc/judge; systemd makes /run/judge (0755).
        var state = Directory.CreateDirectory(paths["/var/lib/judge"]).FullName;
        Shell.Run("chown", "10001:10001", state);
        Shell.Run("chmod", "0750", state);
        Directory.CreateDirectory(paths["/etc/judge"]);
        Directory.CreateDirectory(paths["/run/judge"]);
        Shell.Run("chmod", "0755", paths["/run/judge"]);
        WriteEnvironment();
        await StartDaemonAsync();
        await StartSiloAsync();
    }

    private const int Slots = 1;

    private void WriteEnvironment()
    {
        var sandbox = Ec2Bootstrap.RunCommon($"judge_sandbox_env '{paths["/etc/judge"]}/sandbox.env'",
            new Dictionary<string, string> { ["SLOTS"] = Slots.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        Assert.True(sandbox.ExitCode == 0, sandbox.All);
        var values = new Dictionary<string, string>
        {
            ["CONNECTION_STRING"] = fleet.ConnectionString,
            ["CLUSTER_ID"] = "judge-fleet",
            ["SERVICE_ID"] = "judge-fleet",
            ["PRIVATE_IP"] = Address,
            ["TOOLCHAINS"] = Toolchains,
            ["SLOTS"] = Slots.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["PROBLEMS_BUCKET"] = Fleet.ProblemsBucket,
            ["REGION"] = Fleet.Region,
            ["RESULTS_QUEUE_URL"] = fleet.ResultsQueueUrl,
            ["API_KEY_SHA256"] = fleet.ApiKeySha256,
            ["COOKIE_SECRET"] = "fleet-rehearsal-cookie-secret-0123456789",
        };
        Ec2Bootstrap.Render("judge.env.example", Path.Combine(paths["/etc/judge"], "judge.env"), values);
    }

    private async Task StartDaemonAsync()
    {
        var unit = Ec2Files.Unit("judge-sandbox.service");
        var environment = File.ReadAllLines(UnitCommand.Move(unit["EnvironmentFile"]!, paths))
            .ToDictionary(l => l[..l.IndexOf('=')], l => l[(l.IndexOf('=') + 1)..]);
        var command = UnitCommand.Expand(unit["ExecStart"]!, environment, paths);
        command.AddRange(["--uid-base", UidBase.ToString(System.Globalization.CultureInfo.InvariantCulture)]);

        // Type=notify: the daemon says READY=1 on the datagram socket named by NOTIFY_SOCKET (a path: it works
        // across network namespaces), as systemd listens for it.
        var notifyPath = Path.Combine(root, "notify.sock");
        File.Delete(notifyPath);
        using var notify = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        notify.Bind(new UnixDomainSocketEndPoint(notifyPath));
        daemon = new HostProcess($"{Name}/judge-sandbox", Namespace, [.. UnitCommand.Privileges(unit), .. command],
            new Dictionary<string, string> { ["NOTIFY_SOCKET"] = notifyPath }, "/");
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            int received;
            try
            {
                received = await notify.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"{Name}: judge-sandbox sent no READY=1 within 60 s (exited: {daemon.HasExited}):\n{daemon.RecentLog}");
            }
            if (Encoding.UTF8.GetString(buffer, 0, received).Split('\n').Contains("READY=1"))
                break;
        }
    }

    /// <summary>judge-silo.service's start: each ExecStartPre to completion, then ExecStart; waits for /ready.</summary>
    public async Task StartSiloAsync()
    {
        var unit = Ec2Files.Unit("judge-silo.service");
        var environment = Ec2Bootstrap.ReadEnvironmentFile(UnitCommand.Move(unit["EnvironmentFile"]!, paths))
            .ToDictionary(e => e.Key, e => UnitCommand.Move(e.Value, paths));
        // What only the rehearsal adds: the emulator's endpoints and credentials (an instance profile on EC2), a home.
        environment["Judge__Problems__S3__ServiceUrl"] = fleet.EmulatorUrl;
        environment["Judge__Results__ServiceUrl"] = fleet.EmulatorUrl;
        environment["AWS_ACCESS_KEY_ID"] = Fleet.AccessKey;
        environment["AWS_SECRET_ACCESS_KEY"] = Fleet.SecretKey;
        environment["HOME"] = paths["/var/lib/judge"];
        environment["Logging__LogLevel__Default"] = "Warning";
        environment["Logging__LogLevel__Judge.Grains.Workers.JudgeDrain"] = "Information";
        var privileges = UnitCommand.Privileges(unit);
        var workingDirectory = UnitCommand.Move(unit["WorkingDirectory"]!, paths);

        // Restart=on-failure: a failed ExecStartPre (the database not reachable yet, say on a host whose link has just
        // come back) fails the start, and systemd starts the unit again after RestartSec. The rehearsal does the same,
        // a bounded number of times, and fails with every attempt's log.
        Assert.Equal("on-failure", unit["Restart"]);
        var restartSec = TimeSpan.FromSeconds(int.Parse(unit["RestartSec"]!, System.Globalization.CultureInfo.InvariantCulture));
        var failures = new List<string>();
        while (!await RunStartPreAsync(unit, privileges, environment, workingDirectory, failures))
        {
            Assert.True(failures.Count < MaxStarts, $"{Name}: judge-silo.service failed to start {failures.Count} times:\n{string.Join("\n", failures)}");
            await Task.Delay(restartSec);
        }
        silo = new HostProcess($"{Name}/judge-silo", Namespace, [.. privileges, .. UnitCommand.Expand(unit["ExecStart"]!, environment, paths)], environment, workingDirectory);
        await WaitReadyAsync();
    }

    /// <summary>How many starts of judge-silo.service the rehearsal tries before it fails (systemd would go on).</summary>
    private const int MaxStarts = 6;

    /// <summary>Each ExecStartPre in order; false, with the failure added to <paramref name="failures"/>, at the first that fails.</summary>
    private async Task<bool> RunStartPreAsync(SystemdUnit unit, List<string> privileges, Dictionary<string, string> environment,
        string workingDirectory, List<string> failures)
    {
        foreach (var pre in unit.All("ExecStartPre"))
        {
            await using var step = new HostProcess($"{Name}/ExecStartPre", Namespace, [.. privileges, .. UnitCommand.Expand(pre, environment, paths)], environment, workingDirectory);
            var exit = await step.WaitAsync(TimeSpan.FromMinutes(2));
            if (exit != 0)
            {
                failures.Add($"ExecStartPre={pre} exited {exit}:\n{step.RecentLog}");
                // RestartPreventExitStatus=: a configuration the silo refuses is not started again.
                Assert.False(unit.Words("RestartPreventExitStatus").Contains(exit.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                    $"{Name}: judge-silo.service refused its configuration:\n{string.Join("\n", failures)}");
                return false;
            }
        }
        return true;
    }

    private async Task WaitReadyAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(4);
        while (DateTime.UtcNow < deadline)
        {
            if (silo!.HasExited)
                throw new InvalidOperationException($"{Name}: the silo exited with {silo.ExitCode} before it was ready:\n{RecentLog}");
            try
            {
                using var response = await Http.GetAsync("/ready");
                if (response.StatusCode == HttpStatusCode.OK)
                    return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // not listening yet
            }
            await Task.Delay(500);
        }
        throw new TimeoutException($"{Name}: the silo was not ready within 4 minutes:\n{RecentLog}");
    }

    /// <summary>systemctl stop judge-silo: SIGTERM, and the exit code, within the unit's TimeoutStopSec.</summary>
    public Task<int> StopSiloAsync()
    {
        var stop = int.Parse(Ec2Files.Unit("judge-silo.service")["TimeoutStopSec"]!, System.Globalization.CultureInfo.InvariantCulture);
        return silo!.TerminateAsync(TimeSpan.FromSeconds(stop));
    }

    /// <summary>The silo process dies (a host that was cut off and declared dead).</summary>
    public Task KillSiloAsync() => silo?.KillAsync() ?? Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (silo is not null)
            await silo.DisposeAsync();
        if (daemon is not null)
        {
            try
            {
                await daemon.TerminateAsync(TimeSpan.FromSeconds(30));
            }
            catch (TimeoutException)
            {
                // killed by TerminateAsync; the failure that matters is the test's own
            }
            await daemon.DisposeAsync();
        }
        Http.Dispose();
    }
}
