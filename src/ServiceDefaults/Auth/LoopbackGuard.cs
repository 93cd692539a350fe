using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;

namespace Judge.ServiceDefaults.Auth;

/// <summary>Finds the HTTP endpoints a host will listen on that are not loopback: a judge without keys is open, so it may
/// only listen on loopback unless <c>Judge:Auth:AllowAnonymous=true</c>.</summary>
public static class LoopbackGuard
{
    /// <summary>The configured listening addresses (<c>urls</c> from <c>--urls</c>, <c>ASPNETCORE_URLS</c> or
    /// <c>Judge:Http:Urls</c>; <c>http_ports</c>/<c>https_ports</c>; <c>Kestrel:Endpoints:*:Url</c>; and
    /// <paramref name="extra"/>) that are not loopback.</summary>
    public static IReadOnlyList<string> NonLoopbackUrls(IConfiguration configuration, IEnumerable<string>? extra = null)
    {
        var urls = new List<string>();
        urls.AddRange(Split(configuration["urls"]));
        foreach (var portsKey in new[] { "http_ports", "https_ports" })
            urls.AddRange(Split(configuration[portsKey]).Select(port => $"{portsKey[..^6]}://*:{port}"));
        urls.AddRange(configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(e => e["Url"]).OfType<string>());
        if (extra is not null)
            urls.AddRange(extra);
        return urls.Where(url => !IsLoopback(url)).Distinct().ToList();
    }

    /// <summary>Whether <paramref name="url"/> listens on loopback only: an IP loopback address, <c>localhost</c>, or a Unix
    /// socket. Wildcards (<c>*</c>, <c>+</c>, <c>0.0.0.0</c>, <c>[::]</c>), LAN addresses and host names are not.</summary>
    public static bool IsLoopback(string url)
    {
        BindingAddress address;
        try
        {
            address = BindingAddress.Parse(url);
        }
        catch (FormatException)
        {
            return false;
        }
        if (address.IsUnixPipe)
            return true;
        var host = address.Host.Trim('[', ']');
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
            return true;
        return IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip);
    }

    private static IEnumerable<string> Split(string? list) =>
        (list ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
