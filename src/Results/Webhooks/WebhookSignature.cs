using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Judge.Results.Webhooks;

/// <summary>Signs webhook deliveries: <c>X-Judge-Signature: sha256=&lt;hex&gt;</c>, the HMAC-SHA256 under the configured
/// secret of the <c>X-Judge-Timestamp</c> value, a dot, and the exact body bytes. Receivers compute the same and compare in
/// constant time, and refuse old timestamps (replays).</summary>
public static class WebhookSignature
{
    public const string SignatureHeader = "X-Judge-Signature";
    public const string TimestampHeader = "X-Judge-Timestamp";
    public const string SubmissionIdHeader = "X-Judge-Submission-Id";
    public const string AttemptHeader = "X-Judge-Delivery-Attempt";

    /// <summary>The signature header's value for <paramref name="body"/> sent at <paramref name="timestamp"/> (Unix seconds).</summary>
    public static string Sign(string secret, long timestamp, string body)
    {
        var message = Encoding.UTF8.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + "." + body);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message);
        return "sha256=" + Convert.ToHexStringLower(mac);
    }

    /// <summary>What a receiver does: whether <paramref name="signature"/> signs <paramref name="timestamp"/> and
    /// <paramref name="body"/> under <paramref name="secret"/>, and the timestamp is within <paramref name="tolerance"/> of <paramref name="now"/>.</summary>
    public static bool Verify(string secret, string? timestamp, string body, string? signature, DateTimeOffset now, TimeSpan tolerance)
    {
        if (signature is null || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            return false;
        if ((now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > tolerance)
            return false;
        var expected = Encoding.ASCII.GetBytes(Sign(secret, seconds, body));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature));
    }
}
