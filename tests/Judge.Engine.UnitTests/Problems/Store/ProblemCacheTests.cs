using Judge.Engine.Problems;
using Judge.Engine.Problems.Store;
using Microsoft.Extensions.Logging.Abstractions;

namespace Judge.Engine.UnitTests.Problems.Store;

/// <summary>The cache over the real local directory store: packages edited on disk while the "silo" runs.</summary>
public sealed class ProblemCacheTests : IDisposable
{
    private static readonly TimeSpan KeepReplaced = TimeSpan.FromHours(1);
    private static readonly TimeSpan LookupInterval = TimeSpan.FromSeconds(5);

    private readonly PackageBuilder packages = new();
    private readonly string cacheDirectory = Directory.CreateTempSubdirectory("judge-problem-cache-").FullName;
    private readonly ManualTime time = new();
    private readonly CountingStore store;
    private readonly ProblemCache cache;

    public ProblemCacheTests()
    {
        store = new CountingStore(new DirectoryPackageStore(packages.Root, PackageLimits.Default));
        cache = new ProblemCache(store, cacheDirectory, PackageLimits.Default, time, NullLogger.Instance, KeepReplaced, LookupInterval);
    }

    public void Dispose()
    {
        packages.Dispose();
        Directory.Delete(cacheDirectory, recursive: true);
    }

    /// <summary>A minimal package with its time limit (<c>.timelimit</c>): one that states none needs a derivation, which
    /// this cache (no sandbox) does not have.</summary>
    private string Package(string id, string? problemYaml = null)
    {
        var path = packages.Package(id, problemYaml);
        packages.Write($"{id}/.timelimit", "1");
        return path;
    }

    private void Answer(string id, string answer) => packages.Write($"{id}/data/sample/1.ans", answer);

    private static string ReadAnswer(Problem problem) => File.ReadAllText(problem.Tests[0].AnswerPath);

    [Fact]
    public async Task A_problem_is_judged_from_its_content_hash_directory_not_from_the_source()
    {
        Package("alpha", "name: Alpha\n");

        await cache.RefreshAsync();

        var problem = Assert.Single(cache.Problems);
        Assert.Equal("Alpha", problem.Name);
        Assert.Equal(Path.Combine(cacheDirectory, "alpha", cache.ContentHash("alpha")!, "alpha"), problem.Directory);
        Assert.Equal("1\n", ReadAnswer(problem));
    }

    [Fact]
    public async Task A_problem_edited_on_disk_is_picked_up_without_a_restart_and_the_old_version_stays_for_judging_in_flight()
    {
        Package("alpha");
        await cache.RefreshAsync();
        var before = cache.Find("alpha")!;
        var oldHash = cache.ContentHash("alpha");

        Answer("alpha", "2\n");
        await cache.RefreshAsync();

        var after = cache.Find("alpha")!;
        Assert.NotEqual(oldHash, cache.ContentHash("alpha"));
        Assert.Equal("2\n", ReadAnswer(after));
        Assert.Equal("1\n", ReadAnswer(before)); // a submission that started with the old version still reads it
        Assert.Equal(2, store.Fetches);
    }

    [Fact]
    public async Task An_unchanged_package_is_neither_copied_nor_rewritten_again()
    {
        Package("alpha");
        await cache.RefreshAsync();
        var answer = cache.Find("alpha")!.Tests[0].AnswerPath;
        var written = File.GetLastWriteTimeUtc(answer);

        await cache.RefreshAsync();
        await cache.RefreshAsync();

        Assert.Equal(1, store.Fetches);
        Assert.Equal(3, store.Listings);
        Assert.Equal(answer, cache.Find("alpha")!.Tests[0].AnswerPath);
        Assert.Equal(written, File.GetLastWriteTimeUtc(answer));
    }

    [Fact]
    public async Task A_broken_edit_is_rejected_naming_the_file_and_the_last_good_version_stays_in_use()
    {
        Package("alpha", "name: Alpha\n");
        await cache.RefreshAsync();
        var good = cache.ContentHash("alpha");

        packages.Write("alpha/problem.yaml", "limits:\n  time_limit: soon\n");
        await cache.RefreshAsync();

        Assert.Equal(good, cache.ContentHash("alpha"));
        Assert.Equal("Alpha", cache.Find("alpha")!.Name);
        var error = Assert.Single(cache.Errors);
        Assert.Equal(("alpha", "problem.yaml"), (error.Problem, error.File));

        await cache.RefreshAsync(); // the same broken version is not copied again
        Assert.Equal(2, store.Fetches);

        packages.Write("alpha/problem.yaml", "name: Alpha fixed\n");
        await cache.RefreshAsync();
        Assert.Equal("Alpha fixed", cache.Find("alpha")!.Name);
        Assert.Empty(cache.Errors);
    }

