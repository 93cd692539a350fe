namespace Judge.Engine.Compilation;

/// <summary>Where compiled artifacts are kept by content key: a silo's directory, or that plus the cluster's other silos.</summary>
public interface ICompileCache
{
    /// <summary>The artifact of <paramref name="key"/> whose content matches its hash, or <c>null</c> (never a corrupted one).</summary>
    Task<CompileArtifact?> FindAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Keeps <paramref name="artifact"/> (best effort: a full or failing cache only costs a later compile).</summary>
    Task AddAsync(CompileArtifact artifact, CancellationToken cancellationToken = default);
}
