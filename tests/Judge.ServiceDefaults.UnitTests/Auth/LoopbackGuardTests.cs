using Judge.ServiceDefaults.Auth;
using Microsoft.Extensions.Configuration;

namespace Judge.ServiceDefaults.UnitTests.Auth;

/// <summary>Which listening addresses keep an open judge on loopback.</summary>
public class LoopbackGuardTests
{
    [Theory]
    [InlineData("http://127.0.0.1:5080", true)]
    [InlineData("http://127.0.0.2:5080", true)]
    [InlineData("http://localhost:5080", true)]
    [InlineData("http://[::1]:5080", true)]
    [InlineData("https://127.0.0.1:5443", true)]
    [InlineData("http://unix:/run/judge.sock", true)]
    [InlineData("http://0.0.0.0:5080", false)]
    [InlineData("http://[::]:5080", false)]
    [InlineData("http://*:5080", false)]
    [InlineData("http://+:5080", false)]
    [InlineData("http://10.0.0.5:5080", false)]
    [InlineData("http://judge.internal:5080", false)]
    [InlineData("not a url", false)]
    public void An_address_is_loopback_only_when_it_names_loopback(string url, bool loopback)
    {
        Assert.Equal(loopback, LoopbackGuard.IsLoopback(url));
    }

    [Fact]
    public void Every_way_of_configuring_addresses_is_checked()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:5080;http://0.0.0.0:5081",
            ["http_ports"] = "8080",
            ["Kestrel:Endpoints:Main:Url"] = "http://10.1.2.3:9000",
        }).Build();
        Assert.Equal(["http://0.0.0.0:5081", "http://*:8080", "http://10.1.2.3:9000"], LoopbackGuard.NonLoopbackUrls(configuration));
    }
}
