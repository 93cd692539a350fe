using Amazon.CDK;
using Constructs;
using Judge.Deploy.Aws.Resources;

namespace Judge.Deploy.Aws.Stacks;

/// <summary>What every target shares: network, queues, buckets and the database.</summary>
public sealed class JudgeCoreStack : Stack
{
    public JudgeNetwork Network { get; }

    public JudgeQueues Queues { get; }

    public JudgeBuckets Buckets { get; }

    public JudgeDatabase Database { get; }

    public JudgeAccess Access { get; }

    public JudgeCoreStack(Construct scope, string id, JudgeSettings settings, IStackProps? props = null) : base(scope, id, props)
    {
        Network = new JudgeNetwork(this, "Network", settings);
        Queues = new JudgeQueues(this, "Queues", settings);
        Buckets = new JudgeBuckets(this, "Buckets");
        Database = new JudgeDatabase(this, "Database", settings, Network);
        Access = new JudgeAccess(settings, Queues, Buckets, Database);

        Output("SubmissionsQueueUrl", Queues.Submissions.QueueUrl, "Judge__Sqs__QueueUrl of the ingress; the KEDA scalers' queueURL");
        Output("SubmissionsDeadLetterQueueUrl", Queues.SubmissionsDeadLetter.QueueUrl, "the submissions' dead-letter queue");
        Output("ResultsQueueUrl", Queues.Results.QueueUrl, "Judge__Results__QueueUrl of the silos");
        Output("ResultsDeadLetterQueueUrl", Queues.ResultsDeadLetter.QueueUrl, "the results' dead-letter queue");
        Output("ProblemsBucketName", Buckets.Problems.BucketName, $"Judge__Problems__S3__Bucket of the silos (Judge__Problems__S3__Prefix: '{settings.ProblemsPrefix}')");
        Output("ArtifactsBucketName", Buckets.Artifacts.BucketName, $"release archives for EC2 hosts (prefix {settings.ReleasesPrefix})");
        Output("DatabaseEndpoint", Database.Instance.DbInstanceEndpointAddress, "PostgreSQL host for ConnectionStrings__Judge");
        Output("DatabasePort", Database.Instance.DbInstanceEndpointPort, "PostgreSQL port");
        Output("DatabaseSecretArn", Database.Instance.Secret!.SecretArn, "Secrets Manager secret with the database user's password");
        Output("SiloSecurityGroupId", Network.Silos.SecurityGroupId, "security group of silo hosts (EKS: security groups for pods)");
        Output("IngressSecurityGroupId", Network.Ingress.SecurityGroupId, "security group of ingress hosts");
        Output("LoadBalancerSecurityGroupId", Network.LoadBalancer.SecurityGroupId, "security group of the load balancer");
        Output("VpcId", Network.Vpc.VpcId, "the VPC");
        Output("VpcCidr", Network.Vpc.VpcCidrBlock, "the VPC's range (the load balancer's addresses are in it)");
        Output("DatabaseSubnetCidrs", Fn.Join(",", Network.Vpc.IsolatedSubnets.Select(s => s.Ipv4CidrBlock).ToArray()),
            "the database subnets (a NetworkPolicy's PostgreSQL destination)");
    }

    private void Output(string id, string value, string description) =>
        _ = new CfnOutput(this, id, new CfnOutputProps { Value = value, Description = description });
}
