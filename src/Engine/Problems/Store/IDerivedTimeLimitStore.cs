using System.Text.Json;

namespace Judge.Engine.Problems.Store;

/// <summary>Where time limits derived from packages' accepted submissions are kept, one per package version (problem id
/// and <see cref="PackageVersion.ContentHash"/>), so that a version is derived once and every silo judges with the same
/// limit: the first value recorded for a version wins.</summary>
public interface IDerivedTimeLimitStore
{
    /// <summary>The limit recorded for this version, or <c>null</c>.</summary>
    Task<DerivedTimeLimit?> FindAsync(string problemId, string contentHash, CancellationToken cancellationToken);

    /// <summary>Records <paramref name="derived"/> for this version unless a limit is recorded already; returns the recorded one.</summary>
    Task<DerivedTimeLimit> RecordAsync(string problemId, string contentHash, DerivedTimeLimit derived, CancellationToken cancellationToken);
}

/// <summary>Derived time limits kept next to the cached package versions of a <see cref="ProblemCache"/>:
/// <c>&lt;cache&gt;/&lt;id&gt;/&lt;content hash&gt;/derived-time-limit.json</c>, deleted with the version.</summary>
public sealed class FileDerivedTimeLimitStore(string cacheDirectory) : IDerivedTimeLimitStore
{
    /// <summary>The file name, in the version's directory.</summary>
    public const string FileName = "derived-time-limit.json";

    /// <summary>The file of a version.</summary>
    public string PathOf(string problemId, string contentHash) => Path.Combine(cacheDirectory, problemId, contentHash, FileName);

    public Task<DerivedTimeLimit?> FindAsync(string problemId, string contentHash, CancellationToken cancellationToken) =>
        Task.FromResult(Read(PathOf(problemId, contentHash)));

    public Task<DerivedTimeLimit> RecordAsync(string problemId, string contentHash, DerivedTimeLimit derived, CancellationToken cancellationToken)
    {
        var path = PathOf(problemId, contentHash);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(DerivedTimeLimitJson.From(derived)));
        try
        {
            File.Move(temporary, path, overwrite: false);
            return Task.FromResult(derived);
        }
        catch (IOException) when (Read(path) is { } first)
        {
            return Task.FromResult(first); // another writer was first
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static DerivedTimeLimit? Read(string path)
    {
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<DerivedTimeLimitJson>(File.ReadAllText(path))?.ToLimit() : null;
        }
        catch (JsonException)
        {
            return null; // unreadable: derived again, and rewritten by the next RecordAsync of another name
        }
    }

    /// <summary>The file's shape: times in seconds.</summary>
    private sealed record DerivedTimeLimitJson(double TimeLimitSeconds, double SlowestSeconds, string Submission, double Multiplier,
        double ResolutionSeconds, string[] Skipped)
    {
        public static DerivedTimeLimitJson From(DerivedTimeLimit d) =>
            new(d.TimeLimit.TotalSeconds, d.Slowest.TotalSeconds, d.Submission, d.Multiplier, d.Resolution.TotalSeconds, [.. d.Skipped]);

        public DerivedTimeLimit ToLimit() => new(TimeSpan.FromSeconds(TimeLimitSeconds), TimeSpan.FromSeconds(SlowestSeconds), Submission,
            Multiplier, TimeSpan.FromSeconds(ResolutionSeconds), Skipped ?? []);
    }
}
