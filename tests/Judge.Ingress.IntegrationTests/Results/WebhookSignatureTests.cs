using System.Security.Cryptography;
using System.Text;
using Judge.Results.Webhooks;

namespace Judge.Ingress.IntegrationTests.Results;

public sealed class WebhookSignatureTests
{
    private const string Secret = "whsec-0123456789abcdef";
    private const string Body = """{"version":1,"id":"s-1","verdict":"AC"}""";
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);

    [Fact]
    public void Signature_is_hmac_sha256_of_the_timestamp_a_dot_and_the_exact_body()
    {
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes("1800000000." + Body)));
        Assert.Equal(expected, WebhookSignature.Sign(Secret, 1_800_000_000, Body));
    }

    [Fact]
    public void Receiver_accepts_a_fresh_signed_delivery()
    {
        Assert.True(WebhookSignature.Verify(Secret, "1800000000", Body, WebhookSignature.Sign(Secret, 1_800_000_000, Body), Now.AddSeconds(30), TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void Receiver_refuses_a_changed_body_another_secret_or_an_old_timestamp()
    {
        var signature = WebhookSignature.Sign(Secret, 1_800_000_000, Body);
        Assert.False(WebhookSignature.Verify(Secret, "1800000000", Body.Replace("AC", "WA"), signature, Now, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify("another-secret-0123", "1800000000", Body, signature, Now, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify(Secret, "1800000000", Body, signature, Now.AddMinutes(6), TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify(Secret, "1800000001", Body, signature, Now, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify(Secret, null, Body, signature, Now, TimeSpan.FromMinutes(5)));
    }
}
