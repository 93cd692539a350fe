using Judge.Abstractions;
using Judge.Engine.Languages;
using Judge.Grains.Hosting;
using Microsoft.Extensions.Options;

namespace Judge.Grains.Options;

/// <summary>Rejects judging configuration that cannot work, naming the key that fixes it.</summary>
public sealed class JudgingOptionsValidator(ProblemStoreSelection? store = null) : IValidateOptions<JudgingOptions>
{
    public ValidateOptionsResult Validate(string? name, JudgingOptions options)
    {
        var failures = new List<string>();
        var readsRoot = (store ?? ProblemStoreSelection.Directory).ReadsProblemsRoot;
        if (readsRoot && string.IsNullOrWhiteSpace(options.Problems.Root))
            failures.Add("No problems directory is configured: set Judge:Problems:Root (env Judge__Problems__Root).");
        else if (readsRoot && !Directory.Exists(options.Problems.Root))
            failures.Add($"The problems directory '{options.Problems.Root}' does not exist: fix Judge:Problems:Root (env Judge__Problems__Root).");

        var problems = options.Problems;
        if (problems.RefreshInterval < TimeSpan.Zero || (problems.RefreshInterval > TimeSpan.Zero && problems.RefreshInterval < TimeSpan.FromSeconds(1)))
            failures.Add($"Judge:Problems:RefreshInterval must be 0 (off) or at least 00:00:01 (was {problems.RefreshInterval}).");
        if (problems.KeepReplaced < TimeSpan.Zero)
            failures.Add($"Judge:Problems:KeepReplaced must not be negative (was {problems.KeepReplaced}).");
        if (problems.DerivationRunLimit <= TimeSpan.Zero || problems.DerivationRunLimit > TimeSpan.FromSeconds(Engine.Problems.ProblemLoader.MaxTimeLimitSeconds))
            failures.Add($"Judge:Problems:DerivationRunLimit must be more than 0 and at most 01:00:00 (was {problems.DerivationRunLimit}).");
        if (problems.DerivationTimeout <= TimeSpan.Zero)
            failures.Add($"Judge:Problems:DerivationTimeout must be more than 0 (was {problems.DerivationTimeout}).");
        if (problems.MaxFiles is < 1 or > 1_000_000)
            failures.Add($"Judge:Problems:MaxFiles must be between 1 and 1000000 (was {problems.MaxFiles}).");
        if (problems.MaxPackageMiB is < 1 or > 1L << 20)
            failures.Add($"Judge:Problems:MaxPackageMiB must be between 1 and 1048576 (was {problems.MaxPackageMiB}).");

        if (options.ToolchainRestriction is { } restriction)
        {
            var unknown = restriction.Where(id => LanguageCatalog.Find(id) is null).ToList();
            if (unknown.Count > 0)
                failures.Add($"Judge:Toolchains names unknown language(s) {string.Join(", ", unknown)}; known: {string.Join(", ", LanguageCatalog.All.Select(l => l.Id))}.");
        }

        var unknownSettings = options.Languages.Keys.Where(id => LanguageCatalog.Find(id) is null).ToList();
        if (unknownSettings.Count > 0)
            failures.Add($"Judge:Languages has settings for unknown language(s) {string.Join(", ", unknownSettings)}.");

        var cache = options.CompileCache;
        var cacheSizeValid = cache.MaxMiB is >= 16 and <= 1L << 24;
        if (!cacheSizeValid)
            failures.Add($"Judge:CompileCache:MaxMiB must be between 16 and 16777216 (was {cache.MaxMiB}).");
        if (cache.MaxArtifactMiB is < 1 or > (int)(Engine.Compilation.CompileArtifact.MaxBytes / (1024 * 1024)))
            failures.Add($"Judge:CompileCache:MaxArtifactMiB must be between 1 and 64 (was {cache.MaxArtifactMiB}).");
        else if (cacheSizeValid && cache.MaxArtifactMiB > cache.MaxMiB)
            failures.Add($"Judge:CompileCache:MaxArtifactMiB ({cache.MaxArtifactMiB}) must not exceed Judge:CompileCache:MaxMiB ({cache.MaxMiB}).");
        if (cache.PeerFetchTimeout <= TimeSpan.Zero || cache.PeerFetchTimeout > TimeSpan.FromMinutes(5))
            failures.Add($"Judge:CompileCache:PeerFetchTimeout must be more than 0 and at most 00:05:00 (was {cache.PeerFetchTimeout}).");

        if (options.Sandbox.Pool is < 1 or > 64)
            failures.Add($"Judge:Sandbox:Pool must be between 1 and 64 (was {options.Sandbox.Pool}).");
        if (options.Sandbox.Socket is { } socket && (!Path.IsPathFullyQualified(socket) || System.Text.Encoding.UTF8.GetByteCount(socket) > 107))
            failures.Add($"Judge:Sandbox:Socket must be an absolute path of at most 107 bytes (was '{socket}').");
        if (options.Sandbox.Socket is not null && options.Sandbox.Mode == SandboxMode.Unsafe)
            failures.Add("Judge:Sandbox:Socket and Judge:Sandbox:Mode=Unsafe exclude each other: the socket's daemon isolates.");
        if (options.Sandbox.StartTimeout <= TimeSpan.Zero || options.Sandbox.StartTimeout > TimeSpan.FromMinutes(10))
            failures.Add($"Judge:Sandbox:StartTimeout must be between 00:00:01 and 00:10:00 (was {options.Sandbox.StartTimeout}).");
        if (options.Sandbox.UidBase is < 1000 or > 4_000_000)
            failures.Add($"Judge:Sandbox:UidBase must be between 1000 and 4000000 (was {options.Sandbox.UidBase}).");
        if (options.Sandbox.Cgroup is not ("auto" or "v1" or "v2"))
            failures.Add($"Judge:Sandbox:Cgroup must be auto, v1 or v2 (was '{options.Sandbox.Cgroup}').");

        if (Judge.Engine.Judging.WorkRootPolicy.Problem(options.WorkRoot ?? Judge.Engine.Judging.WorkRootPolicy.Default) is { } unsafeRoot)
            failures.Add($"The work root is not safe: {unsafeRoot}. Fix the directory or set Judge:WorkRoot (env Judge__WorkRoot) to a directory only the judge controls.");

        if (options.Slots < 1)
            failures.Add($"Judge:Slots must be at least 1 (was {options.Slots}).");

        var recovery = options.Recovery;
        if (recovery.Heartbeat < TimeSpan.FromMilliseconds(100) || recovery.Heartbeat > TimeSpan.FromMinutes(1))
            failures.Add($"Judge:Recovery:Heartbeat must be between 00:00:00.1 and 00:01:00 (was {recovery.Heartbeat}).");
        else if (recovery.StallTimeout < 3 * recovery.Heartbeat)
            failures.Add($"Judge:Recovery:StallTimeout must be at least three heartbeats ({3 * recovery.Heartbeat}; was {recovery.StallTimeout}): raise it or lower Judge:Recovery:Heartbeat.");
        if (recovery.DrainTimeout < TimeSpan.Zero || recovery.DrainTimeout > TimeSpan.FromMinutes(10))
            failures.Add($"Judge:Recovery:DrainTimeout must be between 00:00:00 and 00:10:00 (was {recovery.DrainTimeout}).");

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
