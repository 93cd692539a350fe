using Orleans.Placement;
using Orleans.Runtime;
using Orleans.Runtime.Placement;

namespace Judge.Grains.CompileCache;

/// <summary>Places a grain on the silo its string key names (<c>SiloAddress.ToParsableString()</c>), and nowhere else:
/// when that silo is not in the cluster, activation fails and the caller moves on.</summary>
[GenerateSerializer, Immutable, Alias("judge.SiloPinnedPlacement")]
public sealed class SiloPinnedPlacement : PlacementStrategy
{
    /// <summary>The one instance.</summary>
    public static SiloPinnedPlacement Instance { get; } = new();
}

/// <summary>Marks a grain class as placed by <see cref="SiloPinnedPlacement"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class SiloPinnedPlacementAttribute() : PlacementAttribute(SiloPinnedPlacement.Instance);

/// <summary>Chooses the silo a <see cref="SiloPinnedPlacement"/> grain's key names.</summary>
public sealed class SiloPinnedPlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var key = target.GrainIdentity.Key.ToString();
        SiloAddress named;
        try
        {
            named = SiloAddress.FromParsableString(key);
        }
        catch (FormatException)
        {
            throw new OrleansException($"grain {target.GrainIdentity} does not name a silo");
        }
        foreach (var silo in context.GetCompatibleSilos(target))
        {
            if (silo.Equals(named))
                return Task.FromResult(silo);
        }
        throw new OrleansException($"silo {key} of grain {target.GrainIdentity} is not in the cluster");
    }
}
