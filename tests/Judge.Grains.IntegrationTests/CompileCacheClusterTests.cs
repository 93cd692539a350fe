using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Judge.Engine.Compilation;
using Judge.Engine.Judging;
using Judge.Engine.Problems;
using Judge.Engine.Sandbox;
using Judge.Engine.Telemetry;
using Verdict = Judge.Engine.Verdicts.Verdict;
using Judge.Grains.CompileCache;
using Judge.Grains.Hosting;
using Judge.Grains.Options;
using Judge.Grains.Toolchains;
using Judge.Interfaces;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Hosting;
using Orleans.TestingHost;

namespace Judge.Grains.IntegrationTests;

/// <summary>The compile cache across two judging silos, each with its own work root: a program one silo compiled is fetched by
/// the other from it through its pinned peer grain, checked against the hash the first registered, instead of compiled.</summary>
[Collection(ProcessWideMetricsCollection.Name)]
public sealed class CompileCacheClusterTests(CompileCacheCluster cluster) : IClassFixture<CompileCacheCluster>
{
    private const string CppAplusb = "#include <iostream>\nint main() { long long a, b; std::cin >> a >> b; std::cout << a + b << '\\n'; }\n";

    // A source no other judging sent: the compile cache answers a source it has seen without a compile.
    private static string FreshCpp() => $"{CppAplusb}// {Guid.NewGuid():N}\n";

    [Fact]
    public async Task A_source_one_silo_compiled_is_judged_on_another_with_the_program_fetched_from_it_and_no_compiler_run()
    {
        var (a, b) = (cluster.Cluster.Silos[0], cluster.Cluster.Silos[1]);
        var source = FreshCpp();
        var compilesOnA = CompileCacheCluster.Sandbox(a).Compiles;
        var first = await CompileCacheCluster.JudgeOnAsync(a, source);
        Assert.Equal(Verdict.AC, first.Verdict);
        Assert.Equal(compilesOnA + 1, CompileCacheCluster.Sandbox(a).Compiles);
        var key = CompileCacheCluster.KeyOf(a, source);
        using var fetches = new CountedMetric(EngineTelemetry.CompileCachePeerFetches);
        var (compilesOnB, runsOnB) = (CompileCacheCluster.Sandbox(b).Compiles, CompileCacheCluster.Sandbox(b).Programs.Count);

        var second = await CompileCacheCluster.JudgeOnAsync(b, source);

        Assert.Equal(Verdict.AC, second.Verdict);
        Assert.Equal(first.CompileOutput, second.CompileOutput);
        // No compiler ran on the second silo: its sandbox ran the tests and nothing else, with the program fetched once.
        Assert.Equal(compilesOnB, CompileCacheCluster.Sandbox(b).Compiles);
        Assert.Equal(second.Tests.Count, CompileCacheCluster.Sandbox(b).Programs.Count - runsOnB);
        Assert.Equal(1, fetches.Count);
        Assert.NotNull(CompileCacheCluster.Local(b).PathOf(key)); // kept there: the next judging there is local
        var holders = await cluster.Grains.GetGrain<ICompileCacheGrain>(key).Locate();
        Assert.Equal(new[] { CompileCacheCluster.Address(a), CompileCacheCluster.Address(b) }.Order(), holders.Select(h => h.Silo).Order());
    }

