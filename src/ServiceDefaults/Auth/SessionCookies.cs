using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;

namespace Judge.ServiceDefaults.Auth;

/// <summary>The browser's session after <c>POST /api/auth/login</c>: a cookie carrying the key's name, a binding to the key's
/// value, an expiry and a session id, signed with HMAC-SHA256; and the CSRF token bound to that session. Any host with the same
/// secret accepts the cookies of the others.</summary>
public sealed class SessionCookies
{
    /// <summary>The cookie's name.</summary>
    public const string CookieName = "judge_session";

    /// <summary>The header pages send the CSRF token in.</summary>
    public const string CsrfHeader = "X-Judge-CSRF";

    private readonly byte[] secret;
    private readonly TimeProvider time;

    /// <summary>A session as the cookie states it: the key's name, the session id and when it ends.</summary>
    public sealed record Session(string KeyName, string Id, DateTimeOffset Expires);

    /// <summary>Signs with <paramref name="secret"/> (at least 32 bytes).</summary>
    public SessionCookies(byte[] secret, TimeSpan lifetime, TimeProvider time)
    {
        this.secret = secret;
        this.time = time;
        Lifetime = lifetime;
    }

    /// <summary>How long a session lasts.</summary>
    public TimeSpan Lifetime { get; }

    /// <summary>The secret for <paramref name="options"/>: <c>Judge:Auth:CookieSecret</c> when set; otherwise derived from
    /// the plain keys (<c>:Key</c>) and the judges' token, so that silos with the same configuration agree; otherwise (only
    /// hashed keys, or no key at all) random for this process, which <paramref name="random"/> reports.</summary>
    public static byte[] SecretFor(JudgeAuthOptions options, out bool random)
    {
        random = false;
        if (options.CookieSecret is { } configured)
            return SHA256.HashData(Encoding.UTF8.GetBytes("judge-cookie-secret\0" + configured));
        var plain = options.Keys.Where(k => k.Key is { Length: > 0 }).Select(k => $"{k.Name}\0{k.Key}").ToList();
        if (options.JudgeToken is { } token)
            plain.Add($"{JudgeAuthOptions.JudgeTokenKeyName}\0{token}");
        if (plain.Count > 0)
        {
            plain.Sort(StringComparer.Ordinal);
            return SHA256.HashData(Encoding.UTF8.GetBytes("judge-cookie-secret-from-keys\0" + string.Join("\n", plain)));
        }
        random = true;
        return RandomNumberGenerator.GetBytes(32);
    }

    /// <summary>A new session for <paramref name="key"/> and its cookie value.</summary>
    public (Session Session, string Cookie) Issue(ApiKeys.ApiKey key)
    {
        var session = new Session(key.Name, WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(16)), time.GetUtcNow() + Lifetime);
        var payload = JsonSerializer.SerializeToUtf8Bytes(new Payload(session.KeyName, KeyBinding(key), session.Id, session.Expires.ToUnixTimeSeconds()));
        var body = WebEncoders.Base64UrlEncode(payload);
        return (session, body + "." + Sign("cookie\0" + body));
    }

    /// <summary>The session of a cookie value, if its signature is good, it has not expired, and its key is still configured
    /// with the same value; else <c>null</c>.</summary>
    public (Session Session, ApiKeys.ApiKey Key)? Verify(string cookie, ApiKeys keys)
    {
        if (cookie.Length > 2048 || cookie.Split('.') is not [var body, var signature])
            return null;
        if (!FixedTimeEquals(Sign("cookie\0" + body), signature))
            return null;
        Payload? payload;
        try
        {
            payload = JsonSerializer.Deserialize<Payload>(WebEncoders.Base64UrlDecode(body));
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            return null;
        }
        if (payload is not { N: { } name, K: { } binding, S: { } id })
            return null;
        var expires = DateTimeOffset.FromUnixTimeSeconds(payload.E);
        if (expires <= time.GetUtcNow())
            return null;
        if (keys.FindByName(name) is not { } key || !FixedTimeEquals(KeyBinding(key), binding))
            return null;
        return (new Session(name, id, expires), key);
    }

    /// <summary>The CSRF token of a session.</summary>
    public string CsrfFor(Session session) => Sign("csrf\0" + session.Id);

    /// <summary>The CSRF token of anonymous callers of an open judge (the same on every host with the same secret).</summary>
    public string OpenCsrf => Sign("csrf\0open");

    /// <summary>Whether two tokens are equal, in constant time.</summary>
    public static bool FixedTimeEquals(string expected, string? given) =>
        given is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(given));

    // Binds the cookie to the key's value: a key configured again under the same name with another value ends its sessions.
    private string KeyBinding(ApiKeys.ApiKey key) => Sign("key\0" + Convert.ToHexString(key.Hash))[..22];

    private string Sign(string text) => WebEncoders.Base64UrlEncode(HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes(text)));

    private sealed record Payload(string? N, string? K, string? S, long E);
}
