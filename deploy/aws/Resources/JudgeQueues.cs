using Amazon.CDK;
using Amazon.CDK.AWS.SQS;
using Constructs;

namespace Judge.Deploy.Aws.Resources;

/// <summary>The submissions queue the ingress reads, the results queue the silos write, and a dead-letter queue for each.</summary>
public sealed class JudgeQueues : Construct
{
    /// <summary>Receives of a result message before SQS moves it to the results DLQ (the consumer is the operator's backend).</summary>
    public const int ResultsMaxReceiveCount = 10;

    public Queue Submissions { get; }

    /// <summary>Where the ingress sends malformed and unjudgeable submissions itself, and where SQS moves a message
    /// received <see cref="JudgeSettings.MaxReceiveCount"/> times without being handed over.</summary>
    public Queue SubmissionsDeadLetter { get; }

    public Queue Results { get; }

    public Queue ResultsDeadLetter { get; }

    public JudgeQueues(Construct scope, string id, JudgeSettings settings) : base(scope, id)
    {
        // Dead-letter queues keep messages for the SQS maximum, 14 days, longer than their sources (4 days): a standard
        // queue's message keeps its original enqueue time when it moves, so a shorter DLQ retention would drop it early.
        SubmissionsDeadLetter = new Queue(this, "SubmissionsDeadLetter", new QueueProps
        {
            QueueName = $"{settings.Prefix}-submissions-dlq",
            Encryption = QueueEncryption.SQS_MANAGED,
            EnforceSSL = true,
            RetentionPeriod = Duration.Days(14),
        });
        // maxReceiveCount: the ingress dead-letters malformed and unjudgeable messages itself on their first receive
        // and deletes a message once its submission is stored, so SQS's redrive only catches messages that keep
        // failing for transient reasons (cluster or database unreachable, ingress killed while holding them). After
        // such a failure the ingress makes the message invisible for 5 s x its receive count (at most 300 s): with 20
        // receives a message survives about 16 minutes (5 s x (1 + ... + 19)) of outage, an RDS failover or a full
        // rolling restart, before it is dead-lettered. The visibility timeout is short (30 s) because the ingress
        // extends it every half period while a hand-off runs; a killed ingress's messages come back after it.
        Submissions = new Queue(this, "Submissions", new QueueProps
        {
            QueueName = $"{settings.Prefix}-submissions",
            Encryption = QueueEncryption.SQS_MANAGED,
            EnforceSSL = true,
            VisibilityTimeout = Duration.Seconds(settings.VisibilityTimeoutSeconds),
            ReceiveMessageWaitTime = Duration.Seconds(20),
            RetentionPeriod = Duration.Days(4),
            DeadLetterQueue = new DeadLetterQueue { Queue = SubmissionsDeadLetter, MaxReceiveCount = settings.MaxReceiveCount },
        });

        ResultsDeadLetter = new Queue(this, "ResultsDeadLetter", new QueueProps
        {
            QueueName = $"{settings.Prefix}-results-dlq",
            Encryption = QueueEncryption.SQS_MANAGED,
            EnforceSSL = true,
            RetentionPeriod = Duration.Days(14),
        });
        Results = new Queue(this, "Results", new QueueProps
        {
            QueueName = $"{settings.Prefix}-results",
            Encryption = QueueEncryption.SQS_MANAGED,
            EnforceSSL = true,
            ReceiveMessageWaitTime = Duration.Seconds(20),
            RetentionPeriod = Duration.Days(4),
            DeadLetterQueue = new DeadLetterQueue { Queue = ResultsDeadLetter, MaxReceiveCount = ResultsMaxReceiveCount },
        });
    }
}
