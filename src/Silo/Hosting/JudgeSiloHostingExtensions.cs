using System.Text.Json;
using System.Text.Json.Serialization;
using Judge.Grains.Submissions;

namespace Microsoft.Extensions.Hosting;

/// <summary>Composes the judge silo host: Orleans, judging and the HTTP API.</summary>
public static class JudgeSiloHostingExtensions
{
    /// <summary>The HTTP address of the embedded default.</summary>
    public const string DefaultUrls = "http://127.0.0.1:5080";

    /// <summary>Configures this host as a judge silo. Without a database connection string this is the embedded default:
    /// localhost clustering, in-memory state, the bundled example problems.</summary>
    public static WebApplicationBuilder AddJudgeSilo(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;

        // --urls / ASPNETCORE_URLS win; otherwise Judge:Http:Urls; otherwise loopback port 5080.
        if (string.IsNullOrEmpty(configuration["urls"]))
            builder.WebHost.UseUrls(configuration["Judge:Http:Urls"] ?? DefaultUrls);

        if (string.IsNullOrEmpty(configuration["Judge:Problems:Root"]) && ExampleProblems.Find() is { } examples)
            configuration["Judge:Problems:Root"] = examples;

        builder.UseOrleans(silo =>
        {
            var siloPort = configuration.GetValue("Judge:Silo:Port", 11111);
            var gatewayPort = configuration.GetValue("Judge:Silo:GatewayPort", 30000);
            silo.UseLocalhostClustering(siloPort, gatewayPort);
            silo.AddMemoryGrainStorage(SubmissionGrain.StorageName);
            silo.AddJudging(configuration);
        });

        // The SQS ingress runs inside the embedded silo too, once a queue is configured (Judge:Sqs:QueueUrl).
        if (configuration.HasSqsQueue())
            builder.AddSqsIngress();

        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
            json.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        });
        builder.Services.AddProblemDetails();
        return builder;
    }
}

/// <summary>Finds the bundled <c>examples/problems</c> directory for the embedded default.</summary>
internal static class ExampleProblems
{
    public static string? Find()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "examples", "problems");
                if (Directory.Exists(candidate))
                    return candidate;
            }
        }
        return null;
    }
}
