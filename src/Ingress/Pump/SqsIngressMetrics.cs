using System.Diagnostics.Metrics;

namespace Judge.Ingress.Pump;

/// <summary>The SQS pump on the <c>Judge</c> meter: messages received, held (in flight: received and not yet judged or
/// rejected) and moved to the dead-letter queue, by source queue.</summary>
public sealed class SqsIngressMetrics
{
    private readonly Counter<long> received;
    private readonly UpDownCounter<long> inFlight;
    private readonly Counter<long> deadLettered;

    public SqsIngressMetrics(IMeterFactory meters)
    {
        var meter = meters.Create("Judge");
        received = meter.CreateCounter<long>("judge.sqs.messages.received", "{message}",
            "Messages received from the source queues (a message received again after a failure counts again)");
        inFlight = meter.CreateUpDownCounter<long>("judge.sqs.messages.in_flight", "{message}",
            "Messages received and not yet done with: handed over and awaiting their verdict, or being handed over");
        deadLettered = meter.CreateCounter<long>("judge.sqs.messages.dead_lettered", "{message}",
            "Messages the ingress moved to the dead-letter queue (malformed, unjudgeable, or a conflicting id)");
    }

    /// <summary><paramref name="count"/> messages were received from <paramref name="queueUrl"/>.</summary>
    public void Received(string queueUrl, int count)
    {
        if (count == 0)
            return;
        received.Add(count, new KeyValuePair<string, object?>("queue", queueUrl));
        inFlight.Add(count, new KeyValuePair<string, object?>("queue", queueUrl));
    }

    /// <summary>A message of <paramref name="queueUrl"/> is done with (judged, rejected, or left for SQS to deliver again).</summary>
    public void Done(string queueUrl) => inFlight.Add(-1, new KeyValuePair<string, object?>("queue", queueUrl));

    /// <summary>A message of <paramref name="queueUrl"/> was moved to the dead-letter queue.</summary>
    public void DeadLettered(string queueUrl) => deadLettered.Add(1, new KeyValuePair<string, object?>("queue", queueUrl));
}
