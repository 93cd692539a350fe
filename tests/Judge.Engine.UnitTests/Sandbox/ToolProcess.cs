using System.Diagnostics;

namespace Judge.Engine.UnitTests.Sandbox;

/// <summary>Runs a test tool (a driver script, the VM runner) to completion with empty stdin and collects its output.</summary>
internal static class ToolProcess
{
    public static (int Code, string Stdout, string Stderr) Run(TimeSpan limit, string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(limit))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} did not finish within {limit.TotalMinutes:0} minutes");
        }

        return (p.ExitCode, stdout.Result, stderr.Result);
    }
}
