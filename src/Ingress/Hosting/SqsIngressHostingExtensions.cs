using Judge.Aws;
using Amazon;
using Amazon.SQS;
using Judge.Ingress.Health;
using Judge.Ingress.Options;
using Judge.Ingress.Pump;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

/// <summary>Adds the SQS ingress to a host that can reach the cluster (a silo, or an Orleans client host).</summary>
public static class SqsIngressHostingExtensions
{
    /// <summary>Whether <c>Judge:Sqs:QueueUrl</c> is set: the embedded silo runs the ingress only then.</summary>
    public static bool HasSqsQueue(this IConfiguration configuration) => ReadQueueUrls(configuration).Count > 0;

    /// <summary>Reads <c>Judge:Sqs</c> and runs <see cref="SqsIngressService"/>; the host fails to start on a bad configuration.</summary>
    public static IHostApplicationBuilder AddSqsIngress(this IHostApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        builder.Services.AddOptions<SqsIngressOptions>()
            .Bind(configuration.GetSection(SqsIngressOptions.Section), o => o.ErrorOnUnknownConfiguration = false)
            .PostConfigure(o => o.QueueUrls = ReadQueueUrls(configuration))
            .ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SqsIngressOptions>, SqsIngressOptionsValidator>());
        builder.Services.TryAddSingleton<IAmazonSQS>(sp => CreateClient(sp.GetRequiredService<IOptions<SqsIngressOptions>>().Value));
        builder.Services.AddMetrics();
        builder.Services.TryAddSingleton<SqsIngressMetrics>();
        builder.Services.AddHealthChecks().AddCheck<SqsQueueHealthCheck>("queue", tags: [HealthEndpointExtensions.ReadyTag]);
        builder.Services.AddHostedService<SqsIngressService>();
        builder.Services.AddHostedService<SqsQueueStatusReporter>();
        return builder;
    }

    /// <summary>The SQS client: the standard AWS credential chain, the configured region and endpoint.</summary>
    public static AmazonSQSClient CreateClient(SqsIngressOptions options)
    {
        return new AmazonSQSClient(AwsEndpoint.Apply(new AmazonSQSConfig(), options.Region, options.ServiceUrl));
    }

    // Judge:Sqs:QueueUrl is one URL, several separated by commas, or an array (Judge:Sqs:QueueUrl:0, :1...).
    private static List<string> ReadQueueUrls(IConfiguration configuration)
    {
        var section = configuration.GetSection($"{SqsIngressOptions.Section}:QueueUrl");
        var values = section.Value is { } single ? [single] : section.GetChildren().Select(c => c.Value ?? "").ToList();
        return values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct().ToList();
    }
}
