using System.Collections.Immutable;

namespace Judge.Interfaces;

/// <summary>Which silos hold the compiled artifact of one compile key (keyed by the key: 64 hex digits), so that a silo
/// missing it fetches it from a peer instead of compiling. Kept in memory: a forgotten entry only costs a compile.</summary>
[Alias("judge.ICompileCacheGrain")]
public interface ICompileCacheGrain : IGrainWithStringKey
{
    /// <summary>The silos that said they hold the artifact, with its hash and size there.</summary>
    [Alias("Locate")]
    Task<ImmutableArray<CompileArtifactHolder>> Locate();

    /// <summary>Records that <paramref name="holder"/>'s silo holds the artifact.</summary>
    [Alias("Register")]
    Task Register(CompileArtifactHolder holder);

    /// <summary>Forgets <paramref name="silo"/> (it failed to answer, no longer had the artifact, or sent a wrong one).</summary>
    [Alias("Forget")]
    Task Forget(string silo);
}

/// <summary>One silo holding a compiled artifact: its address (<c>SiloAddress.ToParsableString()</c>), the artifact's
/// SHA-256 and size.</summary>
[GenerateSerializer, Immutable, Alias("judge.CompileArtifactHolder")]
public sealed record CompileArtifactHolder(
    [property: Id(0)] string Silo,
    [property: Id(1)] string Sha256,
    [property: Id(2)] long Bytes);

/// <summary>A silo's own compile cache, as its peers see it: always activated on the silo named by its key
/// (<c>SiloAddress.ToParsableString()</c>), never elsewhere.</summary>
[Alias("judge.ICompileArtifactPeerGrain")]
public interface ICompileArtifactPeerGrain : IGrainWithStringKey
{
    /// <summary>The stored bytes of <paramref name="key"/>'s artifact (checked against its hash before they are sent), or
    /// <c>null</c> when this silo no longer holds it or it is larger than the peer-fetch cap.</summary>
    [Alias("Fetch")]
    Task<byte[]?> Fetch(string key);
}
