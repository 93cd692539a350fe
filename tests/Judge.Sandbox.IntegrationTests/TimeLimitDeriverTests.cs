using Judge.Engine.Judging;
using Judge.Engine.Languages;
using Judge.Engine.Problems;
using Judge.Engine.Problems.Store;
using Judge.Engine.Verdicts;
using Microsoft.Extensions.Logging.Abstractions;

namespace Judge.Sandbox.IntegrationTests;

/// <summary>
/// Time limits derived from a package's accepted submissions (tests/packages/derivedlimit and derivedlegacy) through
/// <see cref="TimeLimitDeriver"/>, the real pipeline, the isolating sandbox and the real toolchains; and the
/// <see cref="ProblemCache"/> deriving each package version once.
/// </summary>
public sealed class TimeLimitDeriverTests(ITestOutputHelper output) : IDisposable
{
    private static readonly Lazy<SubmissionJudge> Judge = new(() =>
        new SubmissionJudge(TestSandbox.Create(), JudgeOptions.Default with { WorkRoot = TestSandbox.WorkRoot }));

    // Every language but Kotlin: derivedlegacy's sum.kt stands for a submission in a language the judge does not offer.
    private static readonly IReadOnlyDictionary<string, Language> Offered = LanguageCatalog.All.Where(l => l.Id != "kotlin").ToDictionary(l => l.Id);

    private readonly string scratch = Directory.CreateTempSubdirectory("judge-derive-").FullName;

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    private static Problem Package(string id) => ProblemLoader.Load(Path.Combine(RepositoryPaths.Packages, id));

