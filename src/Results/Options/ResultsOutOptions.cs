namespace Judge.Results.Options;

/// <summary>Where finished results go (<c>Judge:Results</c>): an SQS queue, and the webhooks submissions name.</summary>
public sealed class ResultsOutOptions
{
    public const string Section = "Judge:Results";

    /// <summary>The queue every final result is sent to (<c>Judge:Results:QueueUrl</c>); none when unset.</summary>
    public string? QueueUrl { get; set; }

    /// <summary>The SQS endpoint (<c>Judge:Results:ServiceUrl</c>); default <c>Judge:Sqs:ServiceUrl</c>, else AWS.</summary>
    public string? ServiceUrl { get; set; }

    /// <summary>The AWS region (<c>Judge:Results:Region</c>); default <c>Judge:Sqs:Region</c>, else the AWS chain.</summary>
    public string? Region { get; set; }

    /// <summary>Retries of a failed queue send wait twice as long each time, from this (<c>Judge:Results:RetryDelay</c>)
    /// up to a minute; a queue send is retried until it succeeds.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Period of the durable reminder that watches each owed result (<c>Judge:Results:ReminderPeriod</c>, default a
    /// minute, Orleans' usual minimum). Once a silo that owed results is declared dead, a survivor's reminder service
    /// resumes their publication at the next tick, so this bounds how long they wait. A shorter period costs a reminder
    /// tick per owed result per period; the silo lowers Orleans' minimum reminder period to match.</summary>
    public TimeSpan ReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);

    public WebhookOptions Webhook { get; set; } = new();

    /// <summary>Whether anything is published: a queue, or webhooks (a secret to sign them with).</summary>
    public bool Enabled => QueueUrl is not null || Webhook.Enabled;
}

/// <summary>How results are POSTed to the <c>callbackUrl</c> of a submission (<c>Judge:Results:Webhook</c>).</summary>
public sealed class WebhookOptions
{
    /// <summary>The HMAC-SHA256 key that signs every delivery (<c>Judge:Results:Webhook:Secret</c>, at least 16 characters).
    /// Without it no webhook is sent, and a submission with a <c>callbackUrl</c> is refused.</summary>
    public string? Secret { get; set; }

    /// <summary>Host names a callback URL may name (<c>Judge:Results:Webhook:AllowedHosts</c>: comma-separated, or
    /// <c>:0</c>, <c>:1</c>...; <c>*.example.com</c> matches sub-domains). Listed hosts are called whatever address they
    /// resolve to. Empty: any host, but only at public addresses (never loopback, private, link-local or metadata ones).</summary>
    public List<string> AllowedHosts { get; set; } = [];

    /// <summary>How long one delivery may take (<c>Judge:Results:Webhook:Timeout</c>).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Deliveries tried before the result is given up for this webhook (<c>Judge:Results:Webhook:MaxAttempts</c>).</summary>
    public int MaxAttempts { get; set; } = 10;

    /// <summary>The wait before the first retry (<c>Judge:Results:Webhook:RetryDelay</c>); each further retry waits twice
    /// as long, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest wait between retries (<c>Judge:Results:Webhook:MaxRetryDelay</c>).</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(10);

    public bool Enabled => !string.IsNullOrEmpty(Secret);
}
