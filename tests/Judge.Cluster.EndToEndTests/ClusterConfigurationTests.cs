using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
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
    [InlineData("--Judge:Cluster:ProbeTimeout=two seconds", "Judge:Cluster:ProbeTimeout")]
    [InlineData("--Judge:Cluster:ProbeTimeout=00:00:00.1", "Judge:Cluster:ProbeTimeout")]
    [InlineData("--Judge:Cluster:ProbeTimeout=00:05:00", "Judge:Cluster:ProbeTimeout")]
    public void An_invalid_cluster_setting_stops_the_silo_naming_the_key(string setting, string key)
    {
        Assert.Contains(key, StartFails("--ConnectionStrings:Judge=Host=127.0.0.1;Database=judge", setting));
    }

    [Theory]
    [InlineData(null, 2.0)]
    [InlineData("00:00:05", 5.0)]
    [InlineData("00:00:00.5", 0.5)]
    public void The_probe_timeout_is_the_clusters_failure_detection_setting(string? setting, double seconds)
    {
        var builder = WebApplication.CreateBuilder([$"--Judge:Problems:Root={Repository.ExampleProblems}",
            "--ConnectionStrings:Judge=Host=127.0.0.1;Port=1;Database=judge", .. setting is null ? [] : new[] { $"--Judge:Cluster:ProbeTimeout={setting}" }]);
        builder.AddJudgeSilo();
        using var app = builder.Build();
        var membership = app.Services.GetRequiredService<IOptions<Orleans.Configuration.ClusterMembershipOptions>>().Value;
        Assert.Equal(TimeSpan.FromSeconds(seconds), membership.ProbeTimeout);
    }

    [Fact]
    public void The_same_silo_and_gateway_port_is_refused()
    {
        var message = StartFails("--Judge:Silo:Port=12000", "--Judge:Silo:GatewayPort=12000");
        Assert.Contains("Judge:Silo:Port and Judge:Silo:GatewayPort must differ", message);
    }

    [Fact]
    public async Task A_cluster_silo_refuses_to_run_as_root()
    {
        Assert.True(Environment.UserName == "root", "the test suite runs as root (the sandbox daemon needs it), so this checks the refusal");
        var builder = WebApplication.CreateBuilder([$"--Judge:Problems:Root={Repository.ExampleProblems}",
            "--ConnectionStrings:Judge=Host=127.0.0.1;Port=1;Database=judge", "--urls=http://127.0.0.1:0"]);
        builder.AddJudgeSilo();
        await using var app = builder.Build();
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => app.StartAsync());
        Assert.Contains("must not run as root", refused.Message);
        Assert.Contains("Judge:Sandbox:Socket", refused.Message);
    }

    [Fact]
    public void The_embedded_default_may_run_as_root_to_start_its_own_sandbox()
    {
        var builder = WebApplication.CreateBuilder([$"--Judge:Problems:Root={Repository.ExampleProblems}"]);
        builder.AddJudgeSilo();
    }
}
