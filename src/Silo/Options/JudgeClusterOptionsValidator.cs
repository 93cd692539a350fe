using System.Text.RegularExpressions;
using Judge.ServiceDefaults.Configuration;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Judge.Silo.Options;

/// <summary>Checks <see cref="JudgeClusterOptions"/>; every message names the key that fixes it.</summary>
public sealed partial class JudgeClusterOptionsValidator : IValidateOptions<JudgeClusterOptions>
{
    public ValidateOptionsResult Validate(string? name, JudgeClusterOptions options)
    {
        var errors = new List<string>();
        if (options.UsesDatabase)
        {
            try
            {
                var builder = new NpgsqlConnectionStringBuilder(options.ConnectionString);
                if (string.IsNullOrWhiteSpace(builder.Host))
                    errors.Add("ConnectionStrings:Judge (env ConnectionStrings__Judge) names no Host; expected e.g. 'Host=db.example;Database=judge;Username=judge;Password=...'");
            }
            catch (ArgumentException e)
            {
                errors.Add($"ConnectionStrings:Judge (env ConnectionStrings__Judge) is not a valid PostgreSQL connection string: {e.Message}");
            }
        }

        if (!NamePattern().IsMatch(options.ClusterId))
            errors.Add($"Judge:Cluster:Id must be 1-150 letters, digits, '.', '_' or '-', not '{options.ClusterId}'");
        if (!NamePattern().IsMatch(options.ServiceId))
            errors.Add($"Judge:Cluster:ServiceId must be 1-150 letters, digits, '.', '_' or '-', not '{options.ServiceId}'");
        if (options.ProbeTimeout < JudgeClusterOptions.MinProbeTimeout || options.ProbeTimeout > JudgeClusterOptions.MaxProbeTimeout)
            errors.Add($"Judge:Cluster:ProbeTimeout must be {ConfigurationValues.Format(JudgeClusterOptions.MinProbeTimeout)} to {ConfigurationValues.Format(JudgeClusterOptions.MaxProbeTimeout)}, not {ConfigurationValues.Format(options.ProbeTimeout)}");
        if (options.SiloPort is < 1 or > 65535)
            errors.Add($"Judge:Silo:Port must be a port number from 1 to 65535, not {options.SiloPort}");
        if (options.GatewayPort is < 1 or > 65535)
            errors.Add($"Judge:Silo:GatewayPort must be a port number from 1 to 65535, not {options.GatewayPort}");
        if (options.SiloPort == options.GatewayPort)
            errors.Add($"Judge:Silo:Port and Judge:Silo:GatewayPort must differ (both are {options.SiloPort})");
        if (!string.IsNullOrWhiteSpace(options.AdvertisedIp) && options.AdvertisedAddress is null)
            errors.Add($"Judge:Silo:AdvertisedIp must be an IP address other silos can reach, not '{options.AdvertisedIp}'");
        else if (options.AdvertisedAddress is { } advertised && (advertised.Equals(System.Net.IPAddress.Any) || advertised.Equals(System.Net.IPAddress.IPv6Any)))
            errors.Add($"Judge:Silo:AdvertisedIp must be an address other silos can reach, not the wildcard '{options.AdvertisedIp}'");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,150}$")]
    private static partial Regex NamePattern();
}
