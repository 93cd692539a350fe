using Judge.Abstractions;
using Judge.Results.Options;
using Judge.Results.Publishing;
using Judge.Results.Queue;
using Judge.Results.Webhooks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Orleans.Hosting;

/// <summary>Adds results out to a silo: finished results to <c>Judge:Results:QueueUrl</c> and to submissions' webhooks.</summary>
public static class ResultsOutSiloBuilderExtensions
{
    /// <summary>Reads <c>Judge:Results</c> (the silo fails to start on an invalid value, naming the key) and publishes
    /// results when a queue or a webhook secret is configured. The silo needs a reminder service.</summary>
    public static ISiloBuilder AddResultsOut(this ISiloBuilder builder, IConfiguration configuration)
    {
        builder.Services.AddOptions<ResultsOutOptions>()
            .Bind(configuration.GetSection(ResultsOutOptions.Section))
            .PostConfigure(o =>
            {
                o.QueueUrl = string.IsNullOrWhiteSpace(o.QueueUrl) ? null : o.QueueUrl.Trim();
                o.ServiceUrl ??= configuration["Judge:Sqs:ServiceUrl"];
                o.Region ??= configuration["Judge:Sqs:Region"];
                o.Webhook.Secret = string.IsNullOrEmpty(o.Webhook.Secret) ? null : o.Webhook.Secret;
                o.Webhook.AllowedHosts = ReadList(configuration.GetSection($"{ResultsOutOptions.Section}:Webhook:AllowedHosts"));
            })
            .ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ResultsOutOptions>, ResultsOutOptionsValidator>());
        // Orleans refuses a reminder whose period is below its minimum (a minute by default): a shorter
        // Judge:Results:ReminderPeriod lowers the minimum to match.
        builder.Services.AddOptions<ReminderOptions>().Configure<IOptions<ResultsOutOptions>>((reminders, results) =>
        {
            if (results.Value.ReminderPeriod < reminders.MinimumReminderPeriod)
                reminders.MinimumReminderPeriod = results.Value.ReminderPeriod;
        });

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton(sp => new CallbackPolicy(sp.GetRequiredService<IOptions<ResultsOutOptions>>().Value.Webhook));
        builder.Services.TryAddSingleton(sp => new ResultQueue(sp.GetRequiredService<IOptions<ResultsOutOptions>>().Value));
        builder.Services.TryAddSingleton(sp => new WebhookSender(
            sp.GetRequiredService<IOptions<ResultsOutOptions>>().Value.Webhook,
            sp.GetRequiredService<CallbackPolicy>(),
            sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddMetrics();
        builder.Services.TryAddSingleton<ResultsMetrics>();
        builder.Services.RemoveAll<IResultsOut>();
        builder.Services.AddSingleton<IResultsOut, ResultsOut>();
        return builder;
    }

    // One value, several separated by commas, or an array (…:0, …:1).
    private static List<string> ReadList(IConfigurationSection section)
    {
        var values = section.Value is { } single ? [single] : section.GetChildren().Select(c => c.Value ?? "").ToList();
        return values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct().ToList();
    }
}
