using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Judge.Cluster.EndToEndTests;

/// <summary>A silo refuses to start on a bad cluster setting, naming the key to fix.</summary>
public class ClusterConfigurationTests
{
    private static string StartFails(params string[] settings)
    {
        var builder = WebApplication.CreateBuilder([$"--Judge:Problems:Root={Repository.ExampleProblems}", .. settings]);
        return Assert.Throws<OptionsValidationException>(() => builder.AddJudgeSilo()).Message;
    }

    [Theory]
    [InlineData("--ConnectionStrings:Judge=this is not a connection string", "ConnectionStrings:Judge")]
    [InlineData("--ConnectionStrings:Judge=Database=judge", "ConnectionStrings:Judge")]
    [InlineData("--Judge:Silo:Port=eleven", "Judge:Silo:Port")]
    [InlineData("--Judge:Silo:GatewayPort=70000", "Judge:Silo:GatewayPort")]
    [InlineData("--Judge:Silo:AdvertisedIp=somewhere", "Judge:Silo:AdvertisedIp")]
    [InlineData("--Judge:Silo:AdvertisedIp=0.0.0.0", "Judge:Silo:AdvertisedIp")]
    [InlineData("--Judge:Cluster:Id=has spaces", "Judge:Cluster:Id")]
    [InlineData("--Judge:Cluster:ServiceId=", "Judge:Cluster:ServiceId")]
    public void An_invalid_cluster_setting_stops_the_silo_naming_the_key(string setting, string key)
    {
        Assert.Contains(key, StartFails("--ConnectionStrings:Judge=Host=127.0.0.1;Database=judge", setting));
    }

    [Fact]
    public void The_same_silo_and_gateway_port_is_refused()
    {
        var message = StartFails("--Judge:Silo:Port=12000", "--Judge:Silo:GatewayPort=12000");
        Assert.Contains("Judge:Silo:Port and Judge:Silo:GatewayPort must differ", message);
    }

    [Fact]
    public void A_cluster_silo_refuses_to_run_as_root()
    {
        Assert.True(Environment.UserName == "root", "the test suite runs as root (the sandbox daemon needs it), so this checks the refusal");
        var message = StartFails("--ConnectionStrings:Judge=Host=127.0.0.1;Database=judge");
        Assert.Contains("must not run as root", message);
        Assert.Contains("Judge:Sandbox:Socket", message);
    }

    [Fact]
    public void The_embedded_default_may_run_as_root_to_start_its_own_sandbox()
    {
        var builder = WebApplication.CreateBuilder([$"--Judge:Problems:Root={Repository.ExampleProblems}"]);
        builder.AddJudgeSilo();
    }
}