    [Fact]
    public async Task A_holder_that_left_the_cluster_is_forgotten_and_the_next_silo_compiles_the_source_itself()
    {
        var b = cluster.Cluster.Silos[1];
        var source = FreshCpp();
        var key = CompileCacheCluster.KeyOf(b, source);
        var directory = cluster.Grains.GetGrain<ICompileCacheGrain>(key);
        Assert.Empty(await directory.Locate()); // activated now, on a silo that stays: what it knows outlives the one that leaves
        var leaving = await cluster.Cluster.StartAdditionalSiloAsync();
        await cluster.Cluster.WaitForClusterManifestToStabilizeAsync();
        var leavingAddress = CompileCacheCluster.Address(leaving);
        try
        {
            Assert.Equal(Verdict.AC, (await CompileCacheCluster.JudgeOnAsync(leaving, source)).Verdict);
            Assert.Equal([leavingAddress], (await directory.Locate()).Select(h => h.Silo));
        }
        finally
        {
            await cluster.Cluster.StopSiloAsync(leaving);
        }
        using var fetches = new CountedMetric(EngineTelemetry.CompileCachePeerFetches);
        var compilesOnB = CompileCacheCluster.Sandbox(b).Compiles;
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var report = await CompileCacheCluster.JudgeOnAsync(b, source);

        Assert.Equal(Verdict.AC, report.Verdict);
        Assert.Equal(compilesOnB + 1, CompileCacheCluster.Sandbox(b).Compiles);
        Assert.Equal(0, fetches.Count);
        // The silo that left was skipped at once (not after the peer fetch timeout) and forgotten; the new holder registered.
        Assert.True(clock.Elapsed < CompileCacheCluster.PeerFetchTimeout, $"judging took {clock.Elapsed}: the silo that left was waited for");
        Assert.Equal([CompileCacheCluster.Address(b)], (await directory.Locate()).Select(h => h.Silo));
    }

    [Fact]
    public async Task A_program_whose_bytes_do_not_match_the_hash_its_holder_registered_is_refused_and_compiled_again()
    {
        var (a, b) = (cluster.Cluster.Silos[0], cluster.Cluster.Silos[1]);
        var source = FreshCpp();
        Assert.Equal(Verdict.AC, (await CompileCacheCluster.JudgeOnAsync(a, source)).Verdict);
        var key = CompileCacheCluster.KeyOf(a, source);
        var held = CompileCacheCluster.Local(a).Find(key);
        Assert.NotNull(held);
        // The directory says the first silo holds other bytes than it serves (say it compiled the source again since, and
        // the compiler's output differed): what it sends does not match the registered hash.
        var directory = cluster.Grains.GetGrain<ICompileCacheGrain>(key);
        await directory.Register(new CompileArtifactHolder(CompileCacheCluster.Address(a), new string('0', 64), held.Content.Length));
        using var fetches = new CountedMetric(EngineTelemetry.CompileCachePeerFetches);
        using var refused = new CountedMetric(EngineTelemetry.CompileCacheCorrupt);
        var compilesOnB = CompileCacheCluster.Sandbox(b).Compiles;

        var report = await CompileCacheCluster.JudgeOnAsync(b, source);

        Assert.Equal(Verdict.AC, report.Verdict);
        Assert.Equal(1, refused.Count);
        Assert.Equal(0, fetches.Count);
        Assert.Equal(compilesOnB + 1, CompileCacheCluster.Sandbox(b).Compiles);
        var holders = await directory.Locate();
        var holder = Assert.Single(holders); // the first silo forgotten, the second registered with its own program's hash
        Assert.Equal(CompileCacheCluster.Address(b), holder.Silo);
        Assert.Equal(CompileCacheCluster.Local(b).Find(key)!.Sha256, holder.Sha256);
    }

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
        using var fetches = new CountedMetric(EngineTelemetry.CompileCachePeerFetches);

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

}

/// <summary>Two judging silos offering C++17, each with its own work root, sandbox daemon and compile cache (no precompiled
/// header: it changes how fast, not what, g++ makes). Every silo's sandbox records the programs it ran, so a test can tell
/// on which silo a compiler ran.</summary>
public sealed class CompileCacheCluster : IAsyncLifetime
{
    private readonly string workRoot = Directory.CreateTempSubdirectory("judge-compile-cache-").FullName;

    /// <summary>Generous, so a loaded machine does not fail a fetch; a compile of A+B takes far less even then.</summary>
    public static readonly TimeSpan PeerFetchTimeout = TimeSpan.FromSeconds(60);

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    public ClusterCompileCache Cache(int silo) => Cache(Cluster.Silos[silo]);

    public static ClusterCompileCache Cache(InProcessSiloHandle silo) => silo.ServiceProvider.GetRequiredService<ClusterCompileCache>();

    public LocalCompileCache Local(int silo) => Local(Cluster.Silos[silo]);

    public static LocalCompileCache Local(InProcessSiloHandle silo) => silo.ServiceProvider.GetRequiredService<LocalCompileCache>();

    /// <summary>The programs <paramref name="silo"/>'s sandbox ran, in order.</summary>
    public static RecordingSandbox Sandbox(InProcessSiloHandle silo) => (RecordingSandbox)silo.ServiceProvider.GetRequiredService<ISandbox>();

