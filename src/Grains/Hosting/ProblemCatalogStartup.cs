using Judge.Engine.Problems;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Judge.Grains.Hosting;

/// <summary>Loads the problem catalog when the silo starts, logging each rejected package with its problem and file.</summary>
internal sealed partial class ProblemCatalogStartup(ProblemCatalog catalog, ILogger<ProblemCatalogStartup> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        LogLoaded(logger, catalog.Problems.Count, catalog.Root);
        foreach (var error in catalog.Errors)
            LogRejected(logger, error.Problem, error.File, error.Reason);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded {Count} problems from {Root}")]
    private static partial void LogLoaded(ILogger logger, int count, string root);

    [LoggerMessage(Level = LogLevel.Error, Message = "Problem {Problem} rejected: {File}: {Reason}")]
    private static partial void LogRejected(ILogger logger, string problem, string file, string reason);
}
