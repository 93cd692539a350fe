using Judge.Aws;
using Amazon;
using Amazon.SQS;
using Amazon.SQS.Model;
using Judge.Results.Messages;
using Judge.Results.Options;

namespace Judge.Results.Queue;

/// <summary>Sends results to <c>Judge:Results:QueueUrl</c> with the real SQS client (the standard AWS credential chain),
/// with the submission id in the message attribute <c>judge-submission-id</c> and the judging in <c>judge-judging</c>. On a
/// FIFO queue the submission id is the message group and the deduplication id (<c>id#n</c> for judging n above 1), so SQS
/// itself drops a resend within its 5-minute window.</summary>
public sealed class ResultQueue : IDisposable
{
    public const string SubmissionIdAttribute = "judge-submission-id";
    public const string VersionAttribute = "judge-result-version";
    public const string JudgingAttribute = "judge-judging";

    private readonly AmazonSQSClient? client;
    private readonly string? url;

    public ResultQueue(ResultsOutOptions options)
    {
        url = options.QueueUrl;
        if (url is null)
            return;
        client = new AmazonSQSClient(AwsEndpoint.Apply(new AmazonSQSConfig(), options.Region, options.ServiceUrl));
    }

    /// <summary>Whether a results queue is configured.</summary>
    public bool Configured => client is not null;

    /// <summary>Sends <paramref name="body"/>, the result of judging <paramref name="judging"/> of <paramref name="submissionId"/>;
    /// throws when SQS did not take it.</summary>
    public async Task SendAsync(string submissionId, string body, CancellationToken cancellationToken, int judging = 1)
    {
        var request = new SendMessageRequest
        {
            QueueUrl = url,
            MessageBody = body,
            MessageAttributes = new Dictionary<string, MessageAttributeValue>
            {
                [SubmissionIdAttribute] = new() { DataType = "String", StringValue = submissionId },
                [VersionAttribute] = new() { DataType = "Number", StringValue = ResultMessage.Version.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                [JudgingAttribute] = new() { DataType = "Number", StringValue = judging.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            },
        };
        if (url!.EndsWith(".fifo", StringComparison.Ordinal))
        {
            request.MessageGroupId = submissionId;
            // A rejudge's result is a different message: its own deduplication id (the first judging's stays the bare id).
            request.MessageDeduplicationId = judging <= 1 ? submissionId : $"{submissionId}#{judging}";
        }
        await client!.SendMessageAsync(request, cancellationToken);
    }

    public void Dispose() => client?.Dispose();
}
