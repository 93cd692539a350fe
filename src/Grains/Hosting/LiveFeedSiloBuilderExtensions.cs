using Judge.Grains.Feed;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Orleans.Hosting;

/// <summary>Adds the cluster-wide live feed of submission changes, the submissions list and the cluster view.</summary>
public static class LiveFeedSiloBuilderExtensions
{
    /// <summary>Adds the live feed, configured from <c>Judge:Dashboard</c>. The submissions list is kept in memory unless
    /// an <see cref="ISubmissionIndex"/> was registered before (the database's).</summary>
    public static ISiloBuilder AddLiveFeed(this ISiloBuilder builder, IConfiguration configuration)
    {
        builder.Services.AddOptions<LiveFeedOptions>().Bind(configuration.GetSection(LiveFeedOptions.Section)).ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LiveFeedOptions>, LiveFeedOptionsValidator>());
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<ISubmissionIndex, MemorySubmissionIndex>();
        builder.Services.TryAddSingleton<ISubmissionBacklog, IndexSubmissionBacklog>();
        builder.Services.TryAddSingleton<JudgeRunCounter>();
        builder.Services.TryAddSingleton<FeedHub>();
        builder.Services.TryAddSingleton<SubmissionFeed>();
        builder.Services.AddSingleton<ILifecycleParticipant<Runtime.ISiloLifecycle>>(sp => sp.GetRequiredService<SubmissionFeed>());
        builder.Services.TryAddSingleton<ClusterView>();
        return builder;
    }
}
