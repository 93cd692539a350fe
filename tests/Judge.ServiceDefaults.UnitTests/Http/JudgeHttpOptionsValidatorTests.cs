using Judge.ServiceDefaults.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Judge.ServiceDefaults.UnitTests.Http;

/// <summary>The HTTP limits are checked at start, and every message names the key that fixes it.</summary>
public class JudgeHttpOptionsValidatorTests
{
    private static IReadOnlyList<string> Errors(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();
        var options = JudgeHttpOptions.Read(configuration, out var parseErrors);
        var result = new JudgeHttpOptionsValidator().Validate(null, options);
        return [.. parseErrors, .. result.Failed ? result.Failures : []];
    }

    [Fact]
    public void The_defaults_are_valid()
    {
        Assert.Empty(Errors());
    }

    [Fact]
    public void Well_formed_limits_pass()
    {
        Assert.Empty(Errors(
            ("Judge:Http:MaxConcurrentRequests", "8"), ("Judge:Http:RequestQueueLimit", "0"), ("Judge:Http:RequestQueueTimeout", "00:00:01"),
            ("Judge:Http:MaxConnections", "100"), ("Judge:Http:MaxRequestBodyBytes", "3000000"), ("Judge:Http:MaxRequestHeadersBytes", "8192"),
            ("Judge:Http:RequestHeadersTimeout", "00:00:05"), ("Judge:Http:MinRequestBodyBytesPerSecond", "0"),
            ("Judge:Http:MinRequestBodyGracePeriod", "00:00:02"), ("Judge:Http:MaxUnfinishedSubmissions", "20"), ("Judge:Http:RetryAfterSeconds", "5")));
    }

    [Theory]
    [InlineData("MaxConcurrentRequests", "0", "Judge:Http:MaxConcurrentRequests must be from 1 to 100000, not 0")]
    [InlineData("RequestQueueLimit", "-1", "Judge:Http:RequestQueueLimit must be from 0 to 1000000, not -1")]
    [InlineData("RequestQueueTimeout", "00:00:00", "Judge:Http:RequestQueueTimeout must be more than 0 and at most 00:05:00, not 00:00:00")]
    [InlineData("MaxConnections", "0", "Judge:Http:MaxConnections must be from 1 to 10000000, not 0")]
    [InlineData("MaxRequestBodyBytes", "1000", "Judge:Http:MaxRequestBodyBytes must be from 2162688 (a submission of the largest source) to 1073741824, not 1000")]
    [InlineData("MaxRequestHeadersBytes", "100", "Judge:Http:MaxRequestHeadersBytes must be from 4096 to 1048576, not 100")]
    [InlineData("RequestHeadersTimeout", "-00:00:01", "Judge:Http:RequestHeadersTimeout must be more than 0 and at most 00:05:00, not -00:00:01")]
    [InlineData("MinRequestBodyBytesPerSecond", "-5", "Judge:Http:MinRequestBodyBytesPerSecond must be from 0 (no minimum) to 1073741824, not -5")]
    [InlineData("MinRequestBodyBytesPerSecond", "NaN", "Judge:Http:MinRequestBodyBytesPerSecond must be from 0 (no minimum) to 1073741824, not NaN")]
    [InlineData("MinRequestBodyGracePeriod", "01:00:00", "Judge:Http:MinRequestBodyGracePeriod must be more than 00:00:01 and at most 00:05:00, not 01:00:00")]
    [InlineData("MinRequestBodyGracePeriod", "00:00:01", "Judge:Http:MinRequestBodyGracePeriod must be more than 00:00:01 and at most 00:05:00, not 00:00:01")]
    [InlineData("RequestQueueTimeout", "00:05:00.5", "Judge:Http:RequestQueueTimeout must be more than 0 and at most 00:05:00, not 00:05:00.5")]
    [InlineData("MaxUnfinishedSubmissions", "0", "Judge:Http:MaxUnfinishedSubmissions must be from 1 to 10000000, not 0")]
    [InlineData("RetryAfterSeconds", "0", "Judge:Http:RetryAfterSeconds must be from 1 to 3600, not 0")]
    public void An_out_of_range_limit_is_refused_naming_its_key(string name, string value, string expected)
    {
        Assert.Equal(expected, Assert.Single(Errors(($"Judge:Http:{name}", value))));
    }

    [Theory]
    [InlineData("MaxConcurrentRequests", "many", "Judge:Http:MaxConcurrentRequests must be a whole number, not 'many'")]
    [InlineData("MaxConnections", "1e3", "Judge:Http:MaxConnections must be a whole number, not '1e3'")]
    [InlineData("MinRequestBodyBytesPerSecond", "fast", "Judge:Http:MinRequestBodyBytesPerSecond must be a number, not 'fast'")]
    [InlineData("RequestQueueTimeout", "5 s", "Judge:Http:RequestQueueTimeout must be a time span such as 00:00:30, not '5 s'")]
    public void A_value_of_the_wrong_type_is_refused_naming_its_key(string name, string value, string expected)
    {
        Assert.Equal(expected, Assert.Single(Errors(($"Judge:Http:{name}", value))));
    }

    [Fact]
    public void Every_invalid_key_is_named_at_once_when_the_host_starts()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Judge:Http:MaxConcurrentRequests"] = "0",
            ["Judge:Http:RetryAfterSeconds"] = "soon",
        }).Build();
        var error = Assert.Throws<OptionsValidationException>(() => JudgeHttpHostingExtensions.ReadOptions(configuration));
        Assert.Contains(error.Failures, f => f.StartsWith("Judge:Http:MaxConcurrentRequests", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("Judge:Http:RetryAfterSeconds", StringComparison.Ordinal));
    }

    [Fact]
    public void The_limits_reach_Kestrel_and_a_zero_rate_turns_the_slow_upload_check_off()
    {
        var limits = new KestrelServerOptions().Limits;
        // Every valid setting is one Kestrel takes (its MinDataRate refuses a grace period of 1 s or less).
        JudgeHttpHostingExtensions.Apply(limits, new JudgeHttpOptions { MinRequestBodyGracePeriod = TimeSpan.FromSeconds(1.001) });
        var options = new JudgeHttpOptions { MaxConnections = 77, MaxRequestBodyBytes = 3_000_000, MaxRequestHeadersBytes = 9000, MinRequestBodyBytesPerSecond = 500 };
        JudgeHttpHostingExtensions.Apply(limits, options);
        Assert.Equal(77, limits.MaxConcurrentConnections);
        Assert.Equal(3_000_000, limits.MaxRequestBodySize);
        Assert.Equal(9000, limits.MaxRequestHeadersTotalSize);
        Assert.Equal(500, limits.MinRequestBodyDataRate!.BytesPerSecond);

        JudgeHttpHostingExtensions.Apply(limits, new JudgeHttpOptions { MinRequestBodyBytesPerSecond = 0 });
        Assert.Null(limits.MinRequestBodyDataRate);
    }
}
