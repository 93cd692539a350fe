
namespace Judge.Deploy.Aws.Tests;

/// <summary>The app synthesized once more with the options an internet-facing production fleet sets: a public client
/// range, a TLS certificate, and a key prefix for the problems in their bucket.</summary>
public sealed class CustomizedFleet() : SynthesizedFleet(new Dictionary<string, object>
{
    ["judge:apiCidr"] = ClientCidr,
    ["judge:certificateArn"] = CertificateArn,
    ["judge:problemsPrefix"] = "packages/",
})
{
    public const string ClientCidr = "203.0.113.0/24";

    public const string CertificateArn = "arn:aws:acm:eu-west-1:123456789012:certificate/12345678-1234-1234-1234-123456789012";
}

/// <summary>What the context options change in the templates.</summary>
public class JudgeFleetOptionsTests(CustomizedFleet fleet) : IClassFixture<CustomizedFleet>
{
    private JudgeApp App => fleet.Fleet;

    private static string Id(Constructs.IConstruct construct) => SynthesizedFleet.LogicalId(construct);

    [Fact]
    public void With_a_problems_prefix_silos_may_list_and_read_under_it_only()
    {
        var (bucket, results) = (Id(App.Core.Buckets.Problems) + ".Arn", Id(App.Core.Queues.Results) + ".Arn");
        string[] expected =
        [
            $"s3:GetObject on {bucket}/packages/*",
            $"s3:ListBucket on {bucket} if {{\"StringLike\":{{\"s3:prefix\":\"packages/*\"}}}}",
            $"sqs:SendMessage on {results}",
        ];
        Assert.Equal(expected.Order(), fleet.Eks.RolePermissions(Id(App.Eks!.SiloRole)).Order());
    }

    [Fact]
    public void With_a_certificate_the_public_load_balancer_serves_https_and_redirects_http()
    {
        var balancer = fleet.Ec2.Resources("AWS::ElasticLoadBalancingV2::LoadBalancer").Single().Properties;
        Assert.Equal("internet-facing", balancer.GetProperty("Scheme").GetString());

        var listeners = fleet.Ec2.Resources("AWS::ElasticLoadBalancingV2::Listener").Select(l => l.Properties)
            .ToDictionary(l => l.GetProperty("Port").GetInt32());
        Assert.Equal([80, 443], listeners.Keys.Order());
        Assert.Equal("HTTPS", listeners[443].GetProperty("Protocol").GetString());
        Assert.Equal(CustomizedFleet.CertificateArn, listeners[443].GetProperty("Certificates")[0].GetProperty("CertificateArn").GetString());
        Assert.Equal("forward", listeners[443].GetProperty("DefaultActions")[0].GetProperty("Type").GetString());
        var redirect = listeners[80].GetProperty("DefaultActions")[0];
        Assert.Equal("redirect", redirect.GetProperty("Type").GetString());
        Assert.Equal("443", redirect.GetProperty("RedirectConfig").GetProperty("Port").GetString());
        Assert.Equal("HTTPS", redirect.GetProperty("RedirectConfig").GetProperty("Protocol").GetString());
    }

    [Fact]
    public void Clients_of_the_public_range_may_reach_the_load_balancer_on_80_and_443_and_nothing_else_changes()
    {
        var network = App.Core.Network;
        string Sg(Constructs.IConstruct group) => Id(group) + ".GroupId";
        var (lb, silos, ingress, db) = (Sg(network.LoadBalancer), Sg(network.Silos), Sg(network.Ingress), Sg(network.Database));
        var expected = new HashSet<string>
        {
            $"{CustomizedFleet.ClientCidr} -> {lb} tcp 80",
            $"{CustomizedFleet.ClientCidr} -> {lb} tcp 443",
            $"{lb} -> {silos} tcp 8080",
            $"{silos} -> {silos} tcp 11111",
            $"{silos} -> {silos} tcp 30000",
            $"{ingress} -> {silos} tcp 30000",
            $"{silos} -> {db} tcp 5432",
            $"{ingress} -> {db} tcp 5432",
        };
        Assert.Equal(expected.Order(), JudgeFleetTemplateTests.InboundRules(fleet).Order());
    }
}
