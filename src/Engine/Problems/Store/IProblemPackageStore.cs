namespace Judge.Engine.Problems.Store;

/// <summary>Where problem packages are kept (a local directory, an S3 bucket): lists them with a fingerprint of their
/// files and copies one version into a local directory. <see cref="ProblemCache"/> caches and validates what it copies.</summary>
public interface IProblemPackageStore
{
    /// <summary>Where the packages are, for messages (<c>/srv/problems</c>, <c>s3://bucket/prefix/</c>).</summary>
    string Location { get; }

    /// <summary>Lists every package, or only the one named <paramref name="problemId"/> (none when it does not exist).
    /// A package lists at most <see cref="PackageLimits.MaxFiles"/> + 1 files, so that one too many is seen.</summary>
    /// <exception cref="ProblemStoreException">The store cannot be read; the message says why.</exception>
    Task<IReadOnlyList<PackageVersion>> ListAsync(string? problemId, CancellationToken cancellationToken);

    /// <summary>Copies the files of <paramref name="version"/> into the empty directory <paramref name="directory"/>
    /// through <see cref="PackageFiles"/>, which refuses paths leaving it.</summary>
    /// <exception cref="PackageChangedException">The package changed while it was copied: list it again.</exception>
    /// <exception cref="ProblemFormatException">A file breaks a rule; the message names the file.</exception>
    /// <exception cref="ProblemStoreException">The store cannot be read.</exception>
    Task FetchAsync(PackageVersion version, string directory, CancellationToken cancellationToken);
}

/// <summary>One file of a listed package: its path inside the package ('/'-separated), size, and the store's
/// fingerprint of its content (an S3 ETag; a local file's modification time).</summary>
public sealed record PackageFile(string Path, long Size, string Fingerprint);

/// <summary>A version of one problem's package as listed by a store, identified by <see cref="ContentHash"/>: a
/// SHA-256 of its sorted file paths, sizes and fingerprints. Equal hashes mean the package did not change.</summary>
public sealed record PackageVersion
{
    public PackageVersion(string problemId, IEnumerable<PackageFile> files)
    {
        ProblemId = problemId;
        Files = files.OrderBy(f => f.Path, StringComparer.Ordinal).ToList();
        ContentHash = Hash(problemId, Files);
    }

    /// <summary>The problem id: the package's folder name in the store.</summary>
    public string ProblemId { get; }

    /// <summary>The package's files in ordinal path order.</summary>
    public IReadOnlyList<PackageFile> Files { get; }

    /// <summary>Lower-case hex SHA-256 of the id and every file's path, size and fingerprint.</summary>
    public string ContentHash { get; }

    private static string Hash(string id, IReadOnlyList<PackageFile> files)
    {
        using var sha = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        void Add(string text)
        {
            // Length-prefixed, so that no two different lists hash the same text.
            var bytes = System.Text.Encoding.UTF8.GetBytes(text);
            sha.AppendData(BitConverter.GetBytes(bytes.Length));
            sha.AppendData(bytes);
        }
        Add(id);
        foreach (var file in files)
        {
            Add(file.Path);
            Add(file.Size.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Add(file.Fingerprint);
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}

/// <summary>A package changed between being listed and being copied; the next refresh lists it again.</summary>
public sealed class PackageChangedException(string problemId, string file)
    : Exception($"problem '{problemId}': {file} changed while the package was being copied")
{
    public string ProblemId { get; } = problemId;
}

/// <summary>The problem store cannot be read (unreachable, missing, access denied).</summary>
public sealed class ProblemStoreException(string message, Exception? inner = null) : Exception(message, inner);
