using Amazon.CDK.AWS.EC2;
using Constructs;

namespace Judge.Deploy.Aws.Resources;

/// <summary>The VPC and the security groups between the load balancer, the silos, the ingress and the database.</summary>
public sealed class JudgeNetwork : Construct
{
    /// <summary>Silo HTTP: API, dashboard, /health, /ready, /metrics.</summary>
    public const int SiloHttpPort = 8080;

    /// <summary>Silo-to-silo (Orleans cluster) port.</summary>
    public const int SiloPort = 11111;

    /// <summary>Orleans gateway: clients (the ingress) and silos.</summary>
    public const int GatewayPort = 30000;

    /// <summary>PostgreSQL.</summary>
    public const int DatabasePort = 5432;

    public Vpc Vpc { get; }

    /// <summary>The load balancer in front of the silos' HTTP port.</summary>
    public SecurityGroup LoadBalancer { get; }

    public SecurityGroup Silos { get; }

    public SecurityGroup Ingress { get; }

    public SecurityGroup Database { get; }

    public JudgeNetwork(Construct scope, string id, JudgeSettings settings) : base(scope, id)
    {
        // Public subnets hold the load balancer and the NAT gateway; silos and ingress live in private subnets with
        // outbound access (AWS APIs, packages at boot); the database in isolated subnets without any route out.
        Vpc = new Vpc(this, "Vpc", new VpcProps
        {
            IpAddresses = IpAddresses.Cidr(settings.VpcCidr),
            MaxAzs = settings.MaxAzs,
            NatGateways = settings.NatGateways,
            // The database subnets come first, so that they start the VPC's range: with two zones 10.60.0.0/24 and
            // 10.60.1.0/24, one block (10.60.0.0/23) for a Kubernetes NetworkPolicy's PostgreSQL rule.
            SubnetConfiguration =
            [
                new SubnetConfiguration { Name = "database", SubnetType = SubnetType.PRIVATE_ISOLATED, CidrMask = 24 },
                new SubnetConfiguration { Name = "public", SubnetType = SubnetType.PUBLIC, CidrMask = 24 },
                new SubnetConfiguration { Name = "hosts", SubnetType = SubnetType.PRIVATE_WITH_EGRESS, CidrMask = 20 },
            ],
        });

        // Inbound rules are exactly: clients -> load balancer (80, and 443 with a certificate), load balancer -> silos (8080), silos <-> silos
        // (11111, 30000), ingress -> silos (30000), silos and ingress -> database (5432). Nothing else comes in.
        LoadBalancer = new SecurityGroup(this, "LoadBalancer", new SecurityGroupProps
        {
            Vpc = Vpc,
            Description = "Judge load balancer: clients in, silo HTTP out",
            AllowAllOutbound = false,
        });
        Silos = new SecurityGroup(this, "Silos", new SecurityGroupProps
        {
            Vpc = Vpc,
            Description = "Judge silos: HTTP from the load balancer, cluster and gateway ports from silos and the ingress",
            AllowAllOutbound = true, // AWS APIs (S3, SQS, Secrets Manager) over HTTPS, packages at boot, other silos
        });
        Ingress = new SecurityGroup(this, "Ingress", new SecurityGroupProps
        {
            Vpc = Vpc,
            Description = "Judge SQS ingress: nothing inbound",
            AllowAllOutbound = true, // SQS over HTTPS, the silos' gateway, the database
        });
        Database = new SecurityGroup(this, "Database", new SecurityGroupProps
        {
            Vpc = Vpc,
            Description = "Judge PostgreSQL: 5432 from silos and the ingress",
            AllowAllOutbound = false,
        });

        LoadBalancer.AddIngressRule(Peer.Ipv4(settings.ApiCidr ?? settings.VpcCidr), Port.Tcp(80), "API and dashboard clients");
        if (settings.CertificateArn is not null)
            LoadBalancer.AddIngressRule(Peer.Ipv4(settings.ApiCidr ?? settings.VpcCidr), Port.Tcp(443), "API and dashboard clients over HTTPS");
        LoadBalancer.Connections.AllowTo(Silos, Port.Tcp(SiloHttpPort), "load balancer to silo HTTP");
        Silos.Connections.AllowFrom(Silos, Port.Tcp(SiloPort), "silo to silo");
        Silos.Connections.AllowFrom(Silos, Port.Tcp(GatewayPort), "silo to gateway");
        Silos.Connections.AllowFrom(Ingress, Port.Tcp(GatewayPort), "ingress to gateway");
        Database.Connections.AllowFrom(Silos, Port.Tcp(DatabasePort), "silos to PostgreSQL");
        Database.Connections.AllowFrom(Ingress, Port.Tcp(DatabasePort), "ingress to PostgreSQL");
    }
}
