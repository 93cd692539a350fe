using Judge.Abstractions;
using Judge.Engine.Judging;
using Judge.Engine.Problems;
using Judge.Engine.Problems.Store;
using Judge.Engine.Sandbox;
using Judge.Engine.Telemetry;
using Judge.Grains.Hosting;
using Judge.Grains.Options;
using Judge.Grains.Problems;
using Judge.Grains.Submissions;
using Judge.Grains.Telemetry;
using Judge.Grains.Toolchains;
using Judge.Grains.Workers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime;

namespace Orleans.Hosting;

/// <summary>Adds judging to a silo: the engine, the toolchain probe, and the worker grains of the languages found.</summary>
public static class JudgingSiloBuilderExtensions
{
    /// <summary>The problem cache's directory under <c>Judge:WorkRoot</c>.</summary>
    public const string ProblemCacheDirectory = "problems";

    /// <summary>How soon a problem id the store did not have is looked up there again when a submission names it.</summary>
    public static readonly TimeSpan UnknownProblemLookupInterval = TimeSpan.FromSeconds(5);

    /// <summary>Adds judging, configured from the <c>Judge</c> section of <paramref name="configuration"/> and then <paramref name="configure"/>.</summary>
    public static ISiloBuilder AddJudging(this ISiloBuilder builder, IConfiguration configuration, Action<JudgingOptions>? configure = null)
    {
        var options = builder.Services.AddOptions<JudgingOptions>().Bind(configuration.GetSection(JudgingOptions.Section));
        if (configure is not null)
            options.Configure(configure);
        options.ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<JudgingOptions>, JudgingOptionsValidator>());
        // The problem store's part of the options, for add-in stores (Judge.Abstractions), validated with the rest.
        builder.Services.TryAddSingleton<IOptions<ProblemsOptions>>(sp => Microsoft.Extensions.Options.Options.Create(sp.GetRequiredService<IOptions<JudgingOptions>>().Value.Problems));

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton(sp =>
        {
            var judging = sp.GetRequiredService<IOptions<JudgingOptions>>().Value;
            return JudgeOptions.Default with { WorkRoot = judging.WorkRoot ?? JudgeOptions.Default.WorkRoot };
        });
        builder.Services.TryAddSingleton<ISandbox>(sp => new MeasuredSandbox(SandboxFactory.Create(
            sp.GetRequiredService<IOptions<JudgingOptions>>().Value,
            sp.GetRequiredService<JudgeOptions>().WorkRoot,
            sp.GetRequiredService<IHostEnvironment>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("Judge.Sandbox"))));
        builder.AddCompileCache();
        builder.Services.TryAddSingleton<SubmissionJudge>();
        // Problems: the local directory store unless a Use…Problems method picked another; cached by content hash.
        builder.Services.TryAddSingleton(ProblemStoreSelection.Directory);
        builder.Services.TryAddSingleton<IProblemPackageStore>(sp =>
        {
            var problems = sp.GetRequiredService<IOptions<JudgingOptions>>().Value.Problems;
            return new DirectoryPackageStore(problems.Root!, problems.Limits);
        });
        // Packages that state no time limit: derived once per version from their accepted submissions, in the languages
        // this silo offers, and agreed across the cluster through the version's DerivedTimeLimitGrain.
        builder.Services.TryAddSingleton(sp => new TimeLimitDeriver(sp.GetRequiredService<SubmissionJudge>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<TimeLimitDeriver>())
        {
            RunLimit = sp.GetRequiredService<IOptions<JudgingOptions>>().Value.Problems.DerivationRunLimit,
        });
        builder.Services.TryAddSingleton(sp =>
        {
            var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger("Judge.Problems");
            var local = new FileDerivedTimeLimitStore(Path.Combine(sp.GetRequiredService<JudgeOptions>().WorkRoot, ProblemCacheDirectory));
            var silo = sp.GetRequiredService<ILocalSiloDetails>();
            var store = new GrainDerivedTimeLimitStore(sp.GetRequiredService<IGrainFactory>(), local, silo.SiloAddress.ToString(), logger);
            return new TimeLimitDerivation(sp.GetRequiredService<TimeLimitDeriver>(), () => sp.GetRequiredService<ToolchainInventory>().Available, store,
                sp.GetRequiredService<IOptions<JudgingOptions>>().Value.Problems.DerivationTimeout);
        });
        builder.Services.TryAddSingleton(sp =>
        {
            var problems = sp.GetRequiredService<IOptions<JudgingOptions>>().Value.Problems;
            return new ProblemCache(
                sp.GetRequiredService<IProblemPackageStore>(),
                Path.Combine(sp.GetRequiredService<JudgeOptions>().WorkRoot, ProblemCacheDirectory),
                problems.Limits,
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILoggerFactory>().CreateLogger("Judge.Problems"),
                problems.KeepReplaced,
                UnknownProblemLookupInterval,
                sp.GetRequiredService<TimeLimitDerivation>());
        });
        builder.Services.TryAddSingleton<IProblemSource>(sp => sp.GetRequiredService<ProblemCache>());
        builder.Services.TryAddSingleton<ToolchainInventory>();
        builder.Services.TryAddSingleton<JudgeSlots>();
        // Jobs go to the silo with the most free judging slots, from the slot loads the silos send each other.
        builder.Services.TryAddSingleton<SlotBoard>();
        builder.Services.TryAddSingleton<SlotLoadPublisher>();
        builder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<SlotLoadPublisher>());
        builder.Services.AddPlacementDirector<FreeSlotPlacement, FreeSlotPlacementDirector>();
        builder.Services.TryAddSingleton<TestRangeDispatch>(); // ranges of tests to other silos' idle slots
        builder.Services.AddMetrics();
        builder.Services.TryAddSingleton<JudgingMetrics>();
        builder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<JudgingMetrics>());
        builder.Services.TryAddSingleton<JudgeDrain>();
        builder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<JudgeDrain>());
        builder.Services.TryAddSingleton<JudgeWorkerServices>();
        builder.Services.TryAddSingleton<ClusterLanguages>();
        builder.Services.TryAddSingleton<SubmissionIntake>();
        builder.Services.TryAddSingleton<ISubmissionResults, NoSubmissionResults>();
        builder.Services.TryAddSingleton<SiloDeaths>();
        builder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<SiloDeaths>());
        builder.Services.TryAddSingleton<SubmissionRecovery>();
        builder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<SubmissionRecovery>());
        builder.Services.TryAddSingleton<ProblemRefreshService>();
        builder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<ProblemRefreshService>());
        builder.Services.TryAddSingleton<IResultsOut, NoResultsOut>();
        builder.AddLiveFeed(configuration);

        // Host only the workers of languages this silo's toolchain probe proved: the closed worker type of each, in place
        // of the generic definition the code generator registers.
        builder.Services.AddSingleton<Orleans.Metadata.IGrainTypeProvider, LanguageWorkerGrainTypes>();
        builder.Services.AddOptions<GrainTypeOptions>().PostConfigure<ToolchainInventory>((grainTypes, toolchains) =>
        {
            grainTypes.Classes.Remove(typeof(LanguageWorker<>));
            foreach (var (language, workerClass) in LanguageWorkers.ByLanguage)
            {
                if (toolchains.Available.ContainsKey(language))
                    grainTypes.Classes.Add(workerClass);
                else
                    grainTypes.Classes.Remove(workerClass);
            }
        });
        return builder;
    }
}
