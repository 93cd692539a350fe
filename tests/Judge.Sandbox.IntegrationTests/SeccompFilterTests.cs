using System.Diagnostics;

namespace Judge.Sandbox.IntegrationTests;

/// <summary>Runs tests/seccomp/run.sh, the standalone test of the sandbox's seccomp filter (native/seccomp.c).</summary>
public class SeccompFilterTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Seccomp_filter_denies_what_it_must_and_keeps_toolchains_working()
    {
        var start = new ProcessStartInfo("/bin/sh")
        {
            ArgumentList = { RepositoryPaths.SeccompTestScript },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start /bin/sh");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        output.WriteLine(await stdout);
        output.WriteLine(await stderr);

        Assert.True(process.ExitCode == 0, $"tests/seccomp/run.sh exited {process.ExitCode}:\n{await stdout}\n{await stderr}");
    }
}
