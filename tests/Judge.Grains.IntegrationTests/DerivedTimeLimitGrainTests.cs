using Judge.Engine.Problems;
using Judge.Engine.Problems.Store;
using Judge.Grains.Problems;
using Judge.Interfaces;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Hosting;
using Orleans.TestingHost;

namespace Judge.Grains.IntegrationTests;

/// <summary>Two silos deriving the time limit of one package version at once end with one value: the first recorded in
/// the version's grain, which the other silo adopts (and keeps next to its own cached copy).</summary>
public sealed class DerivedTimeLimitGrainTests(StorageCluster fixture) : IClassFixture<StorageCluster>, IDisposable
{
    private readonly string scratch = Directory.CreateTempSubdirectory("judge-derived-grain-").FullName;
    private readonly InProcessTestCluster cluster = fixture.Cluster;

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    private static DerivedTimeLimit Limit(double seconds, string submission) =>
        new(TimeSpan.FromSeconds(seconds), TimeSpan.FromSeconds(seconds / 2), submission, 2, TimeSpan.FromSeconds(1), ["submissions/accepted/x.kt: kotlin is not offered here"]);

    [Fact]
    public async Task Concurrent_proposals_for_one_version_all_get_the_first_one()
    {
        var grain = cluster.Client.GetGrain<IDerivedTimeLimitGrain>(IDerivedTimeLimitGrain.KeyOf("sum", "hash-1"));
        Assert.Null(await grain.Get());

        var proposals = Enumerable.Range(1, 8).Select(i => new DerivedTimeLimitRecord(i * 1000, i / 2.0, $"submissions/accepted/{i}.cpp", 2, 1, [], $"silo-{i}")).ToList();
        var answers = await Task.WhenAll(proposals.Select(p => grain.Record(p)));

        var winner = Assert.Single(answers.Distinct());
        Assert.Contains(winner, proposals);
        Assert.Equal(winner, await grain.Get());
        var other = cluster.Client.GetGrain<IDerivedTimeLimitGrain>(IDerivedTimeLimitGrain.KeyOf("sum", "hash-2"));
        Assert.Null(await other.Get()); // another version is another value
    }

    [Fact]
    public async Task A_silo_that_derived_later_adopts_the_first_silos_limit_and_a_third_finds_it_without_deriving()
    {
        IDerivedTimeLimitStore Silo(string name) => new GrainDerivedTimeLimitStore(cluster.Client, new FileDerivedTimeLimitStore(Path.Combine(scratch, name)), name, NullLogger.Instance);
        var (first, second, third) = (Silo("a"), Silo("b"), Silo("c"));

        var recordedByFirst = await first.RecordAsync("sum", "hash-3", Limit(1, "submissions/accepted/a.cpp"), default);
        var recordedBySecond = await second.RecordAsync("sum", "hash-3", Limit(2, "submissions/accepted/b.py"), default);

        Assert.Equal(TimeSpan.FromSeconds(1), recordedByFirst.TimeLimit);
        Assert.Equal((TimeSpan.FromSeconds(1), "submissions/accepted/a.cpp"), (recordedBySecond.TimeLimit, recordedBySecond.Submission));
        Assert.Equal(["submissions/accepted/x.kt: kotlin is not offered here"], recordedBySecond.Skipped);
        Assert.Equal(TimeSpan.FromSeconds(1), (await new FileDerivedTimeLimitStore(Path.Combine(scratch, "b")).FindAsync("sum", "hash-3", default))!.TimeLimit);
        Assert.Equal(TimeSpan.FromSeconds(1), (await third.FindAsync("sum", "hash-3", default))!.TimeLimit);
        Assert.True(File.Exists(new FileDerivedTimeLimitStore(Path.Combine(scratch, "c")).PathOf("sum", "hash-3")));
        Assert.Null(await third.FindAsync("sum", "hash-4", default));
    }
}

/// <summary>Two silos with in-memory grain storage and nothing else.</summary>
public sealed class StorageCluster : IAsyncLifetime
{
    public InProcessTestCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) => silo.AddMemoryGrainStorage("submissions"));
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}
