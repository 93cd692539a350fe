using Amazon.CDK.AWS.IAM;

namespace Judge.Deploy.Aws.Resources;

/// <summary>The least-privilege IAM statements of each part of the fleet, shared by the EKS (IRSA) and EC2 roles.</summary>
public sealed class JudgeAccess(JudgeSettings settings, JudgeQueues queues, JudgeBuckets buckets, JudgeDatabase database)
{
    /// <summary>The ingress (src/Ingress): it long-polls the submissions queue, extends a message's visibility while the
    /// hand-off runs (and backs it off after a failure), deletes it once stored, and reads the queue's attributes at start
    /// (VisibilityTimeout, RedrivePolicy), for /ready and for the cluster page. Malformed messages it sends to the
    /// dead-letter queue itself, which it finds by name from the redrive policy (GetQueueUrl) and whose depth it reports.</summary>
    public IEnumerable<PolicyStatement> Ingress()
    {
        yield return Allow([queues.Submissions.QueueArn],
            "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes");
        yield return Allow([queues.SubmissionsDeadLetter.QueueArn],
            "sqs:SendMessage", "sqs:GetQueueUrl", "sqs:GetQueueAttributes");
    }

    /// <summary>A silo: lists and reads the problem packages (src/Problems.S3: ListObjectsV2 and GetObject), under the
    /// problems prefix when there is one, and sends each result to the results queue (src/Results: SendMessage).</summary>
    public IEnumerable<PolicyStatement> Silo()
    {
        yield return Allow([buckets.Problems.ArnForObjects(settings.ProblemsPrefix + "*")], "s3:GetObject");
        yield return new PolicyStatement(new PolicyStatementProps
        {
            Effect = Effect.ALLOW,
            Actions = ["s3:ListBucket"],
            Resources = [buckets.Problems.BucketArn],
            Conditions = settings.ProblemsPrefix.Length == 0
                ? null
                : new Dictionary<string, object>
                {
                    ["StringLike"] = new Dictionary<string, object> { ["s3:prefix"] = settings.ProblemsPrefix + "*" },
                },
        });
        yield return Allow([queues.Results.QueueArn], "sqs:SendMessage");
    }

    /// <summary>KEDA's SQS scaler reads the submissions queue's depth (ApproximateNumberOfMessages...) and nothing else.</summary>
    public IEnumerable<PolicyStatement> Keda()
    {
        yield return Allow([queues.Submissions.QueueArn], "sqs:GetQueueAttributes");
    }

    /// <summary>An EC2 host (deploy/ec2): at boot it reads the database secret (the connection string of
    /// /etc/judge/judge.env) and downloads the release archive; its lifecycle helper finds its Auto Scaling group
    /// (DescribeAutoScalingInstances, which takes no resource-level permission: AWS only allows <c>*</c> for it). The
    /// group's own CompleteLifecycleAction is added by <see cref="JudgeHostGroup"/>, which knows the group.</summary>
    public IEnumerable<PolicyStatement> Ec2Host()
    {
        yield return Allow([database.Instance.Secret!.SecretArn], "secretsmanager:GetSecretValue");
        yield return Allow([buckets.Artifacts.ArnForObjects(settings.ReleasesPrefix + "*")], "s3:GetObject");
        yield return Allow(["*"], "autoscaling:DescribeAutoScalingInstances");
    }

    private static PolicyStatement Allow(string[] resources, params string[] actions) => new(new PolicyStatementProps
    {
        Effect = Effect.ALLOW,
        Actions = actions,
        Resources = resources,
    });
}
