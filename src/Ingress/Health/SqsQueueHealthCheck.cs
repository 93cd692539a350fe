using Amazon.SQS;
using Amazon.SQS.Model;
using Judge.Ingress.Options;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Judge.Ingress.Health;

/// <summary>Readiness: every source queue (<c>Judge:Sqs:QueueUrl</c>) answers a request for its attributes within
/// <see cref="Timeout"/>, so the ingress can receive from it.</summary>
public sealed class SqsQueueHealthCheck(IAmazonSQS sqs, IOptions<SqsIngressOptions> options) : IHealthCheck
{
    /// <summary>How long each queue has to answer.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var queues = options.Value.QueueUrls;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Timeout);
        foreach (var url in queues)
        {
            try
            {
                await sqs.GetQueueAttributesAsync(new GetQueueAttributesRequest { QueueUrl = url, AttributeNames = ["QueueArn"] }, deadline.Token);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                var reason = e is OperationCanceledException ? $"no answer within {Timeout.TotalSeconds:0} s" : e.GetBaseException().Message;
                return HealthCheckResult.Unhealthy($"queue {url} unreachable: {reason}");
            }
        }
        return HealthCheckResult.Healthy(queues.Count == 1 ? "queue reachable" : $"{queues.Count} queues reachable");
    }
}
