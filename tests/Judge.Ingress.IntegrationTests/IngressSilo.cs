using Judge.Ingress.Pump;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Judge.Ingress.IntegrationTests;

/// <summary>The emulator with a source and a dead-letter queue, and a real embedded silo reading the source queue
/// through its co-hosted SQS ingress (as <c>Judge:Sqs:QueueUrl</c> turns it on).</summary>
public sealed class IngressSilo : IAsyncLifetime
{
    private WebApplication? app;

    public SqsEmulator Sqs { get; } = new();

    public string SourceQueue { get; private set; } = "";

    public string DeadLetterQueue { get; private set; } = "";

    public IGrainFactory Grains => app!.Services.GetRequiredService<IGrainFactory>();

    public SqsIngressService Ingress => app!.Services.GetServices<IHostedService>().OfType<SqsIngressService>().Single();

    public async Task InitializeAsync()
    {
        await Sqs.InitializeAsync();
        (SourceQueue, DeadLetterQueue) = await Sqs.CreateQueuesAsync("submissions");

        // The standard AWS credential chain reads these, as it would on a developer's machine.
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", SqsEmulator.AccessKey);
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", SqsEmulator.SecretKey);
        var builder = WebApplication.CreateBuilder(
        [
            $"--urls=http://127.0.0.1:{Ports.Free()}",
            $"--Judge:Silo:Port={Ports.Free()}",
            $"--Judge:Silo:GatewayPort={Ports.Free()}",
            $"--Judge:Problems:Root={Repository.ExampleProblems}",
            $"--Judge:WorkRoot={Path.Combine(Path.GetTempPath(), "judge-ingress-tests")}",
            $"--Judge:Sqs:QueueUrl={SourceQueue}",
            $"--Judge:Sqs:ServiceUrl={Sqs.ServiceUrl}",
            $"--Judge:Sqs:Region={SqsEmulator.Region}",
            "--Judge:Sqs:WaitTimeSeconds=1",
            "--Judge:Sqs:MaxInFlight=8",
        ]);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("Judge", LogLevel.Information);
        builder.Logging.AddFilter("Orleans", LogLevel.Warning);
        builder.AddJudgeSilo();
        app = builder.Build();
        app.MapJudgeApi();
        await app.StartAsync();
    }

    public async Task DisposeAsync()
    {
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
