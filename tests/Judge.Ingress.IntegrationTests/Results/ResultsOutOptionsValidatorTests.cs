using Judge.Results.Options;

namespace Judge.Ingress.IntegrationTests.Results;

public sealed class ResultsOutOptionsValidatorTests
{
    private static IEnumerable<string> Failures(ResultsOutOptions options) =>
        new ResultsOutOptionsValidator().Validate(null, options).Failures ?? [];

    [Fact]
    public void Defaults_are_valid_and_publish_nothing()
    {
        var options = new ResultsOutOptions();
        Assert.Empty(Failures(options));
        Assert.False(options.Enabled);
    }

    [Fact]
    public void Every_invalid_setting_is_named_by_its_key()
    {
        var failures = Failures(new ResultsOutOptions
        {
            QueueUrl = "results",
            ReminderPeriod = TimeSpan.FromMilliseconds(500),
            Webhook = new WebhookOptions { Secret = "short", AllowedHosts = ["*.", "bad host"], MaxAttempts = 0, Timeout = TimeSpan.Zero },
        }).ToList();
        Assert.Contains(failures, f => f.StartsWith("Judge:Results:QueueUrl:", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Judge:Results:ReminderPeriod", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Judge:Results:Webhook:Secret must be at least 16 characters", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Judge:Results:Webhook:AllowedHosts: '*.'", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Judge:Results:Webhook:AllowedHosts: 'bad host'", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Judge:Results:Webhook:MaxAttempts", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Judge:Results:Webhook:Timeout", StringComparison.Ordinal));
    }
}
