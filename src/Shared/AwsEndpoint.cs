using Amazon;
using Amazon.Runtime;

namespace Judge.Aws;

/// <summary>Points an AWS client's configuration at a region and, optionally, another endpoint (an emulator, a VPC
/// endpoint). Credentials always come from the standard AWS chain. Compiled into each project that talks to AWS.</summary>
internal static class AwsEndpoint
{
    /// <summary>Applies <paramref name="region"/> and <paramref name="serviceUrl"/> to <paramref name="config"/>; with both
    /// set, requests are signed for that region.</summary>
    public static TConfig Apply<TConfig>(TConfig config, string? region, string? serviceUrl) where TConfig : ClientConfig
    {
        if (region is { Length: > 0 })
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        if (serviceUrl is { Length: > 0 })
        {
            config.ServiceURL = serviceUrl;
            if (region is { Length: > 0 })
                config.AuthenticationRegion = region;
        }
        return config;
    }
}
