using Judge.Engine.Judging;
using Judge.Engine.Problems;
using Judge.Engine.Sandbox;
using Judge.Grains.Hosting;
using Judge.Grains.Options;
using Judge.Grains.Submissions;
using Judge.Grains.Toolchains;
using Judge.Grains.Workers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Orleans.Hosting;

/// <summary>Adds judging to a silo: the engine, the toolchain probe, and the worker grains of the languages found.</summary>
public static class JudgingSiloBuilderExtensions
{
    /// <summary>Adds judging, configured from the <c>Judge</c> section of <paramref name="configuration"/> and then <paramref name="configure"/>.</summary>
    public static ISiloBuilder AddJudging(this ISiloBuilder builder, IConfiguration configuration, Action<JudgingOptions>? configure = null)
    {
        var options = builder.Services.AddOptions<JudgingOptions>().Bind(configuration.GetSection(JudgingOptions.Section));
        if (configure is not null)
            options.Configure(configure);
        options.ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<JudgingOptions>, JudgingOptionsValidator>());

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton(sp =>
        {
            var judging = sp.GetRequiredService<IOptions<JudgingOptions>>().Value;
            return JudgeOptions.Default with { WorkRoot = judging.WorkRoot ?? JudgeOptions.Default.WorkRoot };
        });
        builder.Services.TryAddSingleton<ISandbox>(sp => SandboxFactory.Create(
            sp.GetRequiredService<IOptions<JudgingOptions>>().Value,
            sp.GetRequiredService<JudgeOptions>().WorkRoot,
            sp.GetRequiredService<IHostEnvironment>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("Judge.Sandbox")));
        builder.Services.TryAddSingleton<SubmissionJudge>();
        builder.Services.TryAddSingleton(sp => new ProblemCatalog(sp.GetRequiredService<IOptions<JudgingOptions>>().Value.Problems.Root!));
        builder.Services.TryAddSingleton<IProblemSource>(sp => sp.GetRequiredService<ProblemCatalog>());
        builder.Services.TryAddSingleton<ToolchainInventory>();
        builder.Services.TryAddSingleton<JudgeSlots>();
        builder.Services.TryAddSingleton<ClusterLanguages>();
        builder.Services.TryAddSingleton<ISubmissionResults, NoSubmissionResults>();
        builder.Services.TryAddSingleton<IResultsOut, NoResultsOut>();
        builder.Services.AddHostedService<ProblemCatalogStartup>();

        // Host only the workers of languages this silo's toolchain probe proved.
        builder.Services.AddOptions<GrainTypeOptions>().PostConfigure<ToolchainInventory>((grainTypes, toolchains) =>
        {
            foreach (var (language, workerClass) in LanguageWorkers.ByLanguage)
            {
                if (!toolchains.Available.ContainsKey(language))
                    grainTypes.Classes.Remove(workerClass);
            }
        });
        return builder;
    }
}
