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

public sealed class ReadmeWebhookVerifierTests
{
    [Fact]
    public async Task The_python_verifier_in_the_readme_accepts_a_signed_delivery_and_refuses_a_changed_one()
    {
        var readme = await File.ReadAllTextAsync(Path.Combine(Repository.Root, "README.md"));
        var start = readme.IndexOf("```python\n", readme.IndexOf("## Results out", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.True(start > 0, "README.md has no Python verifier under 'Results out'");
        start += "```python\n".Length;
        var verifier = readme[start..readme.IndexOf("```", start, StringComparison.Ordinal)];

        const string secret = "readme-secret-0123456789";
        const string body = """{"version":1,"id":"s-1","verdict":"AC","message":"naïve ✓"}""";
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var signature = WebhookSignature.Sign(secret, timestamp, body);
        var script = verifier + $$"""

            import sys
            headers = {"X-Judge-Timestamp": "{{timestamp}}", "X-Judge-Signature": "{{signature}}"}
            body = sys.stdin.buffer.read()
            print(verify(b"{{secret}}", headers, body), verify(b"{{secret}}", headers, body.replace(b"AC", b"WA")))
            """;
        var path = Path.Combine(Path.GetTempPath(), $"judge-readme-verifier-{Guid.NewGuid():N}.py");
        await File.WriteAllTextAsync(path, script);
        try
        {
            var start2 = new System.Diagnostics.ProcessStartInfo("python3", [path]) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
            using var python = System.Diagnostics.Process.Start(start2)!;
            await python.StandardInput.BaseStream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(body));
            python.StandardInput.Close();
            var output = await python.StandardOutput.ReadToEndAsync();
            var errors = await python.StandardError.ReadToEndAsync();
            await python.WaitForExitAsync();
            Assert.True(python.ExitCode == 0, errors);
            Assert.Equal("True False", output.Trim());
        }
        finally
        {
            File.Delete(path);
        }
    }
}
