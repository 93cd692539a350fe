using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Judge.Problems.S3.Options;

/// <summary>Rejects an S3 problem store configuration that cannot work, naming the key that fixes it.</summary>
public sealed partial class S3ProblemsOptionsValidator : IValidateOptions<S3ProblemsOptions>
{
    public ValidateOptionsResult Validate(string? name, S3ProblemsOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Bucket))
            failures.Add("No problems bucket is configured: set Judge:Problems:S3:Bucket (env Judge__Problems__S3__Bucket).");
        else if (!BucketPattern().IsMatch(options.Bucket) || options.Bucket.Contains(".."))
            failures.Add($"Judge:Problems:S3:Bucket '{options.Bucket}' is not a bucket name (3-63 lower-case letters, digits, '.' and '-', starting and ending with a letter or digit).");

        if (options.Prefix is { Length: > 0 } prefix)
        {
            if (prefix.StartsWith('/'))
                failures.Add($"Judge:Problems:S3:Prefix '{prefix}' must not start with '/' (S3 keys of packages do not).");
            else if (prefix.Any(char.IsControl) || prefix.Contains('\\') || prefix.Contains("//") || prefix.Split('/').Any(s => s is "." or ".."))
                failures.Add($"Judge:Problems:S3:Prefix '{prefix}' must be '/'-separated names without control characters, backslashes, empty, '.' or '..' parts.");
            else if (prefix.Length > 512)
                failures.Add("Judge:Problems:S3:Prefix is longer than 512 characters.");
        }

        if (options.ServiceUrl is { Length: > 0 } serviceUrl
            && (!Uri.TryCreate(serviceUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
            failures.Add($"Judge:Problems:S3:ServiceUrl '{serviceUrl}' is not an absolute http or https URL.");

        if (options.Region is { Length: > 0 } region && !RegionPattern().IsMatch(region))
            failures.Add($"Judge:Problems:S3:Region '{region}' is not a region name like us-east-1.");

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")]
    private static partial Regex BucketPattern();

    [GeneratedRegex("^[a-z]{2}(-[a-z0-9]+)+$")]
    private static partial Regex RegionPattern();
}