    [Fact]
    public async Task A_broken_new_package_is_not_offered()
    {
        Package("alpha");
        packages.Write("broken/problem.yaml", "name: Broken\n");

        await cache.RefreshAsync();

        Assert.Equal(["alpha"], cache.Problems.Select(p => p.Id));
        var error = Assert.Single(cache.Errors);
        Assert.Equal(("broken", "data/"), (error.Problem, error.File));
        Assert.Null(cache.Find("broken"));
        Assert.False(Directory.Exists(Path.Combine(cacheDirectory, "broken", store.LastListed["broken"])));
    }

    [Fact]
    public async Task A_link_that_leads_out_of_the_package_is_rejected_in_the_copy_too()
    {
        Package("alpha");
        packages.Write("secret.txt", "not for submissions");
        File.Delete(packages.PathOf("alpha/data/sample/1.ans"));
        File.CreateSymbolicLink(packages.PathOf("alpha/data/sample/1.ans"), "../../../secret.txt");

        await cache.RefreshAsync();

        Assert.Null(cache.Find("alpha"));
        var error = Assert.Single(cache.Errors);
        Assert.Equal("alpha", error.Problem);
        Assert.Contains("leads outside the package", error.Reason);
    }

    [Fact]
    public async Task A_file_judging_does_not_read_never_blocks_the_package_whatever_its_name()
    {
        Package("alpha");
        packages.Write("alpha/submissions/accepted/odd\\name.py", "print(1)");
        packages.Write("alpha/submissions/accepted/fine.py", "print(1)");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [packages.PathOf("alpha/submissions/pipe")]))
        {
            mkfifo.WaitForExit();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        await cache.RefreshAsync();

        var problem = cache.Find("alpha");
        Assert.NotNull(problem);
        Assert.Empty(cache.Errors);
        Assert.True(File.Exists(Path.Combine(problem.Directory, "submissions/accepted/fine.py")));
        Assert.Single(Directory.GetFiles(Path.Combine(problem.Directory, "submissions/accepted")));
        Assert.False(File.Exists(Path.Combine(problem.Directory, "submissions/pipe")));
    }

    [Fact]
    public async Task A_judged_file_with_a_backslash_in_its_name_still_blocks_the_package()
    {
        Package("alpha");
        packages.Write("alpha/data/secret/a\\b.in", "1");

        await cache.RefreshAsync();

        Assert.Null(cache.Find("alpha"));
        Assert.Contains("backslash", Assert.Single(cache.Errors).Reason);
    }

    [Fact]
    public async Task Test_files_linked_between_groups_are_judged_from_the_copy_of_the_file_they_lead_to()
    {
        Package("alpha");
        Directory.CreateDirectory(packages.PathOf("alpha/data/secret"));
        File.CreateSymbolicLink(packages.PathOf("alpha/data/secret/1.in"), "../sample/1.in");
        File.CreateSymbolicLink(packages.PathOf("alpha/data/secret/1.ans"), "../sample/1.ans");

        await cache.RefreshAsync();

        var problem = cache.Find("alpha")!;
        var linked = problem.Tests.Single(t => t.Name == "secret/1");
        Assert.Equal(Path.Combine(problem.Directory, "data/sample/1.in"), linked.InputPath);
        Assert.Equal(Path.Combine(problem.Directory, "data/sample/1.ans"), linked.AnswerPath);
        Assert.Equal("1\n", File.ReadAllText(linked.AnswerPath));
    }

    [Fact]
    public async Task A_package_stating_no_time_limit_is_rejected_by_a_cache_that_cannot_derive_one()
    {
        packages.Package("nolimit", "name: No limit\n");

        await cache.RefreshAsync();

        Assert.Null(cache.Find("nolimit"));
        Assert.Empty(cache.Deriving);
        var error = Assert.Single(cache.Errors);
        Assert.Equal(("nolimit", "problem.yaml"), (error.Problem, error.File));
        Assert.Contains("states no time limit", error.Reason);
    }

    [Fact]
    public async Task A_package_directory_that_is_a_link_to_one_elsewhere_is_offered()
    {
        using var elsewhere = new PackageBuilder();
        elsewhere.Package("linked", "name: Linked\nlimits:\n  time_limit: 1\n");
        Directory.CreateSymbolicLink(packages.PathOf("linked"), elsewhere.PathOf("linked"));

        await cache.RefreshAsync();

        Assert.Equal("Linked", cache.Find("linked")?.Name);
        Assert.StartsWith(cacheDirectory, cache.Find("linked")!.Directory, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_package_deleted_from_disk_is_no_longer_offered_and_its_files_go_after_the_keeping_time()
    {
        Package("alpha");
        Package("beta");
        await cache.RefreshAsync();
        var alpha = cache.Find("alpha")!;

        Directory.Delete(packages.PathOf("alpha"), recursive: true);
        await cache.RefreshAsync();

        Assert.Equal(["beta"], cache.Problems.Select(p => p.Id));
        Assert.True(Directory.Exists(alpha.Directory)); // may still be judging

        time.Advance(KeepReplaced - TimeSpan.FromSeconds(1));
        await cache.RefreshAsync();
        Assert.True(Directory.Exists(alpha.Directory));

        time.Advance(TimeSpan.FromSeconds(1));
        await cache.RefreshAsync();
        Assert.False(Directory.Exists(alpha.Directory));
        Assert.True(Directory.Exists(cache.Find("beta")!.Directory));
    }

    [Fact]
    public async Task A_replaced_version_is_deleted_after_the_keeping_time_unless_it_is_current_again()
    {
        Package("alpha");
        await cache.RefreshAsync();
        var first = cache.Find("alpha")!.Directory;
        var firstTime = File.GetLastWriteTimeUtc(packages.PathOf("alpha/data/sample/1.ans"));

        Answer("alpha", "2\n");
        await cache.RefreshAsync();
        var second = cache.Find("alpha")!.Directory;

        Answer("alpha", "1\n");
        File.SetLastWriteTimeUtc(packages.PathOf("alpha/data/sample/1.ans"), firstTime); // the first version, byte for byte
        await cache.RefreshAsync();
        Assert.Equal(first, cache.Find("alpha")!.Directory);
        Assert.Equal(2, store.Fetches); // found in the cache, not copied again

        time.Advance(KeepReplaced);
        await cache.RefreshAsync();
        Assert.True(Directory.Exists(first));
        Assert.False(Directory.Exists(second));
    }

    [Fact]
    public async Task A_problem_added_after_start_is_found_when_a_submission_names_it()
    {
        Package("alpha");
        await cache.RefreshAsync();
        Package("gamma", "name: Gamma\n");

        Assert.Null(cache.Find("gamma"));
        Assert.Equal("Gamma", (await cache.FindAsync("gamma"))?.Name);
        Assert.Equal("gamma", cache.Find("gamma")?.Id);
    }

    [Fact]
    public async Task An_unknown_problem_is_looked_up_in_the_store_at_most_once_per_interval()
    {
        await cache.RefreshAsync();
        var listings = store.Listings;

        Assert.Null(await cache.FindAsync("nope"));
        Assert.Null(await cache.FindAsync("nope"));
        Assert.Equal(listings + 1, store.Listings);

        time.Advance(LookupInterval);
        Assert.Null(await cache.FindAsync("nope"));
        Assert.Equal(listings + 2, store.Listings);

        Assert.Null(await cache.FindAsync("../etc"));
        Assert.Null(await cache.FindAsync("a/b"));
        Assert.Equal(listings + 2, store.Listings);
    }

    [Fact]
    public async Task A_missing_problems_directory_is_an_error_naming_the_setting()
    {
        var missing = new ProblemCache(new DirectoryPackageStore(Path.Combine(packages.Root, "none"), PackageLimits.Default),
            cacheDirectory, PackageLimits.Default, time, NullLogger.Instance, KeepReplaced, LookupInterval);

        var error = await Assert.ThrowsAsync<ProblemStoreException>(() => missing.RefreshAsync());

        Assert.Contains("Judge:Problems:Root", error.Message);
    }

    /// <summary>Time that moves only when told.</summary>
    private sealed class ManualTime : TimeProvider
    {
        private DateTimeOffset now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => now;

        public void Advance(TimeSpan by) => now += by;
    }

    /// <summary>The real store, counting what the cache asks of it.</summary>
    private sealed class CountingStore(IProblemPackageStore inner) : IProblemPackageStore
    {
        public int Listings;
        public int Fetches;
        public Dictionary<string, string> LastListed { get; } = [];

        public string Location => inner.Location;

        public async Task<IReadOnlyList<PackageVersion>> ListAsync(string? problemId, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Listings);
            var versions = await inner.ListAsync(problemId, cancellationToken);
            foreach (var version in versions)
                LastListed[version.ProblemId] = version.ContentHash;
            return versions;
        }

        public Task FetchAsync(PackageVersion version, string directory, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Fetches);
            return inner.FetchAsync(version, directory, cancellationToken);
        }
    }
}
