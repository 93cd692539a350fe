using System.Collections.Immutable;
using Judge.Interfaces;

namespace Judge.Grains.CompileCache;

/// <summary>Knows which silos hold one compiled artifact (in memory; at most a few holders are kept).</summary>
[GrainType("compile-cache")]
public sealed class CompileCacheGrain : Grain, ICompileCacheGrain
{
    private const int MaxHolders = 8;
    private ImmutableArray<CompileArtifactHolder> holders = [];

    public Task<ImmutableArray<CompileArtifactHolder>> Locate() => Task.FromResult(holders);

    public Task Register(CompileArtifactHolder holder)
    {
        var others = holders.Where(h => h.Silo != holder.Silo);
        holders = [holder, .. others.Take(MaxHolders - 1)];
        return Task.CompletedTask;
    }

    public Task Forget(string silo)
    {
        holders = holders.RemoveAll(h => h.Silo == silo);
        return Task.CompletedTask;
    }
}
