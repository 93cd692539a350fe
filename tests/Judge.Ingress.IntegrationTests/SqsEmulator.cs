using System.Text.Json;
using Amazon.Runtime;
using Amazon.SQS;
using Amazon.SQS.Model;

namespace Judge.Ingress.IntegrationTests;

/// <summary>The fauxqs emulator (<see cref="Fauxqs"/>) with an SQS client.</summary>
public sealed class SqsEmulator : IAsyncLifetime
{
    private Fauxqs? emulator;

    public string ServiceUrl { get; private set; } = "";

    public AmazonSQSClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        emulator = await Fauxqs.StartAsync();
        ServiceUrl = emulator.ServiceUrl;
        Client = new AmazonSQSClient(new BasicAWSCredentials(AccessKey, SecretKey), new AmazonSQSConfig { ServiceURL = ServiceUrl, AuthenticationRegion = Region });
    }

    public const string Region = Fauxqs.Region;
    public const string AccessKey = Fauxqs.AccessKey;
    public const string SecretKey = Fauxqs.SecretKey;

    /// <summary>Creates a source queue whose redrive policy moves a message to a new dead-letter queue after <paramref name="maxReceiveCount"/> receives.</summary>
    public async Task<(string Source, string DeadLetter)> CreateQueuesAsync(string name, int visibilitySeconds = 10, int maxReceiveCount = 3)
    {
        var deadLetter = (await Client.CreateQueueAsync($"{name}-dlq")).QueueUrl;
        var arn = (await Client.GetQueueAttributesAsync(deadLetter, ["QueueArn"])).Attributes["QueueArn"];
        var source = (await Client.CreateQueueAsync(new CreateQueueRequest
        {
            QueueName = name,
            Attributes = new Dictionary<string, string>
            {
                ["VisibilityTimeout"] = visibilitySeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["RedrivePolicy"] = JsonSerializer.Serialize(new { deadLetterTargetArn = arn, maxReceiveCount = maxReceiveCount.ToString(System.Globalization.CultureInfo.InvariantCulture) }),
            },
        })).QueueUrl;
        return (source, deadLetter);
    }

    /// <summary>Messages visible plus in flight.</summary>
    public async Task<int> CountAsync(string queueUrl)
    {
        var attributes = (await Client.GetQueueAttributesAsync(queueUrl, ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])).Attributes;
        return int.Parse(attributes["ApproximateNumberOfMessages"], System.Globalization.CultureInfo.InvariantCulture)
            + int.Parse(attributes["ApproximateNumberOfMessagesNotVisible"], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Receives everything in <paramref name="queueUrl"/> (deleting it), with message attributes.</summary>
    public async Task<List<Message>> DrainAsync(string queueUrl)
    {
        var all = new List<Message>();
        while (true)
        {
            var response = await Client.ReceiveMessageAsync(new ReceiveMessageRequest
            {
                QueueUrl = queueUrl,
                MaxNumberOfMessages = 10,
                WaitTimeSeconds = 1,
                MessageAttributeNames = ["All"],
            });
            if (response.Messages is not { Count: > 0 } messages)
                return all;
            all.AddRange(messages);
            foreach (var m in messages)
                await Client.DeleteMessageAsync(queueUrl, m.ReceiptHandle);
        }
    }

    public Task DisposeAsync()
    {
        Client?.Dispose();
        emulator?.Dispose();
        return Task.CompletedTask;
    }
}
