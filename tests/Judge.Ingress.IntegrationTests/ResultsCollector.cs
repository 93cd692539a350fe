using System.Collections.Concurrent;
using System.Text.Json;
using Amazon.SQS;
using Amazon.SQS.Model;
using Judge.Results.Queue;

namespace Judge.Ingress.IntegrationTests;

/// <summary>Reads the results queue for the whole test run, as a backend would, and keeps every message body by the
/// submission id it names, so that tests can count copies per id.</summary>
public sealed class ResultsCollector(AmazonSQSClient sqs, string queueUrl) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> byId = new();
    private readonly CancellationTokenSource stopping = new();
    private Task? reading;

    /// <summary>Messages whose body is not a result naming an id (there should be none).</summary>
    public ConcurrentQueue<string> Unreadable { get; } = new();

    public void Start() => reading = Task.WhenAll(Enumerable.Range(0, 3).Select(_ => ReadAsync()));

    /// <summary>The bodies received for <paramref name="id"/> so far (empty when none).</summary>
    public IReadOnlyList<string> For(string id) => byId.TryGetValue(id, out var bodies) ? bodies.ToArray() : [];

    /// <summary>Waits until every id in <paramref name="ids"/> has a result; fails naming the missing ones after <paramref name="patience"/>.</summary>
    public async Task<Dictionary<string, JsonElement>> WaitForAsync(IReadOnlyCollection<string> ids, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (ids.Any(id => !byId.ContainsKey(id)))
        {
            if (DateTime.UtcNow > deadline)
            {
                var missing = ids.Where(id => !byId.ContainsKey(id)).ToList();
                throw new TimeoutException($"{missing.Count} of {ids.Count} results did not arrive, e.g. {string.Join(", ", missing.Take(5))}");
            }
            await Task.Delay(100);
        }
        return ids.ToDictionary(id => id, id => JsonDocument.Parse(byId[id].First()).RootElement.Clone());
    }

    private async Task ReadAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            List<Message> messages;
            try
            {
                var response = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest
                {
                    QueueUrl = queueUrl,
                    MaxNumberOfMessages = 10,
                    WaitTimeSeconds = 1,
                    MessageAttributeNames = ["All"],
                }, stopping.Token);
                messages = response.Messages ?? [];
            }
            catch (OperationCanceledException)
            {
                return;
            }
            foreach (var message in messages)
            {
                Record(message);
                await sqs.DeleteMessageAsync(queueUrl, message.ReceiptHandle);
            }
        }
    }

    private void Record(Message message)
    {
        string? id = null;
        try
        {
            using var json = JsonDocument.Parse(message.Body);
            id = json.RootElement.GetProperty("id").GetString();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
        }
        var attribute = message.MessageAttributes?.GetValueOrDefault(ResultQueue.SubmissionIdAttribute)?.StringValue;
        if (id is null || attribute != id)
        {
            Unreadable.Enqueue(message.Body);
            return;
        }
        byId.GetOrAdd(id, _ => new ConcurrentQueue<string>()).Enqueue(message.Body);
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        if (reading is not null)
            await reading;
        stopping.Dispose();
    }
}
