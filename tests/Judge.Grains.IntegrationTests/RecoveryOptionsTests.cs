using Judge.Grains.Options;

namespace Judge.Grains.IntegrationTests;

/// <summary>The recovery settings (<c>Judge:Recovery</c>) are checked at start, with the key that fixes them named.</summary>
public class RecoveryOptionsTests
{
    private static IEnumerable<string> Failures(RecoveryOptions recovery)
    {
        var options = new JudgingOptions { Problems = { Root = Path.GetTempPath() }, Recovery = recovery };
        var result = new JudgingOptionsValidator().Validate(null, options);
        return result.Failed ? result.Failures : [];
    }

    [Fact]
    public void The_defaults_are_valid() => Assert.Empty(Failures(new RecoveryOptions()));

    [Fact]
    public void A_stall_timeout_shorter_than_three_heartbeats_is_refused_naming_both_keys()
    {
        var failure = Assert.Single(Failures(new RecoveryOptions { Heartbeat = TimeSpan.FromSeconds(5), StallTimeout = TimeSpan.FromSeconds(10) }));
        Assert.Contains("Judge:Recovery:StallTimeout", failure);
        Assert.Contains("Judge:Recovery:Heartbeat", failure);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(120_000)]
    public void A_heartbeat_out_of_range_is_refused(int milliseconds)
    {
        var failure = Assert.Single(Failures(new RecoveryOptions { Heartbeat = TimeSpan.FromMilliseconds(milliseconds), StallTimeout = TimeSpan.FromHours(1) }));
        Assert.Contains("Judge:Recovery:Heartbeat", failure);
    }

    [Fact]
    public void A_negative_drain_timeout_is_refused()
    {
        var failure = Assert.Single(Failures(new RecoveryOptions { DrainTimeout = TimeSpan.FromSeconds(-1) }));
        Assert.Contains("Judge:Recovery:DrainTimeout", failure);
    }
}
