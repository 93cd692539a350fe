using System.Net;
using Microsoft.Extensions.Configuration;

namespace Judge.Silo.Options;

/// <summary>Whether the silo runs as a Kubernetes pod (<c>Judge:Kubernetes:Enabled</c>), and the pod facts Orleans' Kubernetes
/// hosting reads from the downward API: <c>POD_NAME</c>, <c>POD_NAMESPACE</c>, <c>POD_IP</c>.</summary>
public sealed class JudgeKubernetesOptions
{
    /// <summary>The configuration key that turns Kubernetes hosting on (env <c>Judge__Kubernetes__Enabled</c>).</summary>
    public const string EnabledKey = "Judge:Kubernetes:Enabled";

    /// <summary>Whether Orleans' <c>UseKubernetesHosting</c> is on: the silo is named after its pod, advertises the pod's
    /// address, labels its pod with <c>orleans/serviceId</c> and <c>orleans/clusterId</c>, and declares silos dead whose pods
    /// are gone. Clustering stays in PostgreSQL.</summary>
    public bool Enabled { get; set; }

    /// <summary>The pod's name (env <c>POD_NAME</c>, from <c>metadata.name</c>).</summary>
    public string? PodName { get; set; }

    /// <summary>The pod's namespace (env <c>POD_NAMESPACE</c>, from <c>metadata.namespace</c>).</summary>
    public string? PodNamespace { get; set; }

    /// <summary>The pod's address (env <c>POD_IP</c>, from <c>status.podIP</c>).</summary>
    public string? PodIp { get; set; }

    /// <summary>Reads the options; a value of the wrong type is reported in <paramref name="parseErrors"/>.</summary>
    public static JudgeKubernetesOptions Read(IConfiguration configuration, out IReadOnlyList<string> parseErrors)
    {
        var errors = new List<string>();
        var options = new JudgeKubernetesOptions
        {
            PodName = configuration["POD_NAME"],
            PodNamespace = configuration["POD_NAMESPACE"],
            PodIp = configuration["POD_IP"],
        };
        var enabled = configuration[EnabledKey];
        if (!string.IsNullOrWhiteSpace(enabled))
        {
            if (bool.TryParse(enabled, out var value))
                options.Enabled = value;
            else
                errors.Add($"{EnabledKey} (env Judge__Kubernetes__Enabled) must be true or false, not '{enabled}'");
        }
        parseErrors = errors;
        return options;
    }

    /// <summary>The parsed <see cref="PodIp"/>, if set and valid.</summary>
    public IPAddress? PodAddress => IPAddress.TryParse(PodIp, out var address) ? address : null;
}
