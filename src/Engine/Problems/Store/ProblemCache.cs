using System.Collections.Concurrent;
using System.Collections.Immutable;
using Judge.Engine.Judging;
using Microsoft.Extensions.Logging;

namespace Judge.Engine.Problems.Store;

/// <summary>The problems of one store, copied to a local cache by content hash and validated before they are offered.</summary>
/// <remarks>
/// Each version lives in <c>&lt;cache&gt;/&lt;id&gt;/&lt;content hash&gt;/&lt;id&gt;/</c>, written once under a temporary name, validated
/// by <see cref="ProblemLoader"/>, then renamed into place and swapped in; it is never changed afterwards, so a submission
/// keeps judging against the version it started with. A version whose hash is already current (or already rejected) is
/// neither copied nor loaded again. A rejected version is logged and listed in <see cref="Errors"/>, and the last good
/// version of that problem stays in use. Versions replaced or removed are deleted after <c>keepReplaced</c>.
/// A version that states no time limit is offered once its limit is derived (<see cref="TimeLimitDerivation"/>, in the
/// background, once per version); meanwhile it is listed in <see cref="Deriving"/> and the last good version, if any,
/// stays in use. Without a derivation such a version is rejected.
/// </remarks>
public sealed partial class ProblemCache : IProblemSource, IDisposable
{
    private readonly IProblemPackageStore store;
    private readonly PackageLimits limits;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly TimeSpan keepReplaced;
    private readonly TimeSpan unknownLookupInterval;
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly Dictionary<string, DateTimeOffset> retired = new(StringComparer.Ordinal); // guarded by gate
    private readonly ConcurrentDictionary<string, DateTimeOffset> unknownLookups = new(StringComparer.Ordinal);
    private volatile Snapshot snapshot = Snapshot.Empty;
    private bool scannedCache; // guarded by gate
    private readonly TimeLimitDerivation? derivation;
    private readonly ConcurrentDictionary<string, Derivation> deriving = new(StringComparer.Ordinal); // written under gate
    private readonly CancellationTokenSource disposed = new();

    /// <summary>A cache of <paramref name="store"/>'s problems under <paramref name="cacheDirectory"/>.</summary>
    /// <param name="keepReplaced">How long a replaced or removed version stays on disk for submissions still judging with it.</param>
    /// <param name="unknownLookupInterval">How soon an id that the store did not have may be looked up there again.</param>
    /// <param name="derivation">Derives the time limits packages do not state; <c>null</c> rejects such packages.</param>
    public ProblemCache(IProblemPackageStore store, string cacheDirectory, PackageLimits limits, TimeProvider time, ILogger logger,
        TimeSpan keepReplaced, TimeSpan unknownLookupInterval, TimeLimitDerivation? derivation = null)
    {
        this.derivation = derivation;
        ArgumentException.ThrowIfNullOrWhiteSpace(cacheDirectory);
        this.store = store;
        this.limits = limits;
        this.time = time;
        this.logger = logger;
        this.keepReplaced = keepReplaced;
        this.unknownLookupInterval = unknownLookupInterval;
        CacheDirectory = Path.GetFullPath(cacheDirectory);
    }

    /// <summary>The cache directory, absolute.</summary>
    public string CacheDirectory { get; }

    /// <summary>Where the packages come from.</summary>
    public string Location => store.Location;

    /// <summary>Valid problems, by id order.</summary>
    public IReadOnlyList<Problem> Problems => snapshot.Problems;

    /// <summary>The latest rejected version of each problem whose package is broken, naming the problem and the file; a
    /// problem listed here may still be offered in its last good version.</summary>
    public IReadOnlyList<ProblemFormatException> Errors => snapshot.Errors;

    /// <summary>Problems whose time limit is being derived and that have no version in use yet, by id order.</summary>
    public IReadOnlyCollection<string> Deriving =>
        deriving.Keys.Where(id => !snapshot.Current.ContainsKey(id)).Order(StringComparer.Ordinal).ToList();

    /// <summary>The problem; while the time limit of its latest version is being derived and no version is in use yet,
    /// waits for the derivation (bounded by the derivation's own timeout and <paramref name="cancellationToken"/>).</summary>
    public async Task<Problem?> WhenReadyAsync(string id, CancellationToken cancellationToken = default)
    {
        if (await FindAsync(id, cancellationToken) is { } problem)
            return problem;
        while (id is not null && Find(id) is null && deriving.TryGetValue(id, out var running) && !running.Done.IsCompleted)
            await running.Done.WaitAsync(cancellationToken);
        return Find(id!);
    }

    /// <summary>Completes once no time limit is being derived (derivations started meanwhile included).</summary>
    public async Task WhenDerivedAsync(CancellationToken cancellationToken = default)
    {
        while (deriving.Values.Select(d => d.Done).Where(t => !t.IsCompleted).ToList() is { Count: > 0 } running)
            await Task.WhenAll(running).WaitAsync(cancellationToken);
    }

