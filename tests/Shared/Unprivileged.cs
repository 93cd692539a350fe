using System.Diagnostics;

namespace Judge.Tests;

/// <summary>Runs a process as an unprivileged user, as the judge's units and images run the silo: <c>setpriv</c> drops
/// the test's root to <see cref="Uid"/> with no groups and no capabilities before the program starts.</summary>
internal static class Unprivileged
{
    /// <summary>The uid (and gid) of silos started by tests; it needs no passwd entry.</summary>
    public const int Uid = 64000;

    private static readonly Lock Copying = new();
    private static readonly Dictionary<string, string> Copies = [];

    /// <summary>A home directory the user owns (the .NET runtime and ASP.NET keep a few files there).</summary>
    public static string Home { get; } = CreateHome();

    /// <summary>A start for <paramref name="program"/> with <paramref name="arguments"/>, run as <see cref="Uid"/>.</summary>
    public static ProcessStartInfo Start(string program, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("setpriv");
        foreach (var argument in (string[])[$"--reuid={Uid}", $"--regid={Uid}", "--clear-groups", "--inh-caps=-all", "--bounding-set=-all", "--", program])
            start.ArgumentList.Add(argument);
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        start.Environment["HOME"] = Home;
        return start;
    }

    /// <summary><paramref name="directory"/> itself when the user can read it, else a copy it can read (made once per run):
    /// a clone under a private directory (such as /root) is out of an unprivileged user's reach.</summary>
    public static string Readable(string directory)
    {
        directory = Path.GetFullPath(directory);
        if (Reachable(directory))
            return directory;
        lock (Copying)
        {
            if (Copies.TryGetValue(directory, out var copy))
                return copy;
            copy = Path.Combine(Path.GetTempPath(), $"judge-readable-{Environment.ProcessId}-{Copies.Count}", Path.GetFileName(directory));
            CopyTree(directory, copy);
            for (var dir = new DirectoryInfo(copy); dir is not null && dir.FullName != Path.GetTempPath().TrimEnd('/'); dir = dir.Parent)
                File.SetUnixFileMode(dir.FullName, (UnixFileMode)0b111_101_101);
            Copies[directory] = copy;
            return copy;
        }
    }

    /// <summary>Lets the user pass through every directory above <paramref name="path"/> (mode o+x), as a host's
    /// <c>/var/lib</c> lets a service reach its own directory.</summary>
    public static void Traversable(string path)
    {
        for (var dir = new DirectoryInfo(Path.GetFullPath(path)).Parent; dir is not null && dir.FullName != "/"; dir = dir.Parent)
        {
            if (dir.Exists && (File.GetUnixFileMode(dir.FullName) & UnixFileMode.OtherExecute) == 0)
                File.SetUnixFileMode(dir.FullName, File.GetUnixFileMode(dir.FullName) | UnixFileMode.OtherExecute);
        }
    }

    private static bool Reachable(string directory)
    {
        for (var dir = new DirectoryInfo(directory); dir is not null; dir = dir.Parent)
        {
            if ((File.GetUnixFileMode(dir.FullName) & UnixFileMode.OtherExecute) == 0)
                return false;
        }
        return true;
    }

    private static void CopyTree(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
        {
            var target = Path.Combine(to, Path.GetFileName(file));
            File.Copy(file, target);
            File.SetUnixFileMode(target, File.GetUnixFileMode(file) | UnixFileMode.OtherRead | UnixFileMode.GroupRead);
        }
        foreach (var dir in Directory.EnumerateDirectories(from))
            CopyTree(dir, Path.Combine(to, Path.GetFileName(dir)));
        File.SetUnixFileMode(to, (UnixFileMode)0b111_101_101);
    }

    private static string CreateHome()
    {
        var home = Path.Combine(Path.GetTempPath(), $"judge-home-{Uid}-{Environment.ProcessId}");
        Directory.CreateDirectory(home);
        Traversable(home);
        using (var chown = Process.Start("chown", ["-R", $"{Uid}:{Uid}", home]))
            chown.WaitForExit();
        return home;
    }
}
