using Judge.Ingress.Pump;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Judge.Ingress.IntegrationTests;

/// <summary>The emulator with a source, a dead-letter and a results queue, and a real embedded silo reading the source
/// queue through its co-hosted SQS ingress (as <c>Judge:Sqs:QueueUrl</c> turns it on) and publishing results to the
/// results queue and to webhooks on 127.0.0.1 (allowed explicitly: the default allows only public addresses).</summary>
public sealed class IngressSilo : IAsyncLifetime
{
    /// <summary>The webhook secret the silo signs with.</summary>
    public const string WebhookSecret = "ingress-tests-webhook-secret";

    private WebApplication? app;

    public SqsEmulator Sqs { get; } = new();

    public string SourceQueue { get; private set; } = "";

    public string DeadLetterQueue { get; private set; } = "";

    public string ResultsQueue { get; private set; } = "";

    /// <summary>Every result message received from the results queue so far.</summary>
    public ResultsCollector Results { get; private set; } = null!;

    /// <summary>The silo's gateway port, for an ingress of its own to join.</summary>
    public int GatewayPort { get; } = Ports.Free();

    public HttpClient Http { get; private set; } = null!;

    public IGrainFactory Grains => app!.Services.GetRequiredService<IGrainFactory>();

    public SqsIngressService Ingress => app!.Services.GetServices<IHostedService>().OfType<SqsIngressService>().Single();

    public async Task InitializeAsync()
    {
        await Sqs.InitializeAsync();
        (SourceQueue, DeadLetterQueue) = await Sqs.CreateQueuesAsync("submissions");
        ResultsQueue = (await Sqs.Client.CreateQueueAsync("results")).QueueUrl;
        Results = new ResultsCollector(Sqs.Client, ResultsQueue);
        var httpPort = Ports.Free();
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}") };

        // The standard AWS credential chain reads these, as it would on a developer's machine.
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", SqsEmulator.AccessKey);
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", SqsEmulator.SecretKey);
        var builder = WebApplication.CreateBuilder(
        [
            $"--urls=http://127.0.0.1:{httpPort}",
            $"--Judge:Silo:Port={Ports.Free()}",
            $"--Judge:Silo:GatewayPort={GatewayPort}",
            $"--Judge:Problems:Root={Repository.ExampleProblems}",
            $"--Judge:WorkRoot={Path.Combine(Path.GetTempPath(), "judge-ingress-tests")}",
            // Rust, Go and the other newer languages left out: the tests use rust and go as languages the catalog knows
            // and no silo offers.
            "--Judge:Toolchains=cpp17,cpp20,c11,python3,pypy3,java",
            $"--Judge:Sqs:QueueUrl={SourceQueue}",
            $"--Judge:Sqs:ServiceUrl={Sqs.ServiceUrl}",
            $"--Judge:Sqs:Region={SqsEmulator.Region}",
            "--Judge:Sqs:WaitTimeSeconds=1",
            "--Judge:Sqs:MaxInFlight=8",
            $"--Judge:Results:QueueUrl={ResultsQueue}",
            $"--Judge:Results:Webhook:Secret={WebhookSecret}",
            "--Judge:Results:Webhook:AllowedHosts=127.0.0.1",
            "--Judge:Results:Webhook:Timeout=00:00:02",
            "--Judge:Results:Webhook:RetryDelay=00:00:00.2",
            "--Judge:Results:Webhook:MaxAttempts=4",
        ]);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("Judge", LogLevel.Information);
        builder.Logging.AddFilter("Orleans", LogLevel.Warning);
        builder.AddJudgeSilo();
        app = builder.Build();
        app.MapJudgeSilo();
        await app.StartAsync();
        Results.Start();
    }

    public async Task DisposeAsync()
    {
        if (Results is not null)
            await Results.DisposeAsync();
        Http?.Dispose();
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
        await Sqs.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class IngressSiloCollection : ICollectionFixture<IngressSilo>
{
    public const string Name = "ingress silo";
}
