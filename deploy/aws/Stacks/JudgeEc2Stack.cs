using Amazon.CDK;
using Amazon.CDK.AWS.AutoScaling;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.ElasticLoadBalancingV2;
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

    public JudgeEc2Stack(Construct scope, string id, JudgeSettings settings, JudgeCoreStack core, IStackProps? props = null)
        : base(scope, id, props)
    {
        var shared = new Dictionary<string, string>
        {
            ["JUDGE_REGION"] = Amazon.CDK.Aws.REGION,
            ["JUDGE_DB_SECRET_ARN"] = core.Database.Instance.Secret!.SecretArn,
            ["JUDGE_DB_HOST"] = core.Database.Instance.DbInstanceEndpointAddress,
            ["JUDGE_DB_PORT"] = core.Database.Instance.DbInstanceEndpointPort,
            ["JUDGE_DB_NAME"] = JudgeDatabase.DatabaseName,
            ["JUDGE_ARTIFACTS_BUCKET"] = core.Buckets.Artifacts.BucketName,
            ["JUDGE_RELEASES_PREFIX"] = settings.ReleasesPrefix,
        };

        var pools = new Dictionary<string, JudgeHostGroup>();
        foreach (var pool in settings.Ec2Pools)
        {
            var environment = new Dictionary<string, string>(shared)
            {
                ["JUDGE_POOL"] = pool,
                ["JUDGE_DRAIN_TIMEOUT_SECONDS"] = settings.DrainTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["JUDGE_PROBLEMS_BUCKET"] = core.Buckets.Problems.BucketName,
                ["JUDGE_PROBLEMS_PREFIX"] = settings.ProblemsPrefix,
                ["JUDGE_RESULTS_QUEUE_URL"] = core.Queues.Results.QueueUrl,
            };
            var group = new JudgeHostGroup(this, "Silo" + char.ToUpperInvariant(pool[0]) + pool[1..], settings, core.Network, pool,
                drains: true, core.Network.Silos, new InstanceType(settings.Ec2InstanceType), settings.Ec2MinPerPool,
                settings.Ec2MaxPerPool, core.Access.Silo().Concat(core.Access.Ec2Boot()), environment);

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

        Ingress = new JudgeHostGroup(this, "IngressHosts", settings, core.Network, "ingress", drains: false, core.Network.Ingress,
            new InstanceType(settings.Ec2IngressInstanceType), 1, 2, core.Access.Ingress().Concat(core.Access.Ec2Boot()),
            new Dictionary<string, string>(shared)
            {
                ["JUDGE_SUBMISSIONS_QUEUE_URL"] = core.Queues.Submissions.QueueUrl,
                ["JUDGE_SUBMISSIONS_DLQ_URL"] = core.Queues.SubmissionsDeadLetter.QueueUrl,
            });

        LoadBalancer = new ApplicationLoadBalancer(this, "LoadBalancer", new ApplicationLoadBalancerProps
        {
            Vpc = core.Network.Vpc,
            InternetFacing = settings.ApiCidr is not null,
            SecurityGroup = core.Network.LoadBalancer,
            VpcSubnets = new SubnetSelection { SubnetType = settings.ApiCidr is not null ? SubnetType.PUBLIC : SubnetType.PRIVATE_WITH_EGRESS },
        });
        var listener = LoadBalancer.AddListener("Http", new BaseApplicationListenerProps { Port = 80, Open = false });
        if (pools.Count > 0)
        {
            listener.AddTargets("Silos", new AddApplicationTargetsProps
            {
                Port = JudgeNetwork.SiloHttpPort,
                Protocol = ApplicationProtocol.HTTP,
                Targets = pools.Values.Select(p => (IApplicationLoadBalancerTarget)p.Group).ToArray(),
                HealthCheck = new Amazon.CDK.AWS.ElasticLoadBalancingV2.HealthCheck { Path = "/ready", HealthyHttpCodes = "200" },
                // A leaving silo stops taking requests before its drain ends.
                DeregistrationDelay = Duration.Seconds(settings.DrainTimeoutSeconds),
            });
        }
        else
        {
            listener.AddAction("NoSilos", new AddApplicationActionProps
            {
                Action = ListenerAction.FixedResponse(503, new FixedResponseOptions { ContentType = "text/plain", MessageBody = "no silo pool" }),
            });
        }

        foreach (var (pool, group) in pools)
            _ = new CfnOutput(this, "Silo" + char.ToUpperInvariant(pool[0]) + pool[1..] + "RoleArn",
                new CfnOutputProps { Value = group.Role.RoleArn, Description = $"instance role of the {pool} silo hosts" });
        _ = new CfnOutput(this, "IngressRoleArn", new CfnOutputProps { Value = Ingress.Role.RoleArn, Description = "instance role of the ingress hosts" });
        _ = new CfnOutput(this, "LoadBalancerDns", new CfnOutputProps { Value = LoadBalancer.LoadBalancerDnsName, Description = "API and dashboard (port 80)" });
    }
}
