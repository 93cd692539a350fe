using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.Hosting;

/// <summary>Connects a host to the judge cluster as an Orleans client.</summary>
public static class JudgeClusterClientExtensions
{
    /// <summary>The embedded default: the silo on this machine, through its gateway (<c>Judge:Silo:GatewayPort</c>, default 30000).</summary>
    public static IHostApplicationBuilder UseJudgeClusterClient(this IHostApplicationBuilder builder)
    {
        var gatewayPort = builder.Configuration.GetValue("Judge:Silo:GatewayPort", 30000);
        builder.UseOrleansClient(client => client.UseLocalhostClustering(gatewayPort));
        return builder;
    }
}
