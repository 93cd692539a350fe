using System.Globalization;
using Amazon.SQS;
using Amazon.SQS.Model;
using Judge.Ingress.Options;
using Judge.Interfaces;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Judge.Ingress.Pump;

/// <summary>Every <see cref="SqsIngressOptions.StatusInterval"/>, reads each source queue's approximate depth (visible
/// messages) and in-flight count (received, not yet deleted) and its dead-letter queue's depth, and reports them to the
/// cluster's <see cref="IIngressStatusGrain"/>, which <c>GET /api/cluster</c> shows.</summary>
public sealed partial class SqsQueueStatusReporter(
    IAmazonSQS sqs,
    IGrainFactory grains,
    IOptions<SqsIngressOptions> options,
    ILogger<SqsQueueStatusReporter> logger,
    TimeProvider? time = null) : BackgroundService
{
    private readonly SqsIngressOptions settings = options.Value;
    private readonly TimeProvider clock = time ?? TimeProvider.System;
    private readonly Dictionary<string, string?> deadLetters = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var ticks = new PeriodicTimer(settings.StatusInterval, clock);
        do
        {
            foreach (var url in settings.QueueUrls)
            {
                try
                {
                    await grains.GetGrain<IIngressStatusGrain>(IIngressStatusGrain.Key).Report(await ReadAsync(url, stoppingToken));
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    LogReportFailed(logger, e, url);
                }
            }
        }
        while (await WaitAsync(ticks, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer ticks, CancellationToken stoppingToken)
    {
        try
        {
            return await ticks.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task<IngressQueueStatus> ReadAsync(string url, CancellationToken cancellationToken)
    {
        var attributes = (await sqs.GetQueueAttributesAsync(new GetQueueAttributesRequest
        {
            QueueUrl = url,
            AttributeNames = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "RedrivePolicy"],
        }, cancellationToken)).Attributes ?? [];

        if (!deadLetters.TryGetValue(url, out var deadLetter))
        {
            deadLetter = settings.DeadLetterQueueUrl
                ?? (attributes.TryGetValue("RedrivePolicy", out var policy) ? await SqsIngressService.DeadLetterUrlAsync(sqs, policy, cancellationToken) : null);
            deadLetters[url] = deadLetter;
        }
        long? deadLettered = null;
        if (deadLetter is not null)
        {
            var dead = (await sqs.GetQueueAttributesAsync(new GetQueueAttributesRequest
            {
                QueueUrl = deadLetter,
                AttributeNames = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
            }, cancellationToken)).Attributes ?? [];
            deadLettered = Count(dead, "ApproximateNumberOfMessages") + Count(dead, "ApproximateNumberOfMessagesNotVisible");
        }
        return new IngressQueueStatus(QueueName(url), url, Count(attributes, "ApproximateNumberOfMessages"),
            Count(attributes, "ApproximateNumberOfMessagesNotVisible"), deadLettered, clock.GetUtcNow());
    }

    private static long Count(Dictionary<string, string> attributes, string name) =>
        attributes.TryGetValue(name, out var value) && long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var count) ? count : 0;

    /// <summary>The queue's name: the last segment of its URL.</summary>
    public static string QueueName(string url) => url.TrimEnd('/')[(url.TrimEnd('/').LastIndexOf('/') + 1)..];

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading or reporting the status of the queue {QueueUrl} failed; trying again at the next interval")]
    private static partial void LogReportFailed(ILogger logger, Exception exception, string queueUrl);
}
