using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using CliWrap;
using CliWrap.Buffered;

namespace Judge.Engine.Compilation;

/// <summary>File helpers of the warmups: a prepared file is shared read-only (mode 0444, owned by the silo) and shown to a
/// compile or run by a hard link in its working directory, which costs no copy; the sandbox cannot change it.</summary>
internal static class WarmupFiles
{
    private const string Nice = "/usr/bin/nice";

    /// <summary>A short stable name for a toolchain configuration (the directory its prepared files go to).</summary>
    public static string Fingerprint(params IEnumerable<string>[] parts) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\n", parts.Select(p => string.Join('\0', p))))))[..16];

    /// <summary>Links <paramref name="shared"/> at <paramref name="relativePath"/> under <paramref name="directory"/>; false if
    /// the file system refuses (then the caller goes on without the warmup).</summary>
    public static bool TryLink(string shared, string directory, string relativePath)
    {
        var target = Path.Combine(directory, relativePath);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            return Link(shared, target) == 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Runs a trusted toolchain command on the host (only our own inputs), at a lower CPU priority than judging
    /// (<c>nice</c>), failing with its output.</summary>
    public static async Task RunAsync(IReadOnlyList<string> argv, string workingDirectory, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        if (File.Exists(Nice))
            argv = [Nice, "-n", "10", .. argv];
        var result = await Cli.Wrap(argv[0]).WithArguments(argv.Skip(1))
            .WithWorkingDirectory(workingDirectory)
            .WithEnvironmentVariables(environment.ToDictionary(e => e.Key, e => (string?)e.Value))
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(cancellationToken);
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"'{string.Join(' ', argv)}' exited with {result.ExitCode}: {(result.StandardError + result.StandardOutput).Trim()}");
    }

    /// <summary>Moves <paramref name="built"/> to <paramref name="final"/> read-only (atomically: readers see all or nothing).</summary>
    public static void Publish(string built, string final)
    {
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(built, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        File.Move(built, final, overwrite: true);
    }

#pragma warning disable SYSLIB1054 // a plain import: LibraryImport's string marshalling would need unsafe code
    [DllImport("libc", EntryPoint = "link", SetLastError = true)]
    private static extern int Link([MarshalAs(UnmanagedType.LPUTF8Str)] string existing, [MarshalAs(UnmanagedType.LPUTF8Str)] string created);
#pragma warning restore SYSLIB1054
}
