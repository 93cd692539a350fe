using Microsoft.Extensions.Options;

namespace Judge.Results.Options;

/// <summary>Rejects a results configuration that cannot work, naming the key that fixes it.</summary>
public sealed class ResultsOutOptionsValidator : IValidateOptions<ResultsOutOptions>
{
    /// <summary>Shortest accepted webhook secret.</summary>
    public const int MinSecretLength = 16;

    public ValidateOptionsResult Validate(string? name, ResultsOutOptions options)
    {
        var errors = new List<string>();
        if (options.QueueUrl is { } queue && !IsHttpUrl(queue))
            errors.Add($"Judge:Results:QueueUrl: '{queue}' is not an http(s) queue URL");
        if (options.ServiceUrl is { } service && !Uri.TryCreate(service, UriKind.Absolute, out _))
            errors.Add($"Judge:Results:ServiceUrl: '{service}' is not an absolute URL");
        if (options.RetryDelay < TimeSpan.FromMilliseconds(10) || options.RetryDelay > TimeSpan.FromMinutes(1))
            errors.Add($"Judge:Results:RetryDelay must be 00:00:00.01 to 00:01:00, not {options.RetryDelay}");
        if (options.ReminderPeriod < TimeSpan.FromSeconds(1) || options.ReminderPeriod > TimeSpan.FromHours(1))
            errors.Add($"Judge:Results:ReminderPeriod must be 00:00:01 to 01:00:00, not {options.ReminderPeriod}");

        var webhook = options.Webhook;
        if (webhook.Secret is { } secret && secret.Length < MinSecretLength)
            errors.Add($"Judge:Results:Webhook:Secret must be at least {MinSecretLength} characters (a random string; receivers verify signatures with it)");
        foreach (var host in webhook.AllowedHosts)
        {
            var bare = host.StartsWith("*.", StringComparison.Ordinal) ? host[2..] : host;
            if (bare.Length == 0 || Uri.CheckHostName(bare) == UriHostNameType.Unknown)
                errors.Add($"Judge:Results:Webhook:AllowedHosts: '{host}' is not a host name, an IP address or '*.domain'");
        }
        if (webhook.Timeout < TimeSpan.FromMilliseconds(100) || webhook.Timeout > TimeSpan.FromMinutes(5))
            errors.Add($"Judge:Results:Webhook:Timeout must be 00:00:00.1 to 00:05:00, not {webhook.Timeout}");
        if (webhook.MaxAttempts is < 1 or > 100)
            errors.Add($"Judge:Results:Webhook:MaxAttempts must be 1 to 100, not {webhook.MaxAttempts}");
        if (webhook.RetryDelay < TimeSpan.FromMilliseconds(10) || webhook.RetryDelay > TimeSpan.FromHours(1))
            errors.Add($"Judge:Results:Webhook:RetryDelay must be 00:00:00.01 to 01:00:00, not {webhook.RetryDelay}");
        if (webhook.MaxRetryDelay < webhook.RetryDelay || webhook.MaxRetryDelay > TimeSpan.FromDays(1))
            errors.Add($"Judge:Results:Webhook:MaxRetryDelay must be at least Judge:Results:Webhook:RetryDelay and at most 1.00:00:00, not {webhook.MaxRetryDelay}");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static bool IsHttpUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);
}
