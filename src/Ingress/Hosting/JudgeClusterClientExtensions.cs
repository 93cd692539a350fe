using Judge.Ingress.Health;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;

namespace Microsoft.Extensions.Hosting;

/// <summary>Connects a host to the judge cluster as an Orleans client, over the same clustering as the silos.</summary>
public static class JudgeClusterClientExtensions
{
    /// <summary>With <c>ConnectionStrings:Judge</c>: the PostgreSQL membership table of cluster <c>Judge:Cluster:Id</c> /
    /// <c>Judge:Cluster:ServiceId</c> (default <c>judge</c>), as the silos use it. Without: the embedded default, the
    /// silo on this machine through its gateway (<c>Judge:Silo:GatewayPort</c>, default 30000).</summary>
    public static IHostApplicationBuilder UseJudgeClusterClient(this IHostApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var connectionString = configuration.GetConnectionString("Judge");
        builder.Services.AddHealthChecks().AddCheck<ClusterClientHealthCheck>("cluster", tags: [HealthEndpointExtensions.ReadyTag]);
        builder.UseOrleansClient(client =>
        {
            client.AddActivityPropagation();
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                client.UseLocalhostClustering(configuration.GetValue("Judge:Silo:GatewayPort", 30000));
                return;
            }
            client.Configure<ClusterOptions>(options =>
            {
                options.ClusterId = configuration["Judge:Cluster:Id"] ?? "judge";
                options.ServiceId = configuration["Judge:Cluster:ServiceId"] ?? "judge";
            });
            client.UseAdoNetClustering(options =>
            {
                options.Invariant = "Npgsql";
                options.ConnectionString = connectionString;
            });
        });
        return builder;
    }
}