    /// <summary>Stops derivations in progress.</summary>
    public void Dispose() => disposed.Cancel();

    /// <summary>The current version of the problem, or <c>null</c>.</summary>
    public Problem? Find(string id) => id is not null && snapshot.Current.TryGetValue(id, out var entry) ? entry.Problem : null;

    /// <summary>The content hash of the problem's current version, or <c>null</c>.</summary>
    public string? ContentHash(string id) => snapshot.Current.TryGetValue(id, out var entry) ? entry.Hash : null;

    /// <summary>The current version; for an id not known yet, first asks the store for that one package (at most once per
    /// lookup interval per id), so a problem just uploaded is judged without waiting for the next refresh.</summary>
    public async Task<Problem?> FindAsync(string id, CancellationToken cancellationToken = default)
    {
        if (id is null)
            return null;
        if (Find(id) is { } known)
            return known;
        if (PackageFiles.PathError(id) is not null || id.Contains('/'))
            return null;
        var now = time.GetUtcNow();
        if (unknownLookups.TryGetValue(id, out var last) && now - last < unknownLookupInterval)
            return null;
        unknownLookups[id] = now;
        if (unknownLookups.Count > 10_000)
        {
            foreach (var stale in unknownLookups.Where(kv => now - kv.Value >= unknownLookupInterval).Select(kv => kv.Key).ToList())
                unknownLookups.TryRemove(stale, out _);
        }

        try
        {
            await RefreshAsync(id, cancellationToken);
        }
        catch (ProblemStoreException e)
        {
            LogStoreFailed(logger, e, store.Location);
        }
        return Find(id);
    }

    /// <summary>Lists every package and brings the cache up to date: new and changed packages are copied and validated,
    /// packages gone from the store are no longer offered, old versions past their keeping time are deleted.</summary>
    /// <exception cref="ProblemStoreException">The store cannot be listed; nothing changed.</exception>
    public Task RefreshAsync(CancellationToken cancellationToken = default) => RefreshAsync(null, cancellationToken);

