using Judge.Grains.Options;

namespace Judge.Grains.IntegrationTests;

/// <summary>The compile cache settings (<c>Judge:CompileCache</c>) are checked at start, with the key that fixes them named.</summary>
public class CompileCacheOptionsTests
{
    private static IEnumerable<string> Failures(CompileCacheOptions cache)
    {
        var options = new JudgingOptions { Problems = { Root = Path.GetTempPath() }, CompileCache = cache };
        var result = new JudgingOptionsValidator().Validate(null, options);
        return result.Failed ? result.Failures : [];
    }

    [Fact]
    public void The_defaults_are_valid() => Assert.Empty(Failures(new CompileCacheOptions()));

    [Theory]
    [InlineData(0)]
    [InlineData(15)]
    public void A_cache_too_small_to_hold_an_artifact_is_refused_naming_the_key(long mib) =>
        Assert.Contains("Judge:CompileCache:MaxMiB", Assert.Single(Failures(new CompileCacheOptions { MaxMiB = mib, MaxArtifactMiB = 1 })));

    [Theory]
    [InlineData(0)]
    [InlineData(65)]
    public void An_artifact_cap_out_of_range_is_refused_naming_the_key(int mib) =>
        Assert.Contains("Judge:CompileCache:MaxArtifactMiB", Assert.Single(Failures(new CompileCacheOptions { MaxArtifactMiB = mib })));

    [Fact]
    public void A_peer_fetch_timeout_of_zero_is_refused_naming_the_key() =>
        Assert.Contains("Judge:CompileCache:PeerFetchTimeout", Assert.Single(Failures(new CompileCacheOptions { PeerFetchTimeout = TimeSpan.Zero })));
}
