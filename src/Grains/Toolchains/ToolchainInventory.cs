using System.Collections.Concurrent;
using Judge.Engine.Judging;
using Judge.Engine.Languages;
using Judge.Grains.Options;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Judge.Grains.Toolchains;

/// <summary>The languages this silo offers: configured, allowed by <c>Judge:Toolchains</c>, and proven by the toolchain probe at start.</summary>
public sealed partial class ToolchainInventory
{
    // Probing runs compilers; silos in one process (tests) share results for identical toolchain settings.
    private static readonly ConcurrentDictionary<string, Task<ToolchainProbe.Result>> ProbeCache = new();

    private readonly Dictionary<string, Language> available;

    public ToolchainInventory(IOptions<JudgingOptions> options, SubmissionJudge judge, ILogger<ToolchainInventory> logger)
    {
        var settings = options.Value;
        var restriction = settings.ToolchainRestriction;
        var probe = new ToolchainProbe(judge);
        var candidates = LanguageCatalog.All
            .Where(l => restriction is null || restriction.Contains(l.Id))
            .Select(l => LanguageCatalog.Configure(l, settings.Languages.GetValueOrDefault(l.Id)))
            .ToList();

        var results = Task.WhenAll(candidates.Select(l => ProbeCache.GetOrAdd(Fingerprint(l), _ => probe.ProbeAsync(l))))
            .GetAwaiter().GetResult();

        available = new Dictionary<string, Language>(StringComparer.Ordinal);
        var missing = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var result in results)
        {
            if (result.Available)
            {
                available[result.Language.Id] = result.Language;
                LogOffered(logger, result.Language.Id, result.Language.DisplayName);
            }
            else
            {
                missing[result.Language.Id] = result.Problem ?? "unavailable";
                LogUnavailable(logger, result.Language.Id, result.Problem ?? "unavailable");
            }
        }
        foreach (var language in LanguageCatalog.All.Where(l => restriction is not null && !restriction.Contains(l.Id)))
            missing[language.Id] = "not in Judge:Toolchains";
        Unavailable = missing;
    }

    // Everything that decides whether a toolchain works: the commands with their paths and flags.
    private static string Fingerprint(Language language)
    {
        var layout = language.Layout(language.SelfTestSource);
        return string.Join('\n', language.Id, string.Join(' ', language.VersionCommand),
            string.Join(' ', language.CompileCommand(layout) ?? []), string.Join(' ', language.RunCommand(layout, Engine.Sandbox.SandboxLimits.Default)));
    }

    /// <summary>Languages offered by this silo, by id.</summary>
    public IReadOnlyDictionary<string, Language> Available => available;

    /// <summary>Known languages this silo does not offer, with the reason.</summary>
    public IReadOnlyDictionary<string, string> Unavailable { get; }

    [LoggerMessage(Level = LogLevel.Information, Message = "Offering {Language}: {DisplayName}")]
    private static partial void LogOffered(ILogger logger, string language, string displayName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Not offering {Language}: {Reason}")]
    private static partial void LogUnavailable(ILogger logger, string language, string reason);
}
