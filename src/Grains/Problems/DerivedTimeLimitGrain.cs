using Judge.Grains.Submissions;
using Judge.Interfaces;

namespace Judge.Grains.Problems;

/// <summary>Keeps the first time limit recorded for a package version, in the silo's grain storage.</summary>
[GrainType("derived-time-limit")]
public sealed class DerivedTimeLimitGrain(
    [PersistentState("derived-time-limit", SubmissionGrain.StorageName)] IPersistentState<DerivedTimeLimitState> state) : Grain, IDerivedTimeLimitGrain
{
    public Task<DerivedTimeLimitRecord?> Get() => Task.FromResult(state.State.Limit);

    public async Task<DerivedTimeLimitRecord> Record(DerivedTimeLimitRecord proposal)
    {
        // Grain turns do not interleave: the first call to get here writes, every later one reads what it wrote.
        if (state.State.Limit is { } first)
            return first;
        state.State.Limit = proposal;
        await state.WriteStateAsync();
        return proposal;
    }
}

/// <summary>The stored state of <see cref="DerivedTimeLimitGrain"/>.</summary>
[GenerateSerializer, Alias("judge.DerivedTimeLimitState")]
public sealed class DerivedTimeLimitState
{
    [Id(0)] public DerivedTimeLimitRecord? Limit { get; set; }
}
