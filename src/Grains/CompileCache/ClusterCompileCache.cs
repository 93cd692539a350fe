using Judge.Engine.Compilation;
using Judge.Engine.Telemetry;
using Judge.Interfaces;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace Judge.Grains.CompileCache;

/// <summary>This silo's compile cache, shared with the cluster: an artifact missing here is looked up in its key's
/// <see cref="ICompileCacheGrain"/> and fetched from a silo that holds it (checked against the hash that silo
/// registered), and every artifact kept here is registered there. Until the silo is active (the toolchain self-tests at
/// start) only the local directory is used.</summary>
/// <remarks>The grain factory is resolved on first use, not injected: the toolchain probe judges its self-tests while the
/// silo's grain types are still being configured, and the factory depends on them.</remarks>
public sealed partial class ClusterCompileCache(
    LocalCompileCache local, IServiceProvider services, CompileCacheSettings settings, ILogger<ClusterCompileCache> logger)
    : ICompileCache, ILifecycleParticipant<ISiloLifecycle>
{
    private volatile bool active;
    private IGrainFactory Grains => services.GetRequiredService<IGrainFactory>();
    private string Self => services.GetRequiredService<ILocalSiloDetails>().SiloAddress.ToParsableString();

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(ClusterCompileCache), ServiceLifecycleStage.Active, _ =>
        {
            active = true;
            return Task.CompletedTask;
        }, _ =>
        {
            active = false;
            return Task.CompletedTask;
        });

    public async Task<CompileArtifact?> FindAsync(string key, CancellationToken cancellationToken = default)
    {
        if (local.Find(key) is { } here)
            return here;
        if (!active)
            return null;
        var directory = Grains.GetGrain<ICompileCacheGrain>(key);
        foreach (var holder in (await directory.Locate()).Where(h => h.Silo != Self && h.Bytes <= settings.MaxArtifactBytes))
        {
            cancellationToken.ThrowIfCancellationRequested();
            byte[]? content;
            try
            {
                content = await Grains.GetGrain<ICompileArtifactPeerGrain>(holder.Silo).Fetch(key).WaitAsync(settings.PeerFetchTimeout, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogPeerFailed(logger, e, key, holder.Silo);
                content = null;
            }
            var artifact = content is null ? null : CompileArtifact.Verified(key, content, holder.Sha256);
            if (artifact is null)
            {
                if (content is not null)
                    EngineTelemetry.CompileCacheCorrupt.Add(1);
                await directory.Forget(holder.Silo);
                continue;
            }
            EngineTelemetry.CompileCachePeerFetches.Add(1);
            LogFetched(logger, key, holder.Silo, content!.Length);
            local.Add(artifact);
            await RegisterAsync(directory, artifact);
            return artifact;
        }
        return null;
    }

    public async Task AddAsync(CompileArtifact artifact, CancellationToken cancellationToken = default)
    {
        local.Add(artifact);
        if (active && artifact.Content.Length <= settings.MaxArtifactBytes)
            await RegisterAsync(Grains.GetGrain<ICompileCacheGrain>(artifact.Key), artifact);
    }

    private async Task RegisterAsync(ICompileCacheGrain directory, CompileArtifact artifact)
    {
        try
        {
            await directory.Register(new CompileArtifactHolder(Self, artifact.Sha256, artifact.Content.Length));
        }
        catch (Exception e)
        {
            LogRegisterFailed(logger, e, artifact.Key); // peers compile it themselves
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Compiled artifact {Key} fetched from silo {Silo} ({Bytes} bytes)")]
    private static partial void LogFetched(ILogger logger, string key, string silo, int bytes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Compiled artifact {Key} could not be fetched from silo {Silo}")]
    private static partial void LogPeerFailed(ILogger logger, Exception exception, string key, string silo);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Compiled artifact {Key} could not be registered in the cluster")]
    private static partial void LogRegisterFailed(ILogger logger, Exception exception, string key);
}

/// <summary>The compile cache's settings as the silo uses them (from <c>Judge:CompileCache</c>).</summary>
public sealed record CompileCacheSettings(long MaxArtifactBytes, TimeSpan PeerFetchTimeout);
