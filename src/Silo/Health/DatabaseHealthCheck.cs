using Microsoft.Extensions.Diagnostics.HealthChecks;
using Judge.Silo.Database;
using Npgsql;

namespace Judge.Silo.Health;

/// <summary>Ready when the PostgreSQL database holding the cluster's state answers, and its schema is in place.</summary>
public sealed class DatabaseHealthCheck(NpgsqlDataSource database, DatabasePools pools) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            await using var command = database.CreateCommand("SELECT count(*) FROM orleansquery");
            var queries = (long)(await command.ExecuteScalarAsync(timeout.Token))!;
            return queries > 0
                ? HealthCheckResult.Healthy("storage reachable")
                : HealthCheckResult.Unhealthy("storage reachable but its schema is empty: run Judge.Silo migrate");
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or InvalidOperationException)
        {
            pools.ClearIfLost(e);
            return HealthCheckResult.Unhealthy($"storage unreachable: {e.GetBaseException().Message}");
        }
    }
}
