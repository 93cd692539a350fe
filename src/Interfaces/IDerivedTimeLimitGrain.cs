using System.Collections.Immutable;

namespace Judge.Interfaces;

/// <summary>The time limit derived for one package version (keyed <c>&lt;problem id&gt;/&lt;content hash&gt;</c>), kept in the
/// cluster's grain storage so that every silo judges that version with the same limit: the first value recorded wins,
/// and silos that derived another adopt it.</summary>
[Alias("judge.IDerivedTimeLimitGrain")]
public interface IDerivedTimeLimitGrain : IGrainWithStringKey
{
    /// <summary>The recorded limit, or <c>null</c>.</summary>
    [Alias("Get")]
    Task<DerivedTimeLimitRecord?> Get();

    /// <summary>Records <paramref name="proposal"/> unless a limit is recorded already; returns the recorded one.</summary>
    [Alias("Record")]
    Task<DerivedTimeLimitRecord> Record(DerivedTimeLimitRecord proposal);

    /// <summary>The grain key of a package version.</summary>
    static string KeyOf(string problemId, string contentHash) => $"{problemId}/{contentHash}";
}

/// <summary>A derived time limit: the limit, the slowest accepted run and its submission, the multiplier and resolution
/// applied, and the accepted submissions skipped (times in milliseconds).</summary>
[GenerateSerializer, Immutable, Alias("judge.DerivedTimeLimitRecord")]
public sealed record DerivedTimeLimitRecord(
    [property: Id(0)] long TimeLimitMs,
    [property: Id(1)] double SlowestSeconds,
    [property: Id(2)] string Submission,
    [property: Id(3)] double Multiplier,
    [property: Id(4)] double ResolutionSeconds,
    [property: Id(5)] ImmutableArray<string> Skipped,
    [property: Id(6)] string RecordedBy);
