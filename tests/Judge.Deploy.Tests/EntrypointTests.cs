using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Judge.Deploy.Tests;

/// <summary>deploy/docker/entrypoint.sh and healthcheck.sh, run for real: the all-in-one mode starts the daemon as root and
/// the silo as uid 10001 without capabilities, forwards SIGTERM to the silo and stops the daemon after it; the silo mode
/// refuses root. The daemon and <c>dotnet</c> are small stand-ins that record what they were given; the entrypoint runs in
/// its own mount namespace over an empty cgroup directory, so the machine's cgroups are untouched.</summary>
public class EntrypointTests
{
    private static string Entrypoint => Path.Combine(Repository.Root, "deploy", "docker", "entrypoint.sh");
    private static string Healthcheck => Path.Combine(Repository.Root, "deploy", "docker", "healthcheck.sh");

    private static string Executable(string dir, string name, string script)
    {
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, script);
        File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
        return path;
    }

    [Fact]
    public async Task All_in_one_runs_the_silo_unprivileged_and_drains_it_on_SIGTERM_before_the_daemon_stops()
    {
        Assert.True(Environment.UserName == "root", "the all-in-one entrypoint starts the daemon as root; run the tests as root");
        var dir = Directory.CreateTempSubdirectory("judge-entrypoint-").FullName;
        try
        {
            File.SetUnixFileMode(dir, (UnixFileMode)0b111_111_111);
            var log = Path.Combine(dir, "log");
            File.WriteAllText(log, "");
            File.SetUnixFileMode(log, (UnixFileMode)0b110_110_110);
            var socket = Path.Combine(dir, "run", "sandbox.sock");
            var daemon = Executable(dir, "judge-sandbox", $$"""
                #!/bin/sh
                echo "daemon uid=$(id -u) args=$*" >> {{log}}
                trap 'echo "daemon TERM" >> {{log}}; rm -f {{socket}}; exit 0' TERM
                python3 -c 'import socket, sys; s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' {{socket}}
                echo '{"ready":true,"listen":"{{socket}}"}'
                while :; do sleep 0.1; done
                """);
            Executable(dir, "dotnet", $$"""
                #!/bin/sh
                echo "silo uid=$(id -u) gid=$(id -g) groups=$(id -G) home=$HOME args=$*" >> {{log}}
                grep -E '^Cap(Inh|Prm|Eff|Bnd|Amb):' /proc/self/status | tr -s '\t' ' ' >> {{log}}
                trap 'echo "silo TERM" >> {{log}}; exit 0' TERM
                while :; do sleep 0.1; done
                """);
            var start = new ProcessStartInfo("unshare", ["--mount", "--propagation", "private", "sh", "-c",
                """mount -t tmpfs judge-test /sys/fs/cgroup && exec sh "$0" all-in-one --some-silo-flag""", Entrypoint])
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
            };
            start.Environment["PATH"] = dir + ":" + Environment.GetEnvironmentVariable("PATH");
            start.Environment["JUDGE_SANDBOX_BINARY"] = daemon;
            start.Environment["Judge__Sandbox__Socket"] = socket;
            start.Environment["Judge__WorkRoot"] = Path.Combine(dir, "work");
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (!File.ReadAllText(log).Contains("CapAmb") && !process.HasExited && DateTime.UtcNow < deadline)
                Thread.Sleep(50);
            Assert.True(File.ReadAllText(log).Contains("CapAmb"), $"the silo did not start:\n{File.ReadAllText(log)}\n{(process.HasExited ? await stderr : "")}");

            // Only root may write where the socket and the work root live: the silo cannot swap either for a link.
            Assert.Equal((UnixFileMode)0b111_101_101, File.GetUnixFileMode(Path.GetDirectoryName(socket)!));
            Assert.Equal((UnixFileMode)0b111_101_101, File.GetUnixFileMode(dir));

            // unshare execs the shell, which execs the entrypoint: the process we started is the entrypoint
            Assert.Equal(0, Tools.Run("kill", ["-TERM", process.Id.ToString()]).Exit);
            Assert.True(process.WaitForExit(TimeSpan.FromSeconds(20)), "the entrypoint did not end after SIGTERM");
            var errors = await stderr;
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {errors}");

            var lines = File.ReadAllLines(log).ToList();
            Assert.Contains($"daemon uid=0 args=--listen {socket} --client-uid 10001 --client-gid 10001 --work-root {Path.Combine(dir, "work")}", lines);
            Assert.Contains("silo uid=10001 gid=10001 groups=10001 home=/var/lib/judge args=/opt/judge/silo/Judge.Silo.dll --some-silo-flag", lines);
            foreach (var set in new[] { "CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb" })
                Assert.Contains($"{set}: 0000000000000000", lines);
            Assert.True(lines.IndexOf("silo TERM") >= 0 && lines.IndexOf("silo TERM") < lines.IndexOf("daemon TERM"),
                "SIGTERM must reach the silo first, then the daemon:\n" + string.Join('\n', lines));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void The_silo_mode_refuses_to_run_as_root()
    {
        Assert.True(Environment.UserName == "root", "run the tests as root: this checks the refusal of uid 0");
        var (exit, _, error) = Tools.Run("sh", [Entrypoint, "silo"]);
        Assert.Equal(1, exit);
        Assert.Contains("refusing to run the silo as root", error);
    }

    [Fact]
    public void An_unknown_mode_is_refused_naming_the_modes()
    {
        var (exit, _, error) = Tools.Run("sh", [Entrypoint, "sideways"]);
        Assert.Equal(1, exit);
        Assert.Contains("unknown mode 'sideways': all-in-one (default), sandbox or silo", error);
    }

    [Theory]
    [InlineData("200 OK", 0)]
    [InlineData("503 Service Unavailable", 1)]
    public async Task The_health_check_passes_only_on_200(string status, int expectedExit)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var request = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync();
            using var stream = client.GetStream();
            // Read the whole request head before answering: closing with unread bytes makes the kernel send a reset,
            // and the client may then see the reset instead of the answer.
            var received = new StringBuilder();
            var buffer = new byte[1024];
            while (!received.ToString().Contains("\r\n\r\n"))
            {
                var read = await stream.ReadAsync(buffer);
                if (read == 0) break;
                received.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));
            return received.ToString();
        });
        var (exit, output, error) = Tools.Run(Tools.OnPath("bash", "bash"), [Healthcheck, port.ToString()], timeout: TimeSpan.FromSeconds(20));
        Assert.True(exit == expectedExit, $"exit {exit}, expected {expectedExit}: {output}{error}");
        Assert.StartsWith("GET /health HTTP/1.0\r\n", await request);
    }
}