    private async Task RefreshAsync(string? onlyId, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            var listing = await store.ListAsync(onlyId, cancellationToken);
            var before = snapshot;
            var current = before.Current.ToBuilder();
            var rejected = before.Rejected.ToBuilder();
            foreach (var version in listing)
            {
                if (onlyId is not null && version.ProblemId != onlyId)
                    continue;
                await UpdateAsync(version, current, rejected, cancellationToken);
            }

            if (onlyId is null)
            {
                var listed = listing.Select(v => v.ProblemId).ToHashSet(StringComparer.Ordinal);
                foreach (var gone in current.Keys.Where(id => !listed.Contains(id)).ToList())
                {
                    Retire(current[gone].VersionDirectory);
                    current.Remove(gone);
                    LogRemoved(logger, gone, store.Location);
                }
                foreach (var gone in rejected.Keys.Where(id => !listed.Contains(id)).ToList())
                    rejected.Remove(gone);
                foreach (var gone in deriving.Keys.Where(id => !listed.Contains(id)).ToList())
                {
                    if (deriving.TryRemove(gone, out var abandoned))
                        abandoned.Cancel();
                }
            }

            snapshot = new Snapshot(current.ToImmutable(), rejected.ToImmutable());
            if (onlyId is null)
            {
                if (!scannedCache)
                {
                    RetireUnused();
                    scannedCache = true;
                }
                DeleteExpired();
            }
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task UpdateAsync(PackageVersion version, ImmutableSortedDictionary<string, Entry>.Builder current,
        ImmutableSortedDictionary<string, Rejection>.Builder rejected, CancellationToken cancellationToken)
    {
        var id = version.ProblemId;
        var hash = version.ContentHash;
        if (current.TryGetValue(id, out var existing) && existing.Hash == hash)
        {
            rejected.Remove(id); // a broken edit was undone
            return;
        }
        if (rejected.TryGetValue(id, out var known) && known.Hash == hash)
            return;
        if (deriving.TryGetValue(id, out var running))
        {
            if (running.Hash == hash)
                return; // its limit is being derived
            if (deriving.TryRemove(id, out var outdated))
                outdated.Cancel(); // a newer version replaces it
        }

        try
        {
            var entry = await LoadAsync(version, cancellationToken);
            if (entry.Problem.Limits.DerivesTimeLimit)
            {
                if (derivation is null)
                    throw new ProblemFormatException(id, "problem.yaml",
                        "the package states no time limit (limits.time_limit, .timelimit or domjudge-problem.ini), and this judge was not set up to derive one");
                StartDerivation(entry);
                return;
            }
            current[id] = entry;
            rejected.Remove(id);
            retired.Remove(entry.VersionDirectory);
            if (existing is null)
                LogLoaded(logger, id, hash, store.Location);
            else
            {
                Retire(existing.VersionDirectory);
                LogReplaced(logger, id, existing.Hash, hash, store.Location);
            }
        }
        catch (ProblemFormatException e)
        {
            rejected[id] = new Rejection(e, hash);
            if (existing is null)
                LogRejected(logger, e.Problem, e.File, e.Reason, hash);
            else
                LogRejectedKept(logger, e.Problem, e.File, e.Reason, hash, existing.Hash);
        }
        catch (PackageChangedException e)
        {
            LogChanged(logger, id, e.Message);
        }
        catch (Exception e) when (e is ProblemStoreException or IOException or UnauthorizedAccessException)
        {
            LogFetchFailed(logger, e, id, store.Location);
        }
    }

    /// <summary>Derives the version's time limit in the background; when done, it takes the problem's place (or is rejected)
    /// unless a newer version came meanwhile.</summary>
    private void StartDerivation(Entry entry)
    {
        var id = entry.Problem.Id;
        var cancel = CancellationTokenSource.CreateLinkedTokenSource(disposed.Token);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = new Derivation(entry.Hash, cancel, started.Task);
        deriving[id] = running;
        retired.Remove(entry.VersionDirectory);
        LogDeriving(logger, id, entry.Hash);
        _ = Task.Run(async () =>
        {
            try
            {
                Entry? ready = null;
                ProblemFormatException? refused = null;
                try
                {
                    ready = entry with { Problem = await derivation!.ApplyAsync(entry.Problem, entry.Hash, cancel.Token) };
                }
                catch (ProblemFormatException e)
                {
                    refused = e;
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancel.IsCancellationRequested)
                {
                    refused = new ProblemFormatException(id, TimeLimitDeriver.AcceptedFolder, $"the time limit could not be derived: {e.Message}");
                }

                await gate.WaitAsync(disposed.Token);
                try
                {
                    if (!deriving.TryGetValue(id, out var latest) || latest != running)
                        return; // replaced or removed meanwhile
                    var current = snapshot.Current.ToBuilder();
                    var rejected = snapshot.Rejected.ToBuilder();
                    if (ready is not null)
                    {
                        current.TryGetValue(id, out var existing);
                        current[id] = ready;
                        rejected.Remove(id);
                        retired.Remove(ready.VersionDirectory);
                        if (existing is not null && existing.VersionDirectory != ready.VersionDirectory)
                            Retire(existing.VersionDirectory);
                        LogDerived(logger, id, ready.Problem.Limits.TimeLimitSource, entry.Hash);
                    }
                    else
                    {
                        rejected[id] = new Rejection(refused!, entry.Hash);
                        LogRejected(logger, refused!.Problem, refused.File, refused.Reason, entry.Hash);
                    }
                    snapshot = new Snapshot(current.ToImmutable(), rejected.ToImmutable());
                    deriving.TryRemove(new KeyValuePair<string, Derivation>(id, running));
                }
                finally
                {
                    gate.Release();
                }
            }
            catch (OperationCanceledException)
            {
                // abandoned: a newer version, the package gone, or the cache disposed
            }
            finally
            {
                started.TrySetResult();
                cancel.Dispose();
            }
        });
    }

    /// <summary>A derivation in progress.</summary>
    private sealed record Derivation(string Hash, CancellationTokenSource Source, Task Done)
    {
        public void Cancel()
        {
            try
            {
                Source.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // already over
            }
        }
    }

    /// <summary>The version from the cache, or copied from the store and validated first.</summary>
    private async Task<Entry> LoadAsync(PackageVersion version, CancellationToken cancellationToken)
    {
        var fetched = PackageFiles.WithoutUnusableExtras(version); // the cache keeps the listed version's hash
        PackageFiles.Check(fetched, limits);
        var id = version.ProblemId;
        var problemDirectory = Path.Combine(CacheDirectory, id);
        var versionDirectory = Path.Combine(problemDirectory, version.ContentHash);
        var packageDirectory = Path.Combine(versionDirectory, id);
        if (!Directory.Exists(packageDirectory))
        {
            var temporary = Path.Combine(problemDirectory, $"{TemporaryPrefix}{Guid.NewGuid():N}");
            try
            {
                Directory.CreateDirectory(Path.Combine(temporary, id));
                await store.FetchAsync(fetched, Path.Combine(temporary, id), cancellationToken);
                ProblemLoader.Load(Path.Combine(temporary, id)); // validated before it takes the version's place
                try
                {
                    Directory.Move(temporary, versionDirectory);
                }
                catch (IOException) when (Directory.Exists(packageDirectory))
                {
                    // Another cache on the same directory stored this version first: the same content.
                }
            }
            finally
            {
                DeleteTree(temporary);
            }
        }
        return new Entry(ProblemLoader.Load(packageDirectory), version.ContentHash, versionDirectory);
    }

    private const string TemporaryPrefix = ".tmp-";

    private void Retire(string versionDirectory) => retired.TryAdd(versionDirectory, time.GetUtcNow());

    /// <summary>Once, after the first full refresh: versions left on disk by an earlier run that are not current any more
    /// start their keeping time now; temporary directories of interrupted copies are deleted then too.</summary>
    private void RetireUnused()
    {
        if (!Directory.Exists(CacheDirectory))
            return;
        var inUse = snapshot.Current.Values.Select(e => e.VersionDirectory).ToHashSet(StringComparer.Ordinal);
        foreach (var (id, running) in deriving)
            inUse.Add(Path.Combine(CacheDirectory, id, running.Hash));
        foreach (var problem in new DirectoryInfo(CacheDirectory).EnumerateDirectories())
        {
            foreach (var version in problem.EnumerateDirectories())
            {
                if (version.Name.StartsWith(TemporaryPrefix, StringComparison.Ordinal))
                    Retire(version.FullName);
                else if (!inUse.Contains(version.FullName))
                    Retire(version.FullName);
            }
        }
    }

    private void DeleteExpired()
    {
        var now = time.GetUtcNow();
        foreach (var (directory, since) in retired.Where(kv => now - kv.Value >= keepReplaced).ToList())
        {
            DeleteTree(directory);
            retired.Remove(directory);
            LogDeleted(logger, directory);
        }
    }

    private static void DeleteTree(string path)
    {
        try
        {
            if (Directory.Exists(path))
                Directory.Delete(path, recursive: true); // removes links themselves, never their targets
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private sealed record Entry(Problem Problem, string Hash, string VersionDirectory);

    private sealed record Rejection(ProblemFormatException Error, string Hash);

    private sealed class Snapshot(ImmutableSortedDictionary<string, Entry> current, ImmutableSortedDictionary<string, Rejection> rejected)
    {
        public static Snapshot Empty { get; } = new(
            ImmutableSortedDictionary.Create<string, Entry>(StringComparer.Ordinal),
            ImmutableSortedDictionary.Create<string, Rejection>(StringComparer.Ordinal));

        public ImmutableSortedDictionary<string, Entry> Current { get; } = current;
        public ImmutableSortedDictionary<string, Rejection> Rejected { get; } = rejected;
        public IReadOnlyList<Problem> Problems { get; } = current.Values.Select(e => e.Problem).ToList();
        public IReadOnlyList<ProblemFormatException> Errors { get; } = rejected.Values.Select(r => r.Error).ToList();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Problem {Problem} states no time limit: deriving it from its accepted submissions (version {Hash})")]
    private static partial void LogDeriving(ILogger logger, string problem, string hash);

    [LoggerMessage(Level = LogLevel.Information, Message = "Problem {Problem} offered with the time limit {Source} (version {Hash})")]
    private static partial void LogDerived(ILogger logger, string problem, string source, string hash);

    [LoggerMessage(Level = LogLevel.Information, Message = "Problem {Problem} loaded from {Location} (version {Hash})")]
    private static partial void LogLoaded(ILogger logger, string problem, string hash, string location);

    [LoggerMessage(Level = LogLevel.Information, Message = "Problem {Problem} changed in {Location}: version {OldHash} replaced by {Hash}")]
    private static partial void LogReplaced(ILogger logger, string problem, string oldHash, string hash, string location);

    [LoggerMessage(Level = LogLevel.Information, Message = "Problem {Problem} is gone from {Location}: no longer offered")]
    private static partial void LogRemoved(ILogger logger, string problem, string location);

    [LoggerMessage(Level = LogLevel.Error, Message = "Problem {Problem} rejected: {File}: {Reason} (version {Hash})")]
    private static partial void LogRejected(ILogger logger, string problem, string file, string reason, string hash);

    [LoggerMessage(Level = LogLevel.Error, Message = "Problem {Problem} rejected: {File}: {Reason} (version {Hash}); version {KeptHash} stays in use")]
    private static partial void LogRejectedKept(ILogger logger, string problem, string file, string reason, string hash, string keptHash);

    [LoggerMessage(Level = LogLevel.Information, Message = "Problem {Problem} changed while it was copied ({Detail}); the next refresh copies it again")]
    private static partial void LogChanged(ILogger logger, string problem, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Problem {Problem} could not be copied from {Location}; the next refresh tries again")]
    private static partial void LogFetchFailed(ILogger logger, Exception exception, string problem, string location);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The problem store {Location} could not be read")]
    private static partial void LogStoreFailed(ILogger logger, Exception exception, string location);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Deleted the old problem version {Directory}")]
    private static partial void LogDeleted(ILogger logger, string directory);
}
