using System.Net;
using System.Net.Sockets;
using Judge.Results.Options;

namespace Judge.Results.Webhooks;

/// <summary>Which callback URLs this judge calls. A callback URL is chosen by whoever submits, so it is a server-side
/// request forgery vector: without <c>Judge:Results:Webhook:AllowedHosts</c> only hosts at public addresses are called
/// (checked again on every connection, after DNS resolution, against rebinding); with it, only the listed hosts.</summary>
public sealed class CallbackPolicy(WebhookOptions options)
{
    /// <summary>Why a submission naming <paramref name="callbackUrl"/> is refused, or <c>null</c> when it is accepted.
    /// The URL's form was checked by the entry point (<see cref="Judge.Interfaces.SubmissionJson.TryCallbackUrl"/>).</summary>
    public string? Check(string? callbackUrl)
    {
        if (callbackUrl is null)
            return null;
        if (!options.Enabled)
            return "field 'callbackUrl' is not accepted: this judge sends no webhooks (Judge:Results:Webhook:Secret is not set)";
        if (!Uri.TryCreate(callbackUrl, UriKind.Absolute, out var uri))
            return $"field 'callbackUrl' must be an absolute http or https URL";
        var host = HostOf(uri);
        if (options.AllowedHosts.Count > 0)
            return IsListed(host) ? null : $"field 'callbackUrl': host '{host}' is not allowed (Judge:Results:Webhook:AllowedHosts)";
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host, out var literal) && !IsPublic(literal)))
            return $"field 'callbackUrl': '{host}' is a loopback, private or link-local address; the judge calls only public addresses unless the host is listed in Judge:Results:Webhook:AllowedHosts";
        return null;
    }

    /// <summary>Whether <paramref name="host"/> is in the allow-list (exactly, or under a <c>*.domain</c> entry).</summary>
    public bool IsListed(string host) => options.AllowedHosts.Any(entry => entry.StartsWith("*.", StringComparison.Ordinal)
        ? host.EndsWith(entry[1..], StringComparison.OrdinalIgnoreCase) && host.Length > entry.Length - 1
        : host.Equals(entry, StringComparison.OrdinalIgnoreCase));

    /// <summary>Whether the judge may connect to <paramref name="host"/> at <paramref name="address"/>.</summary>
    public bool MayConnect(string host, IPAddress address) => options.AllowedHosts.Count > 0 ? IsListed(host) : IsPublic(address);

    /// <summary>The host of <paramref name="uri"/> as DNS and the allow-list see it (IPv6 without brackets, IDN as punycode).</summary>
    public static string HostOf(Uri uri) => uri.IdnHost.Trim('[', ']');

    /// <summary>Whether <paramref name="address"/> is a public unicast address: not loopback, private (RFC 1918, IPv6 ULA),
    /// carrier-grade NAT, link-local (where cloud metadata services answer), multicast, reserved or unspecified.</summary>
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return !(b[0] is 0 or 10 or 127 or >= 224
                || (b[0] == 100 && b[1] is >= 64 and < 128)
                || (b[0] == 169 && b[1] == 254)
                || (b[0] == 172 && b[1] is >= 16 and < 32)
                || (b[0] == 192 && b[1] == 0 && b[2] == 0)
                || (b[0] == 192 && b[1] == 168)
                || (b[0] == 198 && b[1] is 18 or 19));
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var b = address.GetAddressBytes();
            return !(IPAddress.IsLoopback(address) || address.Equals(IPAddress.IPv6None)
                || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast
                || (b[0] & 0xfe) == 0xfc // fc00::/7 unique local
                || (b[0] == 0 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b) // 64:ff9b::/96 NAT64 reaches IPv4 inside
                || address.IsIPv4MappedToIPv6);
        }
        return false;
    }
}
