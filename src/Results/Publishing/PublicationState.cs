namespace Judge.Results.Publishing;

/// <summary>What a result publisher persists: the outbox of one submission's result.</summary>
[GenerateSerializer, Alias("judge.PublicationState")]
public sealed class PublicationState
{
    /// <summary>The submission was accepted and its result is owed (a reminder watches it).</summary>
    [Id(0)] public bool Tracked { get; set; }

    [Id(1)] public string? CallbackUrl { get; set; }

    /// <summary>The result, built once from the finished submission; every copy sent is this.</summary>
    [Id(2)] public string? Body { get; set; }

    [Id(3)] public bool QueuePending { get; set; }
    [Id(4)] public int QueueAttempts { get; set; }
    [Id(5)] public DateTimeOffset? NextQueueAttemptAt { get; set; }

    [Id(6)] public bool WebhookPending { get; set; }
    [Id(7)] public int WebhookAttempts { get; set; }
    [Id(8)] public DateTimeOffset? NextWebhookAttemptAt { get; set; }
    [Id(9)] public bool WebhookGaveUp { get; set; }

    [Id(10)] public string? LastError { get; set; }

    /// <summary>Everything owed was delivered (or given up): nothing more is ever sent.</summary>
    [Id(11)] public bool Done { get; set; }
}
