using System.Diagnostics;

namespace Judge.Deploy.Tests.Ec2;

/// <summary>Runs a command-line tool and collects what it printed; a tool that is not installed fails the test with
/// the package that provides it (scripts/setup.sh --tests installs them).</summary>
public static class Tool
{
    public sealed record Output(int ExitCode, string StandardOutput, string StandardError)
    {
        public string All => (StandardOutput + StandardError).Trim();
    }

    public static Output Run(string program, IEnumerable<string> arguments, string? workingDirectory = null,
        IReadOnlyDictionary<string, string>? environment = null, string package = "")
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? Repository.Root,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            start.Environment[key] = value;
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"{program} cannot be run ({e.Message}): install the Debian package {package} (scripts/setup.sh --tests)", e);
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{program} {string.Join(' ', start.ArgumentList)} did not finish in 2 minutes");
            }
            return new Output(process.ExitCode, output.Result, error.Result);
        }
    }
}
