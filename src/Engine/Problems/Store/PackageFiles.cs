using System.Text;
using System.Text.RegularExpressions;

namespace Judge.Engine.Problems.Store;

/// <summary>Caps on one package taken from a store.</summary>
/// <param name="MaxFiles">The most files a package may have (<c>Judge:Problems:MaxFiles</c>).</param>
/// <param name="MaxBytes">The largest total size of a package's files (<c>Judge:Problems:MaxPackageMiB</c>).</param>
public sealed record PackageLimits(int MaxFiles, long MaxBytes)
{
    /// <summary>10,000 files, 2 GiB.</summary>
    public static PackageLimits Default { get; } = new(10_000, 2048L * 1024 * 1024);
}

/// <summary>The rules every listed package must meet before anything of it is written to disk, and the only way store
/// code writes a package's files: inside the target directory, new files only.</summary>
public static partial class PackageFiles
{
    /// <summary>The longest path inside a package, in UTF-8 bytes.</summary>
    public const int MaxPathBytes = 1024;

    /// <summary>Rejects a package whose id, file count, size or file paths break a rule, naming the file at fault.</summary>
    /// <exception cref="ProblemFormatException">The first rule broken.</exception>
    public static void Check(PackageVersion version, PackageLimits limits)
    {
        var id = version.ProblemId;
        if (!IdPattern().IsMatch(id))
        {
            throw new ProblemFormatException(Printable(id), ".",
                "the folder name is not a valid problem id (1-64 characters: lower-case letters, digits, '-' and '_', starting with a letter or digit)");
        }
        if (version.Files.Count == 0)
            throw new ProblemFormatException(id, ".", "the package has no files");
        if (version.Files.Count > limits.MaxFiles)
            throw new ProblemFormatException(id, ".", $"the package has more than {limits.MaxFiles} files (Judge:Problems:MaxFiles)");

        long total = 0;
        var files = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in version.Files)
        {
            if (PathError(file.Path) is { } error)
                throw new ProblemFormatException(id, Printable(file.Path), error);
            if (file.Size < 0)
                throw new ProblemFormatException(id, file.Path, "has a negative size");
            total += file.Size;
            if (total > limits.MaxBytes)
            {
                throw new ProblemFormatException(id, file.Path,
                    $"the package is larger than {limits.MaxBytes / (1024 * 1024)} MiB (Judge:Problems:MaxPackageMiB)");
            }
            if (!files.Add(file.Path))
                throw new ProblemFormatException(id, file.Path, "is listed twice");
        }

        foreach (var file in version.Files)
        {
            for (var slash = file.Path.IndexOf('/'); slash > 0; slash = file.Path.IndexOf('/', slash + 1))
            {
                if (files.Contains(file.Path[..slash]))
                    throw new ProblemFormatException(id, file.Path[..slash], $"is a file, but {file.Path} needs it to be a directory");
            }
        }
    }

    /// <summary>The files judging reads: <c>problem.yaml</c>, <c>data/</c>, the output validator(s), <c>include/</c> and the
    /// time limit files. Only these may make a package invalid.</summary>
    public static bool IsJudged(string path)
    {
        var top = path.Split('/')[0];
        return top is "problem.yaml" or "data" or "output_validators" or "output_validator" or "include" or ".timelimit" or "domjudge-problem.ini";
    }

    /// <summary>The version less the files judging does not read (<see cref="IsJudged"/>) whose path breaks a rule: those are
    /// left out of the cache instead of refusing the package (a file under <c>submissions/</c> with a backslash in its name).
    /// A path that tries to leave the package (absolute, or a <c>..</c> segment with either separator) is never an extra:
    /// it still refuses the package, wherever it points.</summary>
    public static PackageVersion WithoutUnusableExtras(PackageVersion version) =>
        version.Files.Any(IsUnusableExtra)
            ? new PackageVersion(version.ProblemId, version.Files.Where(f => !IsUnusableExtra(f)))
            : version;

    private static bool IsUnusableExtra(PackageFile file) =>
        !IsJudged(file.Path) && PathError(file.Path) is not null && !TriesToLeave(file.Path);

    private static bool TriesToLeave(string path) =>
        path.StartsWith('/') || path.StartsWith('\\') || path.Split('/', '\\').Contains("..");

    /// <summary>Why <paramref name="path"/> may not name a file inside a package, or <c>null</c> when it may.</summary>
    public static string? PathError(string path)
    {
        if (path.Length == 0)
            return "has an empty name";
        if (path[0] == '/')
            return "is an absolute path";
        if (path.Contains('\\'))
            return "contains a backslash";
        if (path.Any(char.IsControl))
            return "contains a control character";
        if (Encoding.UTF8.GetByteCount(path) > MaxPathBytes)
            return $"is longer than {MaxPathBytes} bytes";
        foreach (var segment in path.Split('/'))
        {
            if (segment.Length == 0)
                return "has an empty path segment ('//' or a trailing '/')";
            if (segment is "." or "..")
                return $"has a '{segment}' segment: paths must stay inside the package";
        }
        return null;
    }

    /// <summary>Creates the new file <paramref name="path"/> ('/'-separated) under <paramref name="directory"/>, with its
    /// parent directories, and copies <paramref name="content"/> into it: exactly <paramref name="expectedSize"/> bytes.</summary>
    /// <exception cref="PackageChangedException">The content is not of the listed size.</exception>
    public static async Task WriteAsync(string directory, string problemId, string path, long expectedSize, Stream content, CancellationToken cancellationToken)
    {
        var target = Target(directory, path);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        await using var output = new FileStream(target, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Options = FileOptions.Asynchronous });
        var buffer = new byte[81920];
        long written = 0;
        int read;
        while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
        {
            written += read;
            if (written > expectedSize)
                throw new PackageChangedException(problemId, path);
            await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }
        if (written != expectedSize)
            throw new PackageChangedException(problemId, path);
    }

    /// <summary>Creates the symbolic link <paramref name="path"/> under <paramref name="directory"/>, pointing where it
    /// pointed in the source; <see cref="ProblemLoader"/> then checks that it stays inside the package.</summary>
    public static void CreateLink(string directory, string path, string linkTarget)
    {
        var target = Target(directory, path);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.CreateSymbolicLink(target, linkTarget);
    }

    /// <summary>The absolute path of <paramref name="path"/> under <paramref name="directory"/>, refusing one that leaves it.</summary>
    private static string Target(string directory, string path)
    {
        if (PathError(path) is { } error)
            throw new ArgumentException($"'{Printable(path)}' {error}", nameof(path));
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        var target = Path.GetFullPath(Path.Combine(root, path));
        if (!target.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new ArgumentException($"'{Printable(path)}' leaves the package directory", nameof(path));
        return target;
    }

    /// <summary>The text with control characters escaped and cut to 200 characters, safe for a message or a log.</summary>
    public static string Printable(string text)
    {
        var builder = new StringBuilder();
        foreach (var c in text.Length > 200 ? text[..200] : text)
            builder.Append(char.IsControl(c) ? $"\\u{(int)c:x4}" : c);
        if (text.Length > 200)
            builder.Append("...");
        return builder.ToString();
    }

    // The rule ProblemLoader applies to a package directory's name.
    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,63}$")]
    private static partial Regex IdPattern();
}
