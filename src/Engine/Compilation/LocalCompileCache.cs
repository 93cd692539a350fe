using System.Collections.Concurrent;
using Judge.Engine.Telemetry;

namespace Judge.Engine.Compilation;

/// <summary>Compiled artifacts in one directory of the silo, at most <paramref name="maxBytes"/> in all, the least
/// recently used removed first. Each entry is one file, <c>&lt;key&gt;.&lt;sha256&gt;.jca</c>, written to a temporary
/// name and renamed into place (readers never see half a file); its content is hashed on every read and a mismatch is
/// removed and treated as a miss. The directory lies outside every directory a sandboxed program sees.</summary>
public sealed class LocalCompileCache : ICompileCache
{
    private const string Extension = ".jca";
    private readonly string directory;
    private readonly long maxBytes;
    private readonly ConcurrentDictionary<string, Entry> entries = new(StringComparer.Ordinal);
    private readonly Lock evicting = new();
    private long totalBytes;

    private sealed class Entry(string path, string sha256, long bytes, long lastUse)
    {
        public string Path { get; } = path;
        public string Sha256 { get; } = sha256;
        public long Bytes { get; } = bytes;
        public long LastUse = lastUse;
    }

    /// <summary>Opens (and creates, mode 0700) the cache in <paramref name="directory"/>, indexing what is already there.</summary>
    public LocalCompileCache(string directory, long maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        this.directory = directory;
        this.maxBytes = maxBytes;
        if (OperatingSystem.IsWindows())
            Directory.CreateDirectory(directory);
        else
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        foreach (var file in new DirectoryInfo(directory).EnumerateFiles())
        {
            var parts = file.Name.Split('.');
            if (file.LinkTarget is null && parts.Length == 3 && "." + parts[2] == Extension && CompileKey.IsWellFormed(parts[0]) && CompileKey.IsWellFormed(parts[1]))
            {
                if (entries.TryAdd(parts[0], new Entry(file.FullName, parts[1], file.Length, file.LastWriteTimeUtc.Ticks)))
                    totalBytes += file.Length;
            }
            else
            {
                file.Delete(); // a temporary file of an interrupted write, or something that is no entry
            }
        }
        Evict();
    }

    /// <summary>Bytes currently kept.</summary>
    public long TotalBytes => Interlocked.Read(ref totalBytes);

    /// <summary>The file of <paramref name="key"/>'s entry, if kept (tests corrupt it through this).</summary>
    public string? PathOf(string key) => entries.TryGetValue(key, out var entry) ? entry.Path : null;

    public Task<CompileArtifact?> FindAsync(string key, CancellationToken cancellationToken = default) => Task.FromResult(Find(key));

    /// <summary>The verified artifact of <paramref name="key"/>, or <c>null</c>.</summary>
    public CompileArtifact? Find(string key)
    {
        if (!entries.TryGetValue(key, out var entry))
            return null;
        byte[] content;
        try
        {
            content = File.ReadAllBytes(entry.Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Remove(key, entry);
            return null;
        }
        var artifact = CompileArtifact.Verified(key, content, entry.Sha256);
        if (artifact is null)
        {
            EngineTelemetry.CompileCacheCorrupt.Add(1);
            Remove(key, entry);
            return null;
        }
        Interlocked.Exchange(ref entry.LastUse, DateTime.UtcNow.Ticks);
        return artifact;
    }

    public Task AddAsync(CompileArtifact artifact, CancellationToken cancellationToken = default)
    {
        Add(artifact);
        return Task.CompletedTask;
    }

    /// <summary>Keeps <paramref name="artifact"/>, replacing an entry of the same key, then evicts down to the size bound.</summary>
    public void Add(CompileArtifact artifact)
    {
        if (!CompileKey.IsWellFormed(artifact.Key) || artifact.Content.Length > maxBytes)
            return;
        var path = Path.Combine(directory, $"{artifact.Key}.{artifact.Sha256}{Extension}");
        var temporary = Path.Combine(directory, $"{Guid.NewGuid():N}.tmp");
        try
        {
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            {
                file.Write(artifact.Content);
            }
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            File.Delete(temporary);
            return; // a full disk costs a later compile, nothing more
        }
        var added = new Entry(path, artifact.Sha256, artifact.Content.Length, DateTime.UtcNow.Ticks);
        entries.AddOrUpdate(artifact.Key, _ =>
        {
            Interlocked.Add(ref totalBytes, added.Bytes);
            return added;
        }, (_, old) =>
        {
            Interlocked.Add(ref totalBytes, added.Bytes - old.Bytes);
            if (old.Path != path)
                File.Delete(old.Path);
            return added;
        });
        Evict();
    }

    private void Remove(string key, Entry entry)
    {
        if (entries.TryRemove(new KeyValuePair<string, Entry>(key, entry)))
        {
            Interlocked.Add(ref totalBytes, -entry.Bytes);
            try
            {
                File.Delete(entry.Path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
    }

    private void Evict()
    {
        if (TotalBytes <= maxBytes)
            return;
        lock (evicting)
        {
            foreach (var (key, entry) in entries.OrderBy(e => Interlocked.Read(ref e.Value.LastUse)).ToList())
            {
                if (TotalBytes <= maxBytes)
                    break;
                Remove(key, entry);
            }
        }
    }
}