    /// <summary>The limit the format's formula gives for a measured slowest run, computed here on its own.</summary>
    private static TimeSpan Expected(TimeSpan slowest, double multiplier, double resolution) =>
        TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(Math.Round(slowest.TotalSeconds * multiplier / resolution, 9))) * resolution);

    [Fact]
    public async Task Modern_package_without_a_time_limit_is_judged_with_twice_its_slowest_accepted_run_rounded_up_to_its_resolution()
    {
        var problem = Package("derivedlimit");
        Assert.True(problem.Limits.TimeLimitPending);
        var deriver = new TimeLimitDeriver(Judge.Value);

        var derived = await deriver.DeriveAsync(problem, Offered);

        output.WriteLine(derived.Description);
        Assert.Equal(2, deriver.SubmissionsJudged);
        Assert.Contains(derived.Submission, new[] { "submissions/accepted/fast.cpp", "submissions/accepted/loop.py" });
        Assert.True(derived.Slowest > TimeSpan.Zero, "the slowest accepted run was measured");
        Assert.Equal(2, derived.Multiplier);
        Assert.Equal(Expected(derived.Slowest, 2, 0.5), derived.TimeLimit);
        Assert.Equal(0, derived.TimeLimit.TotalMilliseconds % 500);
        Assert.StartsWith($"derived: slowest accepted {derived.Slowest.TotalSeconds:0.###} s ({derived.Submission}) x 2 = ", derived.Description);
        Assert.True(derived.TimeLimit < TimeSpan.FromSeconds(2.5), $"spin.cpp's 3 s must exceed the derived limit: {derived.Description}");

        var judged = TimeLimitDerivation.With(problem, derived);
        Assert.Equal(derived.Description, judged.Limits.TimeLimitSource);
        var spin = await File.ReadAllTextAsync(Path.Combine(problem.Directory, "submissions", "time_limit_exceeded", "spin.cpp"));
        var cpp = Offered["cpp20"];
        Assert.Equal(Verdict.TLE, (await Judge.Value.JudgeAsync(judged, cpp, spin, IJudgeProgress.None)).Verdict);
        // ... and only the derived limit makes it so: under the derivation's own limit it is accepted.
        var generous = problem with { Limits = problem.Limits with { TimeLimit = deriver.RunLimit, DerivesTimeLimit = false } };
        Assert.Equal(Verdict.AC, (await Judge.Value.JudgeAsync(generous, cpp, spin, IJudgeProgress.None)).Verdict);
    }

    [Fact]
    public async Task Legacy_time_multiplier_derives_whole_seconds_and_skips_languages_not_offered()
    {
        var problem = Package("derivedlegacy");
        Assert.Equal(3, problem.Limits.Multipliers.AcToTimeLimit);
        Assert.Equal(2, problem.Limits.Multipliers.TimeLimitToTle);

        var derived = await new TimeLimitDeriver(Judge.Value).DeriveAsync(problem, Offered);

        output.WriteLine(derived.Description);
        Assert.Equal("submissions/accepted/sum.c", derived.Submission);
        Assert.Equal(Expected(derived.Slowest, 3, 1), derived.TimeLimit);
        Assert.Equal(0, derived.TimeLimit.TotalMilliseconds % 1000);
        Assert.Equal("submissions/accepted/sum.kt: kotlin is not offered here", Assert.Single(derived.Skipped));
    }

    [Fact]
    public async Task A_package_with_no_time_limit_and_no_accepted_submission_it_can_run_is_refused()
    {
        var root = CopyPackage("derivedlegacy", "onlykotlin");
        File.Delete(Path.Combine(root, "submissions", "accepted", "sum.c"));
        var deriver = new TimeLimitDeriver(Judge.Value);

        var error = await Assert.ThrowsAsync<ProblemFormatException>(() => deriver.DeriveAsync(ProblemLoader.Load(root), Offered));

        Assert.Equal("submissions/accepted", error.File);
        Assert.Contains("states no time limit", error.Reason);
        Assert.Contains("submissions/accepted/sum.kt: kotlin is not offered here", error.Reason);

        Directory.Delete(Path.Combine(root, "submissions"), recursive: true);
        error = await Assert.ThrowsAsync<ProblemFormatException>(() => deriver.DeriveAsync(ProblemLoader.Load(root), Offered));
        Assert.Equal("problem 'onlykotlin': submissions/accepted: the package states no time limit (problem.yaml limits.time_limit, .timelimit or domjudge-problem.ini) and it cannot be derived from accepted submissions: there is none in submissions/accepted/", error.Message);
        Assert.Equal(0, deriver.SubmissionsJudged);
    }

    [Fact]
    public async Task An_accepted_submission_that_is_not_accepted_refuses_the_package_naming_it_and_its_verdict()
    {
        var root = CopyPackage("derivedlegacy", "wrongaccepted");
        File.WriteAllText(Path.Combine(root, "submissions", "accepted", "wrong.py"), "a, b = map(int, input().split())\nprint(a - b)\n");

        var error = await Assert.ThrowsAsync<ProblemFormatException>(() => new TimeLimitDeriver(Judge.Value).DeriveAsync(ProblemLoader.Load(root), Offered));

        output.WriteLine(error.Message);
        Assert.Equal("submissions/accepted/wrong.py", error.File);
        Assert.StartsWith("an accepted submission got WA on test sample/1", error.Reason);
    }

    [Fact]
    public async Task The_cache_derives_a_package_version_once_offers_it_only_then_and_derives_a_changed_package_again()
    {
        var packages = Path.Combine(scratch, "packages");
        var root = CopyPackage("derivedlimit", Path.Combine("packages", "derivedlimit"));
        File.Delete(Path.Combine(root, "submissions", "accepted", "fast.cpp")); // one accepted submission: one run per derivation
        var cacheDirectory = Path.Combine(scratch, "cache");
        var release = new TaskCompletionSource();

        // First start: the derivation waits at the store until the test has seen the problem pending.
        var (cache, derivation) = Cache(packages, cacheDirectory, release.Task);
        using (cache)
        {
            await cache.RefreshAsync();
            Assert.Null(cache.Find("derivedlimit"));
            Assert.Equal(["derivedlimit"], cache.Deriving);
            Assert.True(((IProblemSource)cache).IsDeriving("derivedlimit"));
            var waiting = cache.WhenReadyAsync("derivedlimit");
            Assert.False(waiting.IsCompleted);

            release.SetResult();
            var ready = await waiting.WaitAsync(TimeSpan.FromMinutes(2));

            Assert.NotNull(ready);
            Assert.StartsWith("derived: slowest accepted", ready.Limits.TimeLimitSource);
            Assert.Same(ready, cache.Find("derivedlimit"));
            Assert.Empty(cache.Deriving);
            Assert.Equal(1, derivation.Derivations);
            Assert.True(File.Exists(new FileDerivedTimeLimitStore(cacheDirectory).PathOf("derivedlimit", cache.ContentHash("derivedlimit")!)));
        }

        // A restart with the same package: the recorded limit, nothing run.
        var limit = ProblemLoader.Load(root).Limits;
        var (restarted, again) = Cache(packages, cacheDirectory, Task.CompletedTask);
        using (restarted)
        {
            await restarted.RefreshAsync();
            await restarted.WhenDerivedAsync().WaitAsync(TimeSpan.FromMinutes(2));
            var first = restarted.Find("derivedlimit")!;
            Assert.Equal(0, again.Derivations);
            Assert.Equal(0, again.Deriver.SubmissionsJudged);
            Assert.StartsWith("derived: slowest accepted", first.Limits.TimeLimitSource);
            var oldHash = restarted.ContentHash("derivedlimit");

            // A changed package is a new version: derived again, and the old version judges until then.
            File.WriteAllText(Path.Combine(root, "data", "secret", "1.in"), "1000000\n");
            File.WriteAllText(Path.Combine(root, "data", "secret", "1.ans"), "500000500000\n");
            await restarted.RefreshAsync();
            Assert.Same(first, restarted.Find("derivedlimit"));
            await restarted.WhenDerivedAsync().WaitAsync(TimeSpan.FromMinutes(2));

            Assert.NotEqual(oldHash, restarted.ContentHash("derivedlimit"));
            Assert.Equal(1, again.Derivations);
            Assert.Equal(1, again.Deriver.SubmissionsJudged);
        }
        Assert.True(limit.TimeLimitPending);
    }

    private (ProblemCache Cache, TimeLimitDerivation Derivation) Cache(string packages, string cacheDirectory, Task gate)
    {
        var deriver = new TimeLimitDeriver(Judge.Value);
        var derivation = new TimeLimitDerivation(deriver, () => Offered, new GatedStore(new FileDerivedTimeLimitStore(cacheDirectory), gate),
            TimeLimitDerivation.DefaultTimeout);
        var cache = new ProblemCache(new DirectoryPackageStore(packages, PackageLimits.Default), cacheDirectory, PackageLimits.Default,
            TimeProvider.System, NullLogger.Instance, TimeSpan.FromHours(1), TimeSpan.FromSeconds(5), derivation);
        return (cache, derivation);
    }

    /// <summary>A store whose look-ups wait for <paramref name="gate"/>: holds a derivation at its start.</summary>
    private sealed class GatedStore(IDerivedTimeLimitStore inner, Task gate) : IDerivedTimeLimitStore
    {
        public async Task<DerivedTimeLimit?> FindAsync(string problemId, string contentHash, CancellationToken cancellationToken)
        {
            await gate.WaitAsync(cancellationToken);
            return await inner.FindAsync(problemId, contentHash, cancellationToken);
        }

        public Task<DerivedTimeLimit> RecordAsync(string problemId, string contentHash, DerivedTimeLimit derived, CancellationToken cancellationToken) =>
            inner.RecordAsync(problemId, contentHash, derived, cancellationToken);
    }

    /// <summary>Copies a package of tests/packages to <c>scratch/&lt;target&gt;</c>; returns the copy's directory.</summary>
    private string CopyPackage(string id, string target)
    {
        var source = Path.Combine(RepositoryPaths.Packages, id);
        var destination = Path.Combine(scratch, target);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(destination, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }
        return destination;
    }
}
