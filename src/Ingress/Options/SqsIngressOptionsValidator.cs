using Judge.ServiceDefaults.Configuration;
using Microsoft.Extensions.Options;

namespace Judge.Ingress.Options;

/// <summary>Rejects an ingress configuration that cannot work, naming the key that fixes it.</summary>
public sealed class SqsIngressOptionsValidator : IValidateOptions<SqsIngressOptions>
{
    public ValidateOptionsResult Validate(string? name, SqsIngressOptions options)
    {
        var errors = new List<string>();
        if (options.QueueUrls.Count == 0)
            errors.Add("Judge:Sqs:QueueUrl is required: the URL of the queue to read submissions from");
        foreach (var url in options.QueueUrls.Concat(options.DeadLetterQueueUrl is { } dlq ? [dlq] : []))
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
                errors.Add($"Judge:Sqs:QueueUrl / DeadLetterQueueUrl: '{url}' is not an http(s) queue URL");
        }
        if (options.ServiceUrl is { } service && !Uri.TryCreate(service, UriKind.Absolute, out _))
            errors.Add($"Judge:Sqs:ServiceUrl: '{service}' is not an absolute URL");
        if (options.Receivers is < 1 or > 64)
            errors.Add($"Judge:Sqs:Receivers must be 1 to 64, not {options.Receivers}");
        if (options.MaxInFlight is < 1 or > 100_000)
            errors.Add($"Judge:Sqs:MaxInFlight must be 1 to 100000, not {options.MaxInFlight}");
        if (options.WaitTimeSeconds is < 0 or > 20)
            errors.Add($"Judge:Sqs:WaitTimeSeconds must be 0 to 20, not {options.WaitTimeSeconds}");
        if (options.StatusInterval < TimeSpan.FromSeconds(1) || options.StatusInterval > TimeSpan.FromHours(1))
            errors.Add($"Judge:Sqs:StatusInterval must be between 00:00:01 and 01:00:00, not {ConfigurationValues.Format(options.StatusInterval)}");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
