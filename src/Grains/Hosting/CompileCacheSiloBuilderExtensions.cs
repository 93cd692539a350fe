using Judge.Engine.Compilation;
using Judge.Engine.Judging;
using Judge.Engine.Sandbox;
using Judge.Grains.CompileCache;
using Judge.Grains.Options;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace Orleans.Hosting;

/// <summary>Adds the compile cache (<c>Judge:CompileCache</c>) to a judging silo: the silo's own LRU directory, shared with
/// the cluster through per-key <see cref="ICompileCacheGrain"/>s and peer fetches.</summary>
public static class CompileCacheSiloBuilderExtensions
{
    /// <summary>The cache's directory under <c>Judge:WorkRoot</c>.</summary>
    public const string CacheDirectory = "compile-cache";

    /// <summary>Adds the compile cache and makes <see cref="SubmissionJudge"/> use it when <c>Judge:CompileCache:Enabled</c>.</summary>
    public static ISiloBuilder AddCompileCache(this ISiloBuilder builder)
    {
        var services = builder.Services;
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<JudgingOptions>>().Value.CompileCache;
            return new CompileCacheSettings(options.MaxArtifactMiB * 1024L * 1024, options.PeerFetchTimeout);
        });
        services.TryAddSingleton(sp =>
        {
            var workRoot = sp.GetRequiredService<JudgeOptions>().WorkRoot;
            WorkRootPolicy.Create(workRoot);
            var options = sp.GetRequiredService<IOptions<JudgingOptions>>().Value.CompileCache;
            return new LocalCompileCache(Path.Combine(workRoot, CacheDirectory), options.MaxMiB * 1024 * 1024);
        });
        services.TryAddSingleton<ClusterCompileCache>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<ClusterCompileCache>());
        services.AddPlacementDirector<SiloPinnedPlacement, SiloPinnedPlacementDirector>();
        services.TryAddSingleton(sp => new SubmissionJudge(
            sp.GetRequiredService<ISandbox>(),
            sp.GetRequiredService<JudgeOptions>(),
            sp.GetRequiredService<ILogger<SubmissionJudge>>(),
            sp.GetRequiredService<IOptions<JudgingOptions>>().Value.CompileCache.Enabled ? sp.GetRequiredService<ClusterCompileCache>() : null,
            sp.GetServices<ILanguageWarmup>()));
        return builder;
    }
}
