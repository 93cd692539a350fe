using System.Globalization;
using Judge.Engine.Sandbox;

namespace Judge.Engine.Problems.Store;

/// <summary>Problem packages in a local directory, one per subdirectory or link to a directory (names starting with '.'
/// are skipped). A file's fingerprint is its size and modification time, so an edit on disk makes a new version.</summary>
public sealed class DirectoryPackageStore : IProblemPackageStore
{
    private readonly PackageLimits limits;

    /// <summary>A store reading the packages under <paramref name="root"/>.</summary>
    public DirectoryPackageStore(string root, PackageLimits limits)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        this.limits = limits;
    }

    /// <summary>The directory of packages, absolute.</summary>
    public string Root { get; }

    public string Location => Root;

    public Task<IReadOnlyList<PackageVersion>> ListAsync(string? problemId, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(Root))
        {
            throw new ProblemStoreException(
                $"The problems directory '{Root}' does not exist. Set {ProblemCatalog.RootConfigurationKey} (environment variable Judge__Problems__Root) to a directory of problem packages.");
        }

        IEnumerable<DirectoryInfo> packages;
        if (problemId is null)
            packages = new DirectoryInfo(Root).EnumerateDirectories().Where(d => !d.Name.StartsWith('.'));
        else if (problemId.Contains('/') || problemId.StartsWith('.') || PackageFiles.PathError(problemId) is not null)
            packages = [];
        else
            packages = [new DirectoryInfo(Path.Combine(Root, problemId))];

        var versions = new List<PackageVersion>();
        try
        {
            // A package directory may be a link to one elsewhere (a common way to pick problems); links inside it are copied as links.
            foreach (var package in packages.Where(p => p.Exists).OrderBy(p => p.Name, StringComparer.Ordinal))
            {
                cancellationToken.ThrowIfCancellationRequested();
                versions.Add(new PackageVersion(package.Name, Walk(package)));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ProblemStoreException($"The problems directory '{Root}' cannot be read: {e.Message}", e);
        }
        return Task.FromResult<IReadOnlyList<PackageVersion>>(versions);
    }

    public async Task FetchAsync(PackageVersion version, string directory, CancellationToken cancellationToken)
    {
        var source = Path.Combine(Root, version.ProblemId);
        foreach (var file in version.Files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var path = Path.Combine(source, file.Path);
            var info = new FileInfo(path);
            if (file.Fingerprint.StartsWith(LinkPrefix, StringComparison.Ordinal))
            {
                if (info.LinkTarget is not { } target || LinkPrefix + target != file.Fingerprint)
                    throw new PackageChangedException(version.ProblemId, file.Path);
                PackageFiles.CreateLink(directory, file.Path, target);
                continue;
            }

            await using (var stream = SandboxFiles.OpenRegular(path))
            {
                if (stream is null)
                {
                    if (!info.Exists || info.LinkTarget is not null || Directory.Exists(path))
                        throw new PackageChangedException(version.ProblemId, file.Path);
                    if (!PackageFiles.IsJudged(file.Path))
                        continue; // a FIFO or device judging never reads (under submissions/, say) is left out, not fatal
                    throw new ProblemFormatException(version.ProblemId, file.Path, "is not a regular file (a FIFO, socket or device)");
                }
                await PackageFiles.WriteAsync(directory, version.ProblemId, file.Path, file.Size, stream, cancellationToken);
            }
            info.Refresh();
            if (Fingerprint(info) != file.Fingerprint)
                throw new PackageChangedException(version.ProblemId, file.Path);
        }
    }

    private const string LinkPrefix = "link:";

    private static string Fingerprint(FileInfo file) =>
        "mtime:" + file.LastWriteTimeUtc.Ticks.ToString(CultureInfo.InvariantCulture);

    /// <summary>The package's files and links (links are listed, not followed), at most MaxFiles + 1.</summary>
    private List<PackageFile> Walk(DirectoryInfo package)
    {
        var files = new List<PackageFile>();
        var pending = new Stack<(DirectoryInfo Directory, string Relative)>();
        pending.Push((package, ""));
        while (pending.Count > 0 && files.Count <= limits.MaxFiles)
        {
            var (directory, relative) = pending.Pop();
            foreach (var entry in directory.EnumerateFileSystemInfos())
            {
                var path = relative + entry.Name;
                if (entry.LinkTarget is { } target)
                    files.Add(new PackageFile(path, 0, LinkPrefix + target));
                else if (entry is DirectoryInfo subdirectory)
                    pending.Push((subdirectory, path + "/"));
                else if (entry is FileInfo file)
                    files.Add(new PackageFile(path, file.Length, Fingerprint(file)));
                if (files.Count > limits.MaxFiles)
                    break;
            }
        }
        return files;
    }
}
