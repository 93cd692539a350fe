namespace Judge.Ingress.Options;

/// <summary>Where and how fast the ingress reads submissions (<c>Judge:Sqs</c>).</summary>
public sealed class SqsIngressOptions
{
    public const string Section = "Judge:Sqs";

    /// <summary>The queues to read (<c>Judge:Sqs:QueueUrl</c>: one URL, or several separated by commas or as
    /// <c>Judge:Sqs:QueueUrl:0</c>, <c>:1</c>...).</summary>
    public List<string> QueueUrls { get; set; } = [];

    /// <summary>The SQS endpoint (<c>Judge:Sqs:ServiceUrl</c>), to point at an emulator; default: AWS for the region.</summary>
    public string? ServiceUrl { get; set; }

    /// <summary>The AWS region (<c>Judge:Sqs:Region</c>); default: the standard AWS chain (<c>AWS_REGION</c>...).</summary>
    public string? Region { get; set; }

    /// <summary>Where malformed and unjudgeable messages go (<c>Judge:Sqs:DeadLetterQueueUrl</c>); default: the
    /// dead-letter target of the queue's redrive policy.</summary>
    public string? DeadLetterQueueUrl { get; set; }

    /// <summary>Long polls in parallel per queue (<c>Judge:Sqs:Receivers</c>).</summary>
    public int Receivers { get; set; } = 2;

    /// <summary>Submissions handed over and not yet judged, at most (<c>Judge:Sqs:MaxInFlight</c>): the ingress reads
    /// only as fast as the cluster judges, and SQS holds the rest.</summary>
    public int MaxInFlight { get; set; } = 32;

    /// <summary>Long-poll wait per receive, in seconds (<c>Judge:Sqs:WaitTimeSeconds</c>, 0 to 20).</summary>
    public int WaitTimeSeconds { get; set; } = 20;

    /// <summary>How often the ingress reads its queues' depth, in-flight and dead-lettered counts and reports them to the
    /// cluster for <c>GET /api/cluster</c> (<c>Judge:Sqs:StatusInterval</c>).</summary>
    public TimeSpan StatusInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a stopping ingress lets hand-offs in flight finish (<c>Judge:Sqs:ShutdownTimeout</c>).</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
