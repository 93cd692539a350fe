using System.Diagnostics;

/// <summary>Runs a built host as its unit does (<c>dotnet Judge.X.dll args</c>) until it exits by itself: for the
/// start-up checks that end a host before it serves anything.</summary>
internal static class HostCommand
{
    /// <summary>The exit code of <c>dotnet <paramref name="assembly"/> <paramref name="arguments"/></c>, and its stdout and
    /// stderr together; a host still running after 2 minutes is killed and the test fails.</summary>
    public static async Task<(int Exit, string Output)> RunAsync(string assembly, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Repository.Root,
        };
        start.ArgumentList.Add(assembly);
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(patience.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(assembly)} {string.Join(' ', arguments)} did not end within 2 minutes:\n{await output}{await error}");
        }
        return (process.ExitCode, await output + await error);
    }

    /// <summary>Asserts that <paramref name="host"/> refused its configuration: exit code 2 and one line,
    /// <c>{host}: invalid configuration: …</c>, containing <paramref name="expected"/>.</summary>
    public static void AssertRefused(string host, (int Exit, string Output) run, string expected)
    {
        Assert.True(run.Exit == 2, $"exit code {run.Exit}:\n{run.Output}");
        var line = Assert.Single(run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"{host}: invalid configuration: ", line);
        Assert.Contains(expected, line);
    }
}
