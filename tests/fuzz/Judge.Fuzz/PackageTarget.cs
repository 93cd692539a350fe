using System.Runtime.InteropServices;
using System.Text;
using Judge.Engine.Problems;

namespace Judge.Fuzz;

/// <summary>Unpacks one input into a package directory and loads it with <see cref="ProblemLoader"/>: the loader must answer
/// with a problem or a <see cref="ProblemFormatException"/>, and a problem must name no file outside the package.</summary>
/// <remarks>The input is a list of entries, each starting on a line of its own:
/// <c>=== f PATH</c> (a file; its bytes follow, up to the next entry), <c>=== l PATH TARGET</c> (a symbolic link, TARGET
/// taken as it is: absolute, <c>..</c>, dangling), <c>=== d PATH</c> (a directory) and <c>=== p PATH</c> (a FIFO, which
/// hangs whoever opens it to read). PATHs are relative to the package;
/// entries that would leave it (absolute, <c>..</c>, through a link) are skipped, so only the loader can reach outside.
/// Next to the package lies a decoy directory <c>outside/</c> whose files a link may point at.</remarks>
public static partial class PackageTarget
{
    public const string ProblemId = "fuzzpkg";
    private const string OutsideName = "outside-secret-name";
    private const int MaxEntries = 64;

    private static readonly string Base = Path.Combine(Path.GetTempPath(), $"judge-fuzz-package-{Environment.ProcessId}");
    private static readonly string Outside = Path.Combine(Base, "outside");
    private static readonly string Package = Path.Combine(Base, "pkgs", ProblemId);

    /// <summary>What the last input loaded to (replay mode prints it with -v).</summary>
    public static string LastOutcome { get; private set; } = "";

    public static void Run(byte[] data)
    {
        PrepareOutside();
        if (Directory.Exists(Package))
            Directory.Delete(Package, recursive: true);
        Directory.CreateDirectory(Package);
        Unpack(data, Package);

        Problem problem;
        try
        {
            problem = ProblemLoader.Load(Package);
        }
        catch (ProblemFormatException e)
        {
            if (e.Message.Length > 4096)
                throw new FuzzInvariantException($"package error of {e.Message.Length} characters");
            LastOutcome = e.Message;
            return;
        }
        CheckInside(problem);
        LastOutcome = $"loaded '{problem.Name}': {problem.Tests.Count} tests, validation {problem.Validation}";
    }

    private static void CheckInside(Problem problem)
    {
        var root = RealPath(Package);
        if (problem.Name.Contains(OutsideName, StringComparison.Ordinal))
            throw new FuzzInvariantException("the problem's name was read from a file outside the package");
        var paths = problem.Tests.SelectMany(t => new[] { t.InputPath, t.AnswerPath }).ToList();
        if (problem.OutputValidator is { } validator)
            paths.AddRange(validator.Sources.Select(s => Path.Combine(validator.Directory, s)));
        paths.AddRange(problem.IncludeDirectories.Values);
        foreach (var path in paths)
        {
            var real = RealPath(path);
            if (real != root && !real.StartsWith(root + "/", StringComparison.Ordinal))
                throw new FuzzInvariantException($"the problem names '{path}', which is '{real}', outside the package {root}");
        }
    }

    /// <summary>The path with every link resolved (as far as it exists).</summary>
    private static string RealPath(string path)
    {
        var full = Path.GetFullPath(path);
        var parts = full.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var current = "/";
        for (var i = 0; i < parts.Length; i++)
        {
            var next = Path.Combine(current, parts[i]);
            FileSystemInfo? target = null;
            try
            {
                target = new FileInfo(next).ResolveLinkTarget(returnFinalTarget: true);
            }
            catch (IOException)
            {
                return next; // a link loop: not a file anyone can read
            }
            current = target is null ? next : Path.GetFullPath(target.FullName);
        }
        return current;
    }

    private static void PrepareOutside()
    {
        if (Directory.Exists(Outside))
            return;
        Directory.CreateDirectory(Path.Combine(Outside, "data", "secret"));
        File.WriteAllText(Path.Combine(Outside, "problem.yaml"), $"name: {OutsideName}\n");
        File.WriteAllText(Path.Combine(Outside, "secret.in"), "1\n");
        File.WriteAllText(Path.Combine(Outside, "secret.ans"), "1\n");
        File.WriteAllText(Path.Combine(Outside, "data", "secret", "1.in"), "1\n");
        File.WriteAllText(Path.Combine(Outside, "data", "secret", "1.ans"), "1\n");
        File.WriteAllText(Path.Combine(Outside, "validate.cpp"), "int main() { return 42; }\n");
    }

    private static void Unpack(byte[] data, string root)
    {
        var marker = "=== "u8.ToArray();
        var starts = new List<int>();
        for (var i = 0; i + marker.Length <= data.Length && starts.Count < MaxEntries; i++)
        {
            if ((i == 0 || data[i - 1] == '\n') && data.AsSpan(i).StartsWith(marker))
                starts.Add(i);
        }
        for (var e = 0; e < starts.Count; e++)
        {
            var end = e + 1 < starts.Count ? starts[e + 1] : data.Length;
            var headerEnd = Array.IndexOf(data, (byte)'\n', starts[e], end - starts[e]);
            var header = Encoding.UTF8.GetString(data, starts[e] + marker.Length, (headerEnd < 0 ? end : headerEnd) - starts[e] - marker.Length);
            var body = headerEnd < 0 ? [] : data.AsSpan(headerEnd + 1, end - headerEnd - 1);
            if (body.Length > 0 && body[^1] == '\n' && e + 1 < starts.Count)
                body = body[..^1]; // the newline before the next entry's marker
            var fields = header.Split(' ', 3);
            if (fields.Length < 2 || SafePath(root, fields[1]) is not { } path)
                continue;
            try
            {
                switch (fields[0])
                {
                    case "f":
                        using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
                            file.Write(body);
                        break;
                    case "d":
                        Directory.CreateDirectory(path);
                        break;
                    case "p":
                        if (MakeFifo(path, 0x180) != 0)
                            throw new IOException($"mkfifo {path}: errno {Marshal.GetLastPInvokeError()}");
                        break;
                    case "l" when fields.Length == 3 && fields[2].Length > 0 && !fields[2].Contains('\0'):
                        File.CreateSymbolicLink(path, fields[2]);
                        break;
                }
            }
            catch (IOException)
            {
                // the name exists already, or a parent is a file: the entry is skipped
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "mkfifo", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int MakeFifo(string path, uint mode);

    /// <summary>The full path of a relative entry name inside root whose parents are real directories (created), or null.</summary>
    private static string? SafePath(string root, string name)
    {
        if (name.Length == 0 || name.Contains('\0') || name.StartsWith('/'))
            return null;
        var parts = name.Split('/');
        if (parts.Any(p => p is "" or "." or ".."))
            return null;
        var current = root;
        for (var i = 0; i < parts.Length - 1; i++)
        {
            current = Path.Combine(current, parts[i]);
            var info = new DirectoryInfo(current);
            if (info.LinkTarget is not null || File.Exists(current))
                return null;
            Directory.CreateDirectory(current);
        }
        return Path.Combine(current, parts[^1]);
    }
}
