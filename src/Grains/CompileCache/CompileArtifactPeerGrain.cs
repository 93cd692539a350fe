using Judge.Engine.Compilation;
using Judge.Interfaces;
using Orleans.Concurrency;
using Orleans.Runtime;

namespace Judge.Grains.CompileCache;

/// <summary>Serves this silo's compiled artifacts to its peers; placed only on the silo its key names.</summary>
[GrainType("compile-artifact-peer"), SiloPinnedPlacement, Reentrant]
public sealed class CompileArtifactPeerGrain(LocalCompileCache cache, ILocalSiloDetails silo, CompileCacheSettings settings) : Grain, ICompileArtifactPeerGrain
{
    public Task<byte[]?> Fetch(string key)
    {
        if (this.GetPrimaryKeyString() != silo.SiloAddress.ToParsableString() || !CompileKey.IsWellFormed(key))
            return Task.FromResult<byte[]?>(null);
        var artifact = cache.Find(key); // hashed before it leaves: a corrupted entry is removed, not sent
        return Task.FromResult(artifact is null || artifact.Content.Length > settings.MaxArtifactBytes ? null : artifact.Content);
    }
}