    /// <summary>The address under which <paramref name="silo"/> registers the artifacts it holds.</summary>
    public static string Address(InProcessSiloHandle silo) => silo.SiloAddress.ToParsableString();

    /// <summary>Judges <paramref name="source"/> in C++17 against <c>aplusb</c> on <paramref name="silo"/>, as its workers do:
    /// that silo's judge, problem cache and toolchain, with its compile cache in the cluster.</summary>
    public static async Task<JudgeReport> JudgeOnAsync(InProcessSiloHandle silo, string source)
    {
        var services = silo.ServiceProvider;
        var problem = await services.GetRequiredService<IProblemSource>().WhenReadyAsync("aplusb");
        Assert.NotNull(problem);
        var language = services.GetRequiredService<ToolchainInventory>().Available["cpp17"];
        return await services.GetRequiredService<SubmissionJudge>().JudgeAsync(problem, language, source, IJudgeProgress.None);
    }

    /// <summary>The compile cache key of <paramref name="source"/> in C++17 on <paramref name="silo"/> (no include files).</summary>
    public static string KeyOf(InProcessSiloHandle silo, string source)
    {
        var language = silo.ServiceProvider.GetRequiredService<ToolchainInventory>().Available["cpp17"];
        var command = language.CompileCommand(language.Layout(source))!;
        return CompileKey.Compute(language.Id, language.Version, command, language.Environment, System.Text.Encoding.UTF8.GetBytes(source), []);
    }

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((options, silo) =>
        {
            silo.AddMemoryGrainStorage("submissions");
            silo.UseInMemoryReminderService();
            silo.Services.AddSingleton<ISandbox>(sp => new RecordingSandbox(new MeasuredSandbox(SandboxFactory.Create(
                sp.GetRequiredService<IOptions<JudgingOptions>>().Value,
                sp.GetRequiredService<JudgeOptions>().WorkRoot,
                sp.GetRequiredService<IHostEnvironment>(),
                sp.GetRequiredService<ILoggerFactory>().CreateLogger("Judge.Sandbox")))));
            silo.AddJudging(new ConfigurationBuilder().Build(), judging =>
            {
                judging.Problems.Root = Repository.ExampleProblems;
                judging.Toolchains = "cpp17";
                judging.Slots = 1;
                judging.WorkRoot = Path.Combine(workRoot, options.SiloName);
                judging.CompileCache.PrecompiledHeader = false;
                judging.CompileCache.JavaArchive = false;
                judging.CompileCache.PeerFetchTimeout = PeerFetchTimeout;
            });
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
        await Cluster.WaitForClusterManifestToStabilizeAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        try
        {
            Directory.Delete(workRoot, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // a sandbox may still be releasing a directory; it is under the temporary directory
        }
    }
}

/// <summary>The silo's real sandbox, recording the program (<c>argv[0]</c>'s file name) of every run it was asked for.</summary>
public sealed class RecordingSandbox(ISandbox inner) : ISandbox, IAsyncDisposable
{
    private readonly ConcurrentQueue<string> programs = new();

    /// <summary>The programs run so far, in order.</summary>
    public IReadOnlyList<string> Programs => programs.ToList();

    /// <summary>How many runs were of a compiler (g++).</summary>
    public int Compiles => programs.Count(p => p.Contains("g++", StringComparison.Ordinal));

    public Task<SandboxResult> RunAsync(SandboxRequest request, CancellationToken cancellationToken = default)
    {
        programs.Enqueue(Path.GetFileName(request.Argv.FirstOrDefault() ?? ""));
        return inner.RunAsync(request, cancellationToken);
    }

    public Task<ConnectedResult> RunConnectedAsync(SandboxRequest first, SandboxRequest second, CancellationToken cancellationToken = default)
    {
        programs.Enqueue(Path.GetFileName(first.Argv.FirstOrDefault() ?? ""));
        programs.Enqueue(Path.GetFileName(second.Argv.FirstOrDefault() ?? ""));
        return inner.RunConnectedAsync(first, second, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (inner is IAsyncDisposable disposable)
            await disposable.DisposeAsync();
    }
}
