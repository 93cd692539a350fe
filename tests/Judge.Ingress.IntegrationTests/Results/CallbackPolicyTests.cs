using System.Net;
using Judge.Results.Options;
using Judge.Results.Webhooks;

namespace Judge.Ingress.IntegrationTests.Results;

public sealed class CallbackPolicyTests
{
    private static CallbackPolicy Policy(params string[] allowed) => new(new WebhookOptions { Secret = "0123456789abcdef", AllowedHosts = [.. allowed] });

    [Theory]
    [InlineData("http://127.0.0.1:8080/hook", "loopback, private or link-local")]
    [InlineData("http://169.254.169.254/latest/meta-data/", "loopback, private or link-local")]
    [InlineData("http://10.1.2.3/hook", "loopback, private or link-local")]
    [InlineData("http://172.20.0.1/hook", "loopback, private or link-local")]
    [InlineData("http://192.168.1.1/hook", "loopback, private or link-local")]
    [InlineData("http://100.64.0.1/hook", "loopback, private or link-local")]
    [InlineData("http://0.0.0.0/hook", "loopback, private or link-local")]
    [InlineData("http://[::1]/hook", "loopback, private or link-local")]
    [InlineData("http://[fd00::1]/hook", "loopback, private or link-local")]
    [InlineData("http://[fe80::1]/hook", "loopback, private or link-local")]
    [InlineData("http://[::ffff:127.0.0.1]/hook", "loopback, private or link-local")]
    [InlineData("http://localhost/hook", "loopback, private or link-local")]
    [InlineData("http://api.localhost/hook", "loopback, private or link-local")]
    public void Without_an_allow_list_internal_addresses_are_refused(string url, string reason)
    {
        Assert.Contains(reason, Policy().Check(url));
    }

    [Theory]
    [InlineData("https://backend.example.com/judge/results")]
    [InlineData("http://93.184.216.34/hook")]
    [InlineData("http://[2606:4700::1111]/hook")]
    public void Without_an_allow_list_public_hosts_are_accepted(string url)
    {
        Assert.Null(Policy().Check(url));
    }

    [Fact]
    public void With_an_allow_list_only_listed_hosts_are_accepted_whatever_their_address()
    {
        var policy = Policy("127.0.0.1", "*.backend.example");
        Assert.Null(policy.Check("http://127.0.0.1:9000/hook"));
        Assert.Null(policy.Check("https://eu.backend.example/hook"));
        Assert.Contains("host 'backend.example' is not allowed (Judge:Results:Webhook:AllowedHosts)", policy.Check("https://backend.example/hook"));
        Assert.Contains("host 'example.com' is not allowed", policy.Check("https://example.com/hook"));
        Assert.Contains("host 'evilbackend.example' is not allowed", policy.Check("https://evilbackend.example/hook"));
    }

    [Fact]
    public void Without_a_secret_no_callback_is_accepted()
    {
        var policy = new CallbackPolicy(new WebhookOptions());
        Assert.Contains("Judge:Results:Webhook:Secret is not set", policy.Check("https://backend.example.com/hook"));
        Assert.Null(policy.Check(null));
    }

    [Fact]
    public void Connections_go_only_to_public_addresses_without_an_allow_list()
    {
        var policy = Policy();
        Assert.True(policy.MayConnect("backend.example.com", IPAddress.Parse("93.184.216.34")));
        Assert.False(policy.MayConnect("rebinding.example.com", IPAddress.Loopback));
        Assert.False(policy.MayConnect("rebinding.example.com", IPAddress.Parse("169.254.169.254")));
        Assert.False(policy.MayConnect("rebinding.example.com", IPAddress.Parse("::ffff:10.0.0.1")));
        Assert.True(Policy("127.0.0.1").MayConnect("127.0.0.1", IPAddress.Loopback));
    }
}
