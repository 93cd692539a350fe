using Judge.ServiceDefaults.Auth;
using Microsoft.Extensions.Configuration;

namespace Judge.ServiceDefaults.UnitTests.Auth;

/// <summary>The access configuration is checked at start, and every message names the key that fixes it.</summary>
public class JudgeAuthOptionsValidatorTests
{
    private const string GoodKey = "0123456789abcdef-good";

    private static IReadOnlyList<string> Errors(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();
        var options = JudgeAuthOptions.Read(configuration, out var parseErrors);
        var result = new JudgeAuthOptionsValidator().Validate(null, options);
        return [.. parseErrors, .. result.Failed ? result.Failures : []];
    }

    [Fact]
    public void A_well_formed_configuration_passes()
    {
        Assert.Empty(Errors(
            ("Judge:Auth:Keys:0:Name", "ops"), ("Judge:Auth:Keys:0:Key", GoodKey), ("Judge:Auth:Keys:0:Scopes", "read, admin"),
            ("Judge:Auth:Keys:1:Name", "ci"), ("Judge:Auth:Keys:1:KeySha256", new string('a', 64)), ("Judge:Auth:Keys:1:Scopes", "submit"),
            ("Judge:Auth:SubmitsPerMinute", "10"), ("Judge:Auth:OpenMetrics", "true")));
    }

    [Fact]
    public void No_keys_at_all_is_an_open_judge_and_valid()
    {
        Assert.Empty(Errors());
    }

    [Fact]
    public void Duplicate_names_are_refused_naming_both_keys()
    {
        var error = Assert.Single(Errors(
            ("Judge:Auth:Keys:0:Name", "ops"), ("Judge:Auth:Keys:0:Key", GoodKey), ("Judge:Auth:Keys:0:Scopes", "read"),
            ("Judge:Auth:Keys:1:Name", "ops"), ("Judge:Auth:Keys:1:Key", GoodKey + "2"), ("Judge:Auth:Keys:1:Scopes", "read")));
        Assert.Equal("Judge:Auth:Keys:1:Name 'ops' is already the name of Judge:Auth:Keys:0: key names must be unique", error);
    }

    [Fact]
    public void The_judges_token_takes_the_name_judge_token()
    {
        var error = Assert.Single(Errors(("Judge:Http:JudgeToken", GoodKey),
            ("Judge:Auth:Keys:0:Name", "judge-token"), ("Judge:Auth:Keys:0:Key", GoodKey + "2"), ("Judge:Auth:Keys:0:Scopes", "read")));
        Assert.Contains("is already the name of Judge:Http:JudgeToken", error);
    }

    [Fact]
    public void Both_Key_and_KeySha256_are_refused()
    {
        var error = Assert.Single(Errors(("Judge:Auth:Keys:0:Name", "ops"), ("Judge:Auth:Keys:0:Key", GoodKey),
            ("Judge:Auth:Keys:0:KeySha256", new string('a', 64)), ("Judge:Auth:Keys:0:Scopes", "read")));
        Assert.Contains("Judge:Auth:Keys:0 has both Key and KeySha256", error);
    }

    [Fact]
    public void Neither_Key_nor_KeySha256_is_refused()
    {
        var error = Assert.Single(Errors(("Judge:Auth:Keys:0:Name", "ops"), ("Judge:Auth:Keys:0:Scopes", "read")));
        Assert.Equal("Judge:Auth:Keys:0 needs Judge:Auth:Keys:0:Key or Judge:Auth:Keys:0:KeySha256", error);
    }

    [Theory]
    [InlineData("read,fly", "Judge:Auth:Keys:0:Scopes has the unknown scope 'fly'")]
    [InlineData("", "Judge:Auth:Keys:0:Scopes is empty")]
    [InlineData("Read", "Judge:Auth:Keys:0:Scopes has the unknown scope 'Read'")]
    public void Unknown_or_missing_scopes_are_refused(string scopes, string expected)
    {
        var error = Assert.Single(Errors(("Judge:Auth:Keys:0:Name", "ops"), ("Judge:Auth:Keys:0:Key", GoodKey), ("Judge:Auth:Keys:0:Scopes", scopes)));
        Assert.StartsWith(expected, error);
    }

    [Fact]
    public void A_short_key_is_refused()
    {
        var error = Assert.Single(Errors(("Judge:Auth:Keys:0:Name", "ops"), ("Judge:Auth:Keys:0:Key", "short"), ("Judge:Auth:Keys:0:Scopes", "read")));
        Assert.Equal("Judge:Auth:Keys:0:Key must be at least 16 characters", error);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("zz00000000000000000000000000000000000000000000000000000000000000")]
    public void A_KeySha256_that_is_not_64_hex_digits_is_refused(string hex)
    {
        var error = Assert.Single(Errors(("Judge:Auth:Keys:0:Name", "ops"), ("Judge:Auth:Keys:0:KeySha256", hex), ("Judge:Auth:Keys:0:Scopes", "read")));
        Assert.StartsWith("Judge:Auth:Keys:0:KeySha256 must be 64 hex digits", error);
    }

    [Fact]
    public void The_same_key_twice_is_refused_even_once_plain_and_once_hashed()
    {
        var hash = Convert.ToHexString(ApiKeys.Hash(GoodKey));
        var error = Assert.Single(Errors(
            ("Judge:Auth:Keys:0:Name", "a"), ("Judge:Auth:Keys:0:Key", GoodKey), ("Judge:Auth:Keys:0:Scopes", "read"),
            ("Judge:Auth:Keys:1:Name", "b"), ("Judge:Auth:Keys:1:KeySha256", hash.ToLowerInvariant()), ("Judge:Auth:Keys:1:Scopes", "admin")));
        Assert.Equal("Judge:Auth:Keys:1 has the same key as Judge:Auth:Keys:0: every key must be different", error);
    }

    [Theory]
    [InlineData("", "Judge:Auth:Keys:0:Name is missing")]
    [InlineData("has space", "Judge:Auth:Keys:0:Name 'has space' must be")]
    public void A_missing_or_odd_name_is_refused(string name, string expected)
    {
        var error = Assert.Single(Errors(("Judge:Auth:Keys:0:Name", name), ("Judge:Auth:Keys:0:Key", GoodKey), ("Judge:Auth:Keys:0:Scopes", "read")));
        Assert.StartsWith(expected, error);
    }

    [Theory]
    [InlineData("Judge:Auth:SubmitsPerMinute", "0", "Judge:Auth:SubmitsPerMinute must be at least 1")]
    [InlineData("Judge:Auth:SubmitsPerMinute", "lots", "Judge:Auth:SubmitsPerMinute must be a whole number")]
    [InlineData("Judge:Auth:AllowAnonymous", "yes", "Judge:Auth:AllowAnonymous must be true or false")]
    [InlineData("Judge:Auth:OpenMetrics", "1", "Judge:Auth:OpenMetrics must be true or false")]
    [InlineData("Judge:Auth:CookieSecret", "too-short", "Judge:Auth:CookieSecret must be at least 32 characters")]
    [InlineData("Judge:Auth:SessionHours", "0", "Judge:Auth:SessionHours must be more than 0")]
    [InlineData("Judge:Http:JudgeToken", "short", "Judge:Http:JudgeToken must be at least 16 characters")]
    public void Bad_settings_are_refused_naming_the_key(string key, string value, string expected)
    {
        var error = Assert.Single(Errors((key, value)));
        Assert.StartsWith(expected, error);
    }
}
