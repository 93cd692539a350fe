using System.Diagnostics;
using Xunit.Abstractions;

namespace Judge.Engine.UnitTests.Sandbox;

/// <summary>
/// Runs tests/sandboxd/drive.py (the protocol-level test driver of the judge-sandbox daemon) against the binary
/// built next to this assembly. The daemon needs root; as another user the test only checks that the daemon
/// refuses to start with a clear ready:false line.
/// </summary>
public sealed class JudgeSandboxDaemonTests(ITestOutputHelper output)
{
    private static string Binary => Path.Combine(AppContext.BaseDirectory, "judge-sandbox");

    [Fact]
    public void BinaryIsBuiltNextToTheAssembly() => Assert.True(File.Exists(Binary), Binary);

    [Fact]
    public void ProtocolDriverPasses()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        if (Environment.UserName != "root")
        {
            var (code, stdout, _) = ToolProcess.Run(TimeSpan.FromMinutes(5), Binary, "--work-root", "/tmp");
            Assert.Equal(1, code);
            Assert.Contains("\"ready\":false", stdout);
            return;
        }

        var (exit, outText, errText) = ToolProcess.Run(TimeSpan.FromMinutes(5), "/usr/bin/python3", Path.Combine(Repository.Root, "tests", "sandboxd", "drive.py"),
            "--binary", Binary, "--bench", "0");
        output.WriteLine(outText);
        output.WriteLine(errText);
        Assert.True(exit == 0, outText + errText);
    }

    /// <summary>The same protocol checks with the daemon serving a Unix socket and the driver connecting as an unprivileged
    /// uid, plus the socket's own: other uids refused (SO_PEERCRED), files opened as the client, a compilation's
    /// directory given back, a client that goes away has its runs killed, one client at a time.</summary>
    [Fact]
    public void ProtocolDriverPassesOverTheSocketAsAnUnprivilegedClient()
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root")
            return;
        var (exit, outText, errText) = ToolProcess.Run(TimeSpan.FromMinutes(5), "/usr/bin/python3", Path.Combine(Repository.Root, "tests", "sandboxd", "drive.py"),
            "--binary", Binary, "--bench", "0", "--socket", "64000");
        output.WriteLine(outText);
        output.WriteLine(errText);
        Assert.True(exit == 0, outText + errText);
        Assert.Contains("PASS a_bind_run_gives_everything_back_without_following_links", outText);
        Assert.Contains("PASS other_uids_are_refused", outText);
    }
}
