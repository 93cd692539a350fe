using Amazon.CDK;
using Amazon.CDK.AWS.AutoScaling;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.ElasticLoadBalancingV2;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.SecretsManager;
using System.Text.Json;
using Constructs;
using Judge.Deploy.Aws.Resources;
using InstanceType = Amazon.CDK.AWS.EC2.InstanceType;

namespace Judge.Deploy.Aws.Stacks;

/// <summary>The EC2 example: an Auto Scaling group per silo pool (draining on scale-in), one for the ingress, and a load
/// balancer in front of the silos' HTTP port.</summary>
public sealed class JudgeEc2Stack : Stack
{
    public IReadOnlyDictionary<string, JudgeHostGroup> Pools { get; }

    public JudgeHostGroup Ingress { get; }

    public ApplicationLoadBalancer LoadBalancer { get; }

    /// <summary>The silos' API key hash and browser cookie secret (JSON <c>apiKeySha256</c>, <c>cookieSecret</c>), read at boot.</summary>
    public Secret Auth { get; }

    public JudgeEc2Stack(Construct scope, string id, JudgeSettings settings, JudgeCoreStack core, IStackProps? props = null)
        : base(scope, id, props)
    {
        Auth = new Secret(this, "Auth", new SecretProps
        {
            SecretName = $"{settings.Prefix}/auth",
            Description = "Judge silos on EC2: apiKeySha256 (judge:apiKeySha256) and a generated cookieSecret (Judge:Auth:CookieSecret)",
            GenerateSecretString = new SecretStringGenerator
            {
                SecretStringTemplate = JsonSerializer.Serialize(new Dictionary<string, string> { ["apiKeySha256"] = settings.ApiKeySha256! }),
                GenerateStringKey = "cookieSecret",
                PasswordLength = 48,
                ExcludePunctuation = true,
            },
        });

        // What the user-data reads from the instance's tags through IMDS (deploy/ec2/README.md, "First boot").
        var shared = new Dictionary<string, string>
        {
            ["judge:artifact"] = $"s3://{core.Buckets.Artifacts.BucketName}/{settings.ReleasesPrefix}{settings.Release}",
            ["judge:db-secret"] = core.Database.Instance.Secret!.SecretArn,
            ["judge:cluster-id"] = settings.ClusterId,
            ["judge:service-id"] = settings.ServiceId,
            ["judge:lifecycle-hook"] = JudgeHostGroup.DrainHookName,
        };

        var pools = new Dictionary<string, JudgeHostGroup>();
        foreach (var pool in settings.Ec2Pools)
        {
            var tags = new Dictionary<string, string>(shared)
            {
                ["judge:problems-bucket"] = core.Buckets.Problems.BucketName,
                ["judge:results-queue-url"] = core.Queues.Results.QueueUrl,
                ["judge:auth-secret"] = Auth.SecretArn,
            };
            var statements = core.Access.Silo().Concat(core.Access.Ec2Host()).Append(new PolicyStatement(new PolicyStatementProps
            {
                Effect = Effect.ALLOW,
                Actions = ["secretsmanager:GetSecretValue"],
                Resources = [Auth.SecretArn],
            }));
            var group = new JudgeHostGroup(this, "Silo" + char.ToUpperInvariant(pool[0]) + pool[1..], settings, core.Network, pool,
                core.Network.Silos, new InstanceType(settings.Ec2InstanceType), settings.Ec2MinPerPool, settings.Ec2MaxPerPool,
                statements, tags);

            // Each pool grows with the submissions backlog (one queue for all pools: see deploy/README.md, "Scaling").
            group.Group.ScaleOnMetric("Backlog", new BasicStepScalingPolicyProps
            {
                Metric = core.Queues.Submissions.MetricApproximateNumberOfMessagesVisible(new Amazon.CDK.AWS.CloudWatch.MetricOptions
                {
                    Period = Duration.Minutes(1),
                }),
                ScalingSteps =
                [
                    new ScalingInterval { Upper = 0, Change = -1 },
                    new ScalingInterval { Lower = 20, Change = +1 },
                    new ScalingInterval { Lower = 100, Change = +2 },
                ],
                AdjustmentType = AdjustmentType.CHANGE_IN_CAPACITY,
            });
            pools[pool] = group;
        }
        Pools = pools;

        Ingress = new JudgeHostGroup(this, "IngressHosts", settings, core.Network, "ingress", core.Network.Ingress,
            new InstanceType(settings.Ec2IngressInstanceType), 1, 2, core.Access.Ingress().Concat(core.Access.Ec2Host()),
            new Dictionary<string, string>(shared) { ["judge:submissions-queue-url"] = core.Queues.Submissions.QueueUrl });

        LoadBalancer = new ApplicationLoadBalancer(this, "LoadBalancer", new ApplicationLoadBalancerProps
        {
            Vpc = core.Network.Vpc,
            InternetFacing = settings.ApiCidr is not null,
            SecurityGroup = core.Network.LoadBalancer,
            VpcSubnets = new SubnetSelection { SubnetType = settings.ApiCidr is not null ? SubnetType.PUBLIC : SubnetType.PRIVATE_WITH_EGRESS },
        });
        // With a certificate the API is served over HTTPS on 443 and port 80 only redirects; without one, plain HTTP on
        // 80, which suits an internal load balancer (the default) but sends API keys unencrypted over the network.
        ApplicationListener listener;
        if (settings.CertificateArn is { } certificate)
        {
            listener = LoadBalancer.AddListener("Https", new BaseApplicationListenerProps
            {
                Port = 443,
                Protocol = ApplicationProtocol.HTTPS,
                Certificates = [ListenerCertificate.FromArn(certificate)],
                SslPolicy = SslPolicy.RECOMMENDED_TLS,
                Open = false,
            });
            LoadBalancer.AddRedirect(new ApplicationLoadBalancerRedirectConfig { SourcePort = 80, TargetPort = 443, Open = false });
        }
        else
        {
            listener = LoadBalancer.AddListener("Http", new BaseApplicationListenerProps { Port = 80, Open = false });
        }
        listener.AddTargets("Silos", new AddApplicationTargetsProps
        {
            Port = JudgeNetwork.SiloHttpPort,
            Protocol = ApplicationProtocol.HTTP,
            Targets = pools.Values.Select(p => (IApplicationLoadBalancerTarget)p.Group).ToArray(),
            HealthCheck = new Amazon.CDK.AWS.ElasticLoadBalancingV2.HealthCheck { Path = "/ready", HealthyHttpCodes = "200" },
            // A leaving silo stops taking requests before its drain ends.
            DeregistrationDelay = Duration.Seconds(settings.DrainTimeoutSeconds),
        });

        foreach (var (pool, group) in pools)
            _ = new CfnOutput(this, "Silo" + char.ToUpperInvariant(pool[0]) + pool[1..] + "RoleArn",
                new CfnOutputProps { Value = group.Role.RoleArn, Description = $"instance role of the {pool} silo hosts" });
        _ = new CfnOutput(this, "IngressRoleArn", new CfnOutputProps { Value = Ingress.Role.RoleArn, Description = "instance role of the ingress hosts" });
        _ = new CfnOutput(this, "AuthSecretArn", new CfnOutputProps { Value = Auth.SecretArn, Description = "the EC2 silos' API key hash and cookie secret" });
        _ = new CfnOutput(this, "LoadBalancerDns", new CfnOutputProps { Value = LoadBalancer.LoadBalancerDnsName, Description = settings.CertificateArn is null ? "API and dashboard (HTTP, port 80)" : "API and dashboard (HTTPS, port 443)" });
    }
}
