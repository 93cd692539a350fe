using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace Microsoft.Extensions.Hosting;

/// <summary>Composes the ingress host: the service defaults (telemetry, <c>/health</c>, <c>/ready</c>, <c>/metrics</c>),
/// its HTTP address, the cluster client and the SQS pump.</summary>
public static class JudgeIngressHostExtensions
{
    /// <summary>The HTTP address of the ingress host unless <c>--urls</c>, <c>ASPNETCORE_URLS</c> or <c>Judge:Http:Urls</c>
    /// says otherwise: loopback, next to the silo's 5080.</summary>
    public const string DefaultUrls = "http://127.0.0.1:5081";

    /// <summary>Configures this host as the SQS ingress of a judge cluster.</summary>
    public static WebApplicationBuilder AddJudgeIngress(this WebApplicationBuilder builder)
    {
        builder.AddServiceDefaults();
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
            builder.WebHost.UseUrls(builder.Configuration["Judge:Http:Urls"] ?? DefaultUrls);
        builder.UseJudgeClusterClient();
        builder.AddSqsIngress();
        return builder;
    }
}
