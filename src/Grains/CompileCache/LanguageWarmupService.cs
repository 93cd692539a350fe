using Judge.Engine.Compilation;
using Judge.Grains.Toolchains;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Judge.Grains.CompileCache;

/// <summary>Prepares the warmups (<see cref="ILanguageWarmup"/>) of the languages this silo offers, in the background after
/// start: readiness does not wait, and compiles and runs go on without a warmup until it is ready.</summary>
public sealed partial class LanguageWarmupService(
    IEnumerable<ILanguageWarmup> warmups, ToolchainInventory? toolchains, ILogger<LanguageWarmupService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        if (toolchains is null)
            return; // a silo without judging (only the cache): no languages to prepare
        foreach (var language in toolchains.Available.Values.OrderBy(l => l.Id, StringComparer.Ordinal))
        {
            foreach (var warmup in warmups.Where(w => w.AppliesTo(language)))
            {
                try
                {
                    await warmup.PrepareAsync(language, stoppingToken);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    LogFailed(logger, e, warmup.GetType().Name, language.Id);
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Warmup} for {Language} could not be prepared; it compiles and runs without it")]
    private static partial void LogFailed(ILogger logger, Exception exception, string warmup, string language);
}
