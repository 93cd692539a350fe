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

    /// <summary>The warmups' directory under <c>Judge:WorkRoot</c> (precompiled headers, class-data-sharing archives).</summary>
    public const string WarmupDirectory = "warmup";

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
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ILanguageWarmup, CppPrecompiledHeader>(sp => new CppPrecompiledHeader(
            Path.Combine(sp.GetRequiredService<JudgeOptions>().WorkRoot, WarmupDirectory, "pch"), sp.GetRequiredService<ILogger<CppPrecompiledHeader>>())));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ILanguageWarmup, JavaClassDataSharing>(sp => new JavaClassDataSharing(
            Path.Combine(sp.GetRequiredService<JudgeOptions>().WorkRoot, WarmupDirectory, "cds"), sp.GetRequiredService<ILogger<JavaClassDataSharing>>())));
        services.AddHostedService(sp =>
        {
            var options = sp.GetRequiredService<IOptions<JudgingOptions>>().Value.CompileCache;
            var enabled = sp.GetServices<ILanguageWarmup>().Where(w => w switch
            {
                CppPrecompiledHeader => options.PrecompiledHeader,
                JavaClassDataSharing => options.JavaArchive,
                _ => true,
            });
            return new LanguageWarmupService(enabled, sp.GetService<Judge.Grains.Toolchains.ToolchainInventory>(), sp.GetRequiredService<ILogger<LanguageWarmupService>>());
        });
        services.TryAddSingleton(sp => new SubmissionJudge(
            sp.GetRequiredService<ISandbox>(),
            sp.GetRequiredService<JudgeOptions>(),
            sp.GetRequiredService<ILogger<SubmissionJudge>>(),
            sp.GetRequiredService<IOptions<JudgingOptions>>().Value.CompileCache.Enabled ? sp.GetRequiredService<ClusterCompileCache>() : null,
            sp.GetServices<ILanguageWarmup>()));
        return builder;
    }
}
