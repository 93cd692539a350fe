using Judge.ServiceDefaults.Configuration;
using Microsoft.Extensions.Options;

namespace Judge.ServiceDefaults.Http;

/// <summary>Checks the HTTP limits at start; every message names the configuration key that fixes it.</summary>
public sealed class JudgeHttpOptionsValidator : IValidateOptions<JudgeHttpOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, JudgeHttpOptions options)
    {
        const string s = JudgeHttpOptions.Section;
        var errors = new List<string>();
        if (options.MaxConcurrentRequests is < 1 or > 100_000)
            errors.Add($"{s}:MaxConcurrentRequests must be from 1 to 100000, not {options.MaxConcurrentRequests}");
        if (options.RequestQueueLimit is < 0 or > 1_000_000)
            errors.Add($"{s}:RequestQueueLimit must be from 0 to 1000000, not {options.RequestQueueLimit}");
        if (options.RequestQueueTimeout <= TimeSpan.Zero || options.RequestQueueTimeout > TimeSpan.FromMinutes(5))
            errors.Add($"{s}:RequestQueueTimeout must be more than 0 and at most 00:05:00, not {ConfigurationValues.Format(options.RequestQueueTimeout)}");
        if (options.MaxConnections is < 1 or > 10_000_000)
            errors.Add($"{s}:MaxConnections must be from 1 to 10000000, not {options.MaxConnections}");
        // A submission's body is up to 2 MiB (SubmissionInput.MaxBodyBytes): the host must at least let that through.
        if (options.MaxRequestBodyBytes is < MinRequestBodyBytes or > 1L << 30)
            errors.Add($"{s}:MaxRequestBodyBytes must be from {MinRequestBodyBytes} (a submission of the largest source) to 1073741824, not {options.MaxRequestBodyBytes}");
        if (options.MaxRequestHeadersBytes is < 4096 or > 1 << 20)
            errors.Add($"{s}:MaxRequestHeadersBytes must be from 4096 to 1048576, not {options.MaxRequestHeadersBytes}");
        if (options.RequestHeadersTimeout <= TimeSpan.Zero || options.RequestHeadersTimeout > TimeSpan.FromMinutes(5))
            errors.Add($"{s}:RequestHeadersTimeout must be more than 0 and at most 00:05:00, not {ConfigurationValues.Format(options.RequestHeadersTimeout)}");
        if (double.IsNaN(options.MinRequestBodyBytesPerSecond) || options.MinRequestBodyBytesPerSecond < 0 || options.MinRequestBodyBytesPerSecond > 1 << 30)
            errors.Add($"{s}:MinRequestBodyBytesPerSecond must be from 0 (no minimum) to 1073741824, not {options.MinRequestBodyBytesPerSecond}");
        // Kestrel's own rule: the grace period must be longer than its 1 s heartbeat.
        if (options.MinRequestBodyGracePeriod <= TimeSpan.FromSeconds(1) || options.MinRequestBodyGracePeriod > TimeSpan.FromMinutes(5))
            errors.Add($"{s}:MinRequestBodyGracePeriod must be more than 00:00:01 and at most 00:05:00, not {ConfigurationValues.Format(options.MinRequestBodyGracePeriod)}");
        if (options.MaxUnfinishedSubmissions is < 1 or > 10_000_000)
            errors.Add($"{s}:MaxUnfinishedSubmissions must be from 1 to 10000000, not {options.MaxUnfinishedSubmissions}");
        if (options.RetryAfterSeconds is < 1 or > 3600)
            errors.Add($"{s}:RetryAfterSeconds must be from 1 to 3600, not {options.RetryAfterSeconds}");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>The smallest body limit accepted: a submission body of the largest source (2 MiB) and some room.</summary>
    public const long MinRequestBodyBytes = 2 * 1024 * 1024 + 64 * 1024;
}
