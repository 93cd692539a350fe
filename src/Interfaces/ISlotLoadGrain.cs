using Orleans.Concurrency;
using Orleans.Runtime;

namespace Judge.Interfaces;

/// <summary>How busy one silo's judging slots are, as it tells the other silos so that they place jobs where a slot is free.</summary>
[GenerateSerializer, Immutable, Alias("judge.SlotLoad")]
public sealed record SlotLoad(
    [property: Id(0)] SiloAddress Silo,
    [property: Id(1)] int Busy,
    [property: Id(2)] int Waiting,
    [property: Id(3)] int Capacity);

/// <summary>A silo's receiver of the other silos' <see cref="SlotLoad"/>: always activated on the silo named by its key
/// (<c>SiloAddress.ToParsableString()</c>), never elsewhere.</summary>
[Alias("judge.ISlotLoadGrain")]
public interface ISlotLoadGrain : IGrainWithStringKey
{
    /// <summary>The sending silo's slots as they are now; sent when they change (at most a few times a second) and now and
    /// then while they do not.</summary>
    [OneWay, Alias("Update")]
    Task Update(SlotLoad load);
}
