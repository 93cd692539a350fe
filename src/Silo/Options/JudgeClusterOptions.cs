using System.Net;
using Judge.ServiceDefaults.Configuration;
using Microsoft.Extensions.Configuration;

namespace Judge.Silo.Options;

/// <summary>Where a silo stores its cluster and how it is placed in it: <c>ConnectionStrings:Judge</c>,
/// <c>Judge:Cluster:Id</c>, <c>Judge:Cluster:ServiceId</c>, <c>Judge:Cluster:ProbeTimeout</c>, <c>Judge:Silo:Port</c>,
/// <c>Judge:Silo:GatewayPort</c>, <c>Judge:Silo:AdvertisedIp</c>.</summary>
public sealed class JudgeClusterOptions
{
    /// <summary>The connection string name (<c>ConnectionStrings:Judge</c>, env <c>ConnectionStrings__Judge</c>).</summary>
    public const string ConnectionStringName = "Judge";

    /// <summary>The PostgreSQL connection string; <c>null</c> selects the embedded default (one silo, state in memory).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The cluster's name (<c>Judge:Cluster:Id</c>): silos with the same id form one cluster.</summary>
    public string ClusterId { get; set; } = "judge";

    /// <summary>The service's name (<c>Judge:Cluster:ServiceId</c>): part of every stored grain state's key; keep it
    /// across deployments so state survives them.</summary>
    public string ServiceId { get; set; } = "judge";

    /// <summary>How long a silo waits for another's answer to a liveness probe (<c>Judge:Cluster:ProbeTimeout</c>). Three
    /// missed probes make a suspicion and two suspicions a death, so a killed silo is declared dead after about five
    /// times this; a silo that stalls longer than about three times this (a long GC pause, an overloaded host) can be
    /// declared dead although alive.</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The shortest and longest <see cref="ProbeTimeout"/> accepted.</summary>
    public static readonly TimeSpan MinProbeTimeout = TimeSpan.FromMilliseconds(500), MaxProbeTimeout = TimeSpan.FromMinutes(1);

    /// <summary>The port silos talk to each other on (<c>Judge:Silo:Port</c>).</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>The port clients (the ingress) connect to (<c>Judge:Silo:GatewayPort</c>).</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>The address other silos reach this one at (<c>Judge:Silo:AdvertisedIp</c>); default: this host's address.</summary>
    public string? AdvertisedIp { get; set; }

    /// <summary>Whether the cluster lives in PostgreSQL.</summary>
    public bool UsesDatabase => !string.IsNullOrWhiteSpace(ConnectionString);

    /// <summary>Reads the options; a value of the wrong type is reported by <see cref="JudgeClusterOptionsValidator"/>.</summary>
    public static JudgeClusterOptions Read(IConfiguration configuration, out IReadOnlyList<string> parseErrors)
    {
        var errors = new List<string>();
        var options = new JudgeClusterOptions { ConnectionString = configuration.GetConnectionString(ConnectionStringName) };
        options.ClusterId = configuration["Judge:Cluster:Id"] ?? options.ClusterId;
        options.ServiceId = configuration["Judge:Cluster:ServiceId"] ?? options.ServiceId;
        options.ProbeTimeout = ConfigurationValues.Span(configuration, "Judge:Cluster:ProbeTimeout", options.ProbeTimeout, errors);
        options.SiloPort = ConfigurationValues.Port(configuration, "Judge:Silo:Port", options.SiloPort, errors);
        options.GatewayPort = ConfigurationValues.Port(configuration, "Judge:Silo:GatewayPort", options.GatewayPort, errors);
        options.AdvertisedIp = configuration["Judge:Silo:AdvertisedIp"];
        parseErrors = errors;
        return options;
    }

    /// <summary>The parsed <see cref="AdvertisedIp"/>, if set and valid.</summary>
    public IPAddress? AdvertisedAddress => IPAddress.TryParse(AdvertisedIp, out var address) ? address : null;
}
