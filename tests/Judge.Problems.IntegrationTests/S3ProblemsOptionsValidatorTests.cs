using Judge.Problems.S3.Options;

namespace Judge.Problems.IntegrationTests;

public sealed class S3ProblemsOptionsValidatorTests
{
    private static IEnumerable<string> Failures(S3ProblemsOptions options) =>
        new S3ProblemsOptionsValidator().Validate(null, options).Failures ?? [];

    [Theory]
    [InlineData(null, "Judge:Problems:S3:Bucket")]
    [InlineData("Bad_Bucket", "Judge:Problems:S3:Bucket 'Bad_Bucket' is not a bucket name")]
    [InlineData("ab", "Judge:Problems:S3:Bucket 'ab' is not a bucket name")]
    public void A_missing_or_malformed_bucket_is_refused_naming_the_key(string? bucket, string message)
    {
        Assert.Contains(Failures(new S3ProblemsOptions { Bucket = bucket }), f => f.Contains(message, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/problems", "Judge:Problems:S3:Prefix '/problems' must not start with '/'")]
    [InlineData("a/../b", "Judge:Problems:S3:Prefix 'a/../b' must be '/'-separated names")]
    [InlineData("a//b", "Judge:Problems:S3:Prefix 'a//b' must be '/'-separated names")]
    public void A_prefix_that_is_not_a_plain_key_prefix_is_refused_naming_the_key(string prefix, string message)
    {
        Assert.Contains(Failures(new S3ProblemsOptions { Bucket = "judge-problems", Prefix = prefix }), f => f.StartsWith(message, StringComparison.Ordinal));
    }

    [Fact]
    public void A_bad_endpoint_or_region_is_refused_naming_the_key()
    {
        var failures = Failures(new S3ProblemsOptions { Bucket = "judge-problems", ServiceUrl = "127.0.0.1:4566", Region = "Mars 1" }).ToList();

        Assert.Contains("Judge:Problems:S3:ServiceUrl '127.0.0.1:4566' is not an absolute http or https URL.", failures);
        Assert.Contains("Judge:Problems:S3:Region 'Mars 1' is not a region name like us-east-1.", failures);
    }

    [Theory]
    [InlineData(null, "")]
    [InlineData("", "")]
    [InlineData("contest", "contest/")]
    [InlineData("2026/contest/", "2026/contest/")]
    public void A_good_configuration_passes_and_the_prefix_ends_with_a_slash(string? prefix, string keyPrefix)
    {
        var options = new S3ProblemsOptions { Bucket = "judge-problems", Prefix = prefix, ServiceUrl = "http://127.0.0.1:4566", Region = "eu-west-1" };

        Assert.Empty(Failures(options));
        Assert.Equal(keyPrefix, options.KeyPrefix);
    }
}
