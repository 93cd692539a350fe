using Judge.ServiceDefaults.Auth;
using Microsoft.Extensions.Configuration;

namespace Judge.ServiceDefaults.UnitTests.Auth;

/// <summary>Session cookies: any host with the same configuration accepts them; they expire, and they end with their key.</summary>
public class SessionCookiesTests
{
    private sealed class ManualTime(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static JudgeAuthOptions Options(params (string Key, string Value)[] settings) =>
        JudgeAuthOptions.Read(new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build(), out _);

    private static readonly (string, string)[] TwoKeys =
    [
        ("Judge:Auth:Keys:0:Name", "ops"), ("Judge:Auth:Keys:0:Key", "ops-key-0123456789abcdef"), ("Judge:Auth:Keys:0:Scopes", "read,admin"),
        ("Judge:Auth:Keys:1:Name", "ci"), ("Judge:Auth:Keys:1:Key", "ci-key-0123456789abcdef"), ("Judge:Auth:Keys:1:Scopes", "submit"),
    ];

    private static SessionCookies Cookies(JudgeAuthOptions options, TimeProvider time) =>
        new(SessionCookies.SecretFor(options, out _), TimeSpan.FromHours(options.SessionHours), time);

    [Fact]
    public void A_cookie_issued_by_one_silo_is_accepted_by_another_with_the_same_configuration()
    {
        var time = new ManualTime(DateTimeOffset.UnixEpoch.AddYears(56));
        var options = Options(TwoKeys);
        var keys = new ApiKeys(options);
        var (session, cookie) = Cookies(options, time).Issue(keys.FindByName("ci")!);

        var elsewhere = Cookies(Options(TwoKeys), time).Verify(cookie, new ApiKeys(Options(TwoKeys)));
        Assert.NotNull(elsewhere);
        Assert.Equal("ci", elsewhere.Value.Key.Name);
        Assert.Equal(Cookies(options, time).CsrfFor(session), Cookies(Options(TwoKeys), time).CsrfFor(elsewhere.Value.Session));
    }

    [Fact]
    public void With_a_CookieSecret_the_keys_may_all_be_hashed_and_silos_still_agree()
    {
        var settings = new[]
        {
            ("Judge:Auth:Keys:0:Name", "ops"), ("Judge:Auth:Keys:0:KeySha256", new string('b', 64)), ("Judge:Auth:Keys:0:Scopes", "read"),
            ("Judge:Auth:CookieSecret", "a-cluster-wide-secret-of-at-least-32-chars"),
        };
        var time = new ManualTime(DateTimeOffset.UnixEpoch.AddYears(56));
        var (_, cookie) = Cookies(Options(settings), time).Issue(new ApiKeys(Options(settings)).FindByName("ops")!);
        Assert.NotNull(Cookies(Options(settings), time).Verify(cookie, new ApiKeys(Options(settings))));
        SessionCookies.SecretFor(Options(settings), out var random);
        Assert.False(random);
    }

    [Fact]
    public void Only_hashed_keys_and_no_CookieSecret_give_a_random_secret()
    {
        SessionCookies.SecretFor(Options(("Judge:Auth:Keys:0:Name", "ops"), ("Judge:Auth:Keys:0:KeySha256", new string('b', 64)), ("Judge:Auth:Keys:0:Scopes", "read")), out var random);
        Assert.True(random);
    }

    [Fact]
    public void A_cookie_expires()
    {
        var time = new ManualTime(DateTimeOffset.UnixEpoch.AddYears(56));
        var options = Options(TwoKeys);
        var keys = new ApiKeys(options);
        var cookies = Cookies(options, time);
        var (_, cookie) = cookies.Issue(keys.FindByName("ops")!);
        time.Now += TimeSpan.FromHours(11.9);
        Assert.NotNull(cookies.Verify(cookie, keys));
        time.Now += TimeSpan.FromHours(0.2);
        Assert.Null(cookies.Verify(cookie, keys));
    }

    [Fact]
    public void A_cookie_ends_when_its_key_is_removed_or_given_another_value()
    {
        var time = new ManualTime(DateTimeOffset.UnixEpoch.AddYears(56));
        var secret = ("Judge:Auth:CookieSecret", "a-cluster-wide-secret-of-at-least-32-chars");
        var options = Options([.. TwoKeys, secret]);
        var (_, cookie) = Cookies(options, time).Issue(new ApiKeys(options).FindByName("ci")!);

        var removed = Options([.. TwoKeys.Take(3), secret]);
        Assert.Null(Cookies(removed, time).Verify(cookie, new ApiKeys(removed)));

        var rotated = Options([.. TwoKeys.Take(4), ("Judge:Auth:Keys:1:Key", "ci-key-rotated-0123456789"), ("Judge:Auth:Keys:1:Scopes", "submit"), secret]);
        Assert.Null(Cookies(rotated, time).Verify(cookie, new ApiKeys(rotated)));
    }

    [Fact]
    public void A_cookie_signed_with_another_secret_or_altered_is_refused()
    {
        var time = new ManualTime(DateTimeOffset.UnixEpoch.AddYears(56));
        var options = Options(TwoKeys);
        var keys = new ApiKeys(options);
        var (_, cookie) = Cookies(options, time).Issue(keys.FindByName("ci")!);

        var other = new SessionCookies(new byte[32], TimeSpan.FromHours(12), time);
        Assert.Null(other.Verify(cookie, keys));
        Assert.Null(Cookies(options, time).Verify(cookie[..^2] + (cookie[^2] == 'A' ? "B" : "A") + cookie[^1], keys));
        Assert.Null(Cookies(options, time).Verify("garbage", keys));
    }

    [Fact]
    public void A_key_is_found_by_its_value_whether_configured_plain_or_hashed()
    {
        var hash = Convert.ToHexString(ApiKeys.Hash("hashed-key-0123456789"));
        var keys = new ApiKeys(Options([.. TwoKeys, ("Judge:Auth:Keys:2:Name", "h"), ("Judge:Auth:Keys:2:KeySha256", hash), ("Judge:Auth:Keys:2:Scopes", "read")]));
        Assert.Equal("h", keys.Find("hashed-key-0123456789")?.Name);
        Assert.Equal("ops", keys.Find("ops-key-0123456789abcdef")?.Name);
        Assert.Null(keys.Find("ops-key-0123456789abcdeF"));
        Assert.True(keys.Closed);
    }

    [Fact]
    public void The_judges_token_is_a_read_and_judge_key_that_does_not_close_the_judge()
    {
        var keys = new ApiKeys(Options(("Judge:Http:JudgeToken", "judges-token-0123456789")));
        var token = keys.Find("judges-token-0123456789");
        Assert.Equal("judge-token", token?.Name);
        Assert.Equal(["judge", "read"], token!.Scopes.Order());
        Assert.False(keys.Closed);
    }
}
