namespace Judge.Abstractions;

/// <summary>Where problem packages are read from (<c>Judge:Problems</c>).</summary>
public sealed class ProblemsOptions
{
    /// <summary>The directory holding one Kattis package per subdirectory (<c>Judge:Problems:Root</c>, env <c>Judge__Problems__Root</c>).</summary>
    public string? Root { get; set; }

    /// <summary>How often the store is listed for new, changed and removed packages (<c>Judge:Problems:RefreshInterval</c>);
    /// zero turns the periodic refresh off (an unknown problem is still looked up when a submission names it).</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a replaced or removed version stays on disk for submissions still judging with it (<c>Judge:Problems:KeepReplaced</c>).</summary>
    public TimeSpan KeepReplaced { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The most files one package may have (<c>Judge:Problems:MaxFiles</c>).</summary>
    public int MaxFiles { get; set; } = Engine.Problems.Store.PackageLimits.Default.MaxFiles;

    /// <summary>The largest total size of one package in MiB (<c>Judge:Problems:MaxPackageMiB</c>).</summary>
    public long MaxPackageMiB { get; set; } = Engine.Problems.Store.PackageLimits.Default.MaxBytes / (1024 * 1024);

    /// <summary>CPU time each test of an accepted submission may use while a package's unstated time limit is derived
    /// (<c>Judge:Problems:DerivationRunLimit</c>, default 60 s, at most 3600 s).</summary>
    public TimeSpan DerivationRunLimit { get; set; } = Engine.Judging.TimeLimitDeriver.DefaultRunLimit;

    /// <summary>How long deriving one package's time limit may take before the package is refused
    /// (<c>Judge:Problems:DerivationTimeout</c>, default 30 min); submissions to it wait meanwhile.</summary>
    public TimeSpan DerivationTimeout { get; set; } = Engine.Problems.Store.TimeLimitDerivation.DefaultTimeout;

    /// <summary>The caps of <see cref="MaxFiles"/> and <see cref="MaxPackageMiB"/>.</summary>
    public Engine.Problems.Store.PackageLimits Limits => new(MaxFiles, MaxPackageMiB * 1024 * 1024);
}
