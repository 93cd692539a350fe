using Judge.Interfaces;
using Orleans.Metadata;
using Orleans.Runtime;

namespace Judge.Grains.Toolchains;

/// <summary>The languages the whole cluster offers: those whose worker grain type some silo hosts.</summary>
public sealed class ClusterLanguages(IClusterManifestProvider manifest, IGrainFactory grains)
{
    /// <summary>Whether any silo of the cluster hosts the worker of <paramref name="language"/>.</summary>
    public bool IsOffered(string language)
    {
        var type = GrainType.Create(IJudgeWorker.GrainTypeOf(language));
        return manifest.Current.AllGrainManifests.Any(m => m.Grains.ContainsKey(type));
    }

    /// <summary>Ids of the languages offered, in contract order.</summary>
    public IReadOnlyList<string> OfferedIds() => LanguageIds.All.Where(IsOffered).ToList();

    /// <summary>The offered languages with names and detected versions, asked of a silo that offers each.</summary>
    public async Task<IReadOnlyList<LanguageInfo>> DescribeAsync()
    {
        var ids = OfferedIds();
        var infos = await Task.WhenAll(ids.Select(id =>
            grains.GetGrain<IJudgeWorker>(GrainId.Create(IJudgeWorker.GrainTypeOf(id), "describe")).Describe()));
        return infos;
    }
}
