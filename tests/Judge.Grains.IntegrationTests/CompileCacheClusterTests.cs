using System.Diagnostics.Metrics;
using Judge.Engine.Compilation;
using Judge.Engine.Judging;
using Judge.Engine.Telemetry;
using Judge.Grains.CompileCache;
using Judge.Grains.Options;
using Judge.Interfaces;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.TestingHost;

namespace Judge.Grains.IntegrationTests;

/// <summary>The compile cache across two silos, each with its own work root: an artifact one silo compiled is fetched by the
/// other from it through its pinned peer grain, checked against the hash the first registered.</summary>
public sealed class CompileCacheClusterTests(CompileCacheCluster cluster) : IClassFixture<CompileCacheCluster>
{
    private static CompileArtifact Artifact(string marker)
    {
        var directory = Directory.CreateTempSubdirectory("compile-cache-artifact-");
        try
        {
            File.WriteAllText(Path.Combine(directory.FullName, "main"), $"a compiled program {marker} {Guid.NewGuid()}");
            var key = CompileKey.Compute("cpp17", "g++ test", ["g++", marker], new Dictionary<string, string>(), System.Text.Encoding.UTF8.GetBytes(Guid.NewGuid().ToString()), []);
            return CompileArtifact.Pack(key, directory.FullName, new CompileArtifact.Outcome("warning: x", null, null))!;
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_second_silo_fetches_what_the_first_compiled_instead_of_compiling_and_keeps_it()
    {
        var (first, second) = (cluster.Cache(0), cluster.Cache(1));
        var artifact = Artifact("fetched");
        await first.AddAsync(artifact);
        using var fetches = new PeerFetchCounter();

        var found = await second.FindAsync(artifact.Key);

        Assert.NotNull(found);
        Assert.Equal(artifact.Content, found.Content);
        Assert.Equal(1, fetches.Count);
        Assert.NotNull(cluster.Local(1).PathOf(artifact.Key)); // kept on the second silo: the next lookup is local
        var holders = await cluster.Grains.GetGrain<ICompileCacheGrain>(artifact.Key).Locate();
        Assert.Equal(2, holders.Length);
        Assert.NotNull(await second.FindAsync(artifact.Key));
        Assert.Equal(1, fetches.Count);
    }

    [Fact]
    public async Task A_peers_corrupted_artifact_is_refused_and_that_peer_forgotten()
    {
        var (first, second) = (cluster.Cache(0), cluster.Cache(1));
        var artifact = Artifact("corrupted");
        await first.AddAsync(artifact);
        var path = cluster.Local(0).PathOf(artifact.Key)!;
        var bytes = File.ReadAllBytes(path);
        bytes[^1] ^= 1;
        File.WriteAllBytes(path, bytes);

        Assert.Null(await second.FindAsync(artifact.Key));
        Assert.Empty(await cluster.Grains.GetGrain<ICompileCacheGrain>(artifact.Key).Locate());
        Assert.Null(cluster.Local(1).PathOf(artifact.Key));
    }

    [Fact]
    public async Task A_holder_that_is_not_in_the_cluster_is_skipped_quickly_and_forgotten()
    {
        var artifact = Artifact("gone");
        var directory = cluster.Grains.GetGrain<ICompileCacheGrain>(artifact.Key);
        await directory.Register(new CompileArtifactHolder("127.0.0.1:1:1", artifact.Sha256, artifact.Content.Length));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        Assert.Null(await cluster.Cache(1).FindAsync(artifact.Key, timeout.Token));
        Assert.Empty(await directory.Locate());
    }

    /// <summary>Counts <c>judge.compile.cache.peer_fetches</c> while alive.</summary>
    private sealed class PeerFetchCounter : IDisposable
    {
        private readonly MeterListener listener = new();
        private long count;

        public PeerFetchCounter()
        {
            listener.InstrumentPublished = (instrument, l) =>
            {
                if (instrument == EngineTelemetry.CompileCachePeerFetches)
                    l.EnableMeasurementEvents(instrument);
            };
            listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref count, value));
            listener.Start();
        }

        public long Count => Interlocked.Read(ref count);

        public void Dispose() => listener.Dispose();
    }
}

/// <summary>Two silos with the compile cache, each with its own work root.</summary>
public sealed class CompileCacheCluster : IAsyncLifetime
{
    private readonly string workRoot = Directory.CreateTempSubdirectory("judge-compile-cache-").FullName;

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    public ClusterCompileCache Cache(int silo) => Cluster.Silos[silo].ServiceProvider.GetRequiredService<ClusterCompileCache>();

    public LocalCompileCache Local(int silo) => Cluster.Silos[silo].ServiceProvider.GetRequiredService<LocalCompileCache>();

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((options, silo) =>
        {
            silo.Services.AddOptions<JudgingOptions>();
            silo.Services.AddSingleton(JudgeOptions.Default with { WorkRoot = Path.Combine(workRoot, options.SiloName) });
            silo.AddCompileCache();
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        Directory.Delete(workRoot, recursive: true);
    }
}
