using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Judge.Ingress.Health;

/// <summary>Readiness of an Orleans client host: a round trip to the cluster (the management grain lists the active
/// silos) succeeds within <see cref="Timeout"/> and finds at least one active silo.</summary>
public sealed class ClusterClientHealthCheck(IClusterClient client) : IHealthCheck
{
    /// <summary>How long the cluster has to answer.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var silos = await client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true).WaitAsync(Timeout, cancellationToken);
            return silos.Count > 0
                ? HealthCheckResult.Healthy($"connected; {silos.Count} active silo(s)")
                : HealthCheckResult.Unhealthy("connected, but the cluster has no active silo");
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            var reason = e is TimeoutException ? $"no answer within {Timeout.TotalSeconds:0} s" : e.GetBaseException().Message;
            return HealthCheckResult.Unhealthy($"cluster unreachable: {reason}");
        }
    }
}
