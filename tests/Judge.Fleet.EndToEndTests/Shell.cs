using System.Diagnostics;

namespace Judge.Fleet.EndToEndTests;

/// <summary>Runs a short command (ip, pg_ctl, chown...) to completion; a failure throws with what it printed.</summary>
internal static class Shell
{
    public static string Run(string program, params string[] arguments) => RunChecked(program, arguments, check: true);

    /// <summary>Runs and ignores a failure (cleanup of what may not exist).</summary>
    public static void TryRun(string program, params string[] arguments) => RunChecked(program, arguments, check: false);

    private static string RunChecked(string program, string[] arguments, bool check)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
            process.Kill(entireProcessTree: true);
        process.WaitForExit();
        if (check && process.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}: {error.Result}{output.Result}");
        return output.Result;
    }
}
