using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.Runtime;

namespace Judge.Silo.Health;

/// <summary>Ready when this silo has joined its cluster and is active (not joining, shutting down or declared dead).</summary>
public sealed class SiloActiveHealthCheck(ISiloStatusOracle silo) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(silo.CurrentStatus == SiloStatus.Active
            ? HealthCheckResult.Healthy("silo active")
            : HealthCheckResult.Unhealthy($"silo {silo.CurrentStatus.ToString().ToLowerInvariant()}"));
}
