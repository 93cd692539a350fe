using Judge.ServiceDefaults.Configuration;
using Microsoft.Extensions.Configuration;

namespace Judge.ServiceDefaults.Auth;

/// <summary>The access rules of a Judge host, read from <c>Judge:Auth:*</c> (and the legacy <c>Judge:Http:JudgeToken</c>).</summary>
public sealed class JudgeAuthOptions
{
    /// <summary>The configuration section of the access rules.</summary>
    public const string Section = "Judge:Auth";

    /// <summary>The configuration section of the API keys (<c>Judge:Auth:Keys:&lt;n&gt;:Name|Key|KeySha256|Scopes</c>).</summary>
    public const string KeysSection = "Judge:Auth:Keys";

    /// <summary>The legacy judges' token: it becomes the key <see cref="JudgeTokenKeyName"/>.</summary>
    public const string JudgeTokenKey = "Judge:Http:JudgeToken";

    /// <summary>The name of the key the legacy judges' token becomes.</summary>
    public const string JudgeTokenKeyName = "judge-token";

    /// <summary>The shortest API key (and judges' token) accepted.</summary>
    public const int MinKeyLength = 16;

    /// <summary>The shortest cookie secret accepted.</summary>
    public const int MinCookieSecretLength = 32;

    /// <summary>The configured API keys, in configuration order.</summary>
    public List<ApiKeyOptions> Keys { get; set; } = [];

    /// <summary>The legacy judges' token (<c>Judge:Http:JudgeToken</c>), if set.</summary>
    public string? JudgeToken { get; set; }

    /// <summary>Whether the host may run without keys on a non-loopback address (<c>Judge:Auth:AllowAnonymous</c>).</summary>
    public bool AllowAnonymous { get; set; }

    /// <summary>Whether <c>/metrics</c> is served to anyone (<c>Judge:Auth:OpenMetrics</c>).</summary>
    public bool OpenMetrics { get; set; }

    /// <summary>Submits (and rejudges) per minute per key, or per client address when anonymous (<c>Judge:Auth:SubmitsPerMinute</c>).</summary>
    public int SubmitsPerMinute { get; set; } = 120;

    /// <summary>The secret that signs session cookies and CSRF tokens (<c>Judge:Auth:CookieSecret</c>); see the README for the
    /// fallback when it is unset.</summary>
    public string? CookieSecret { get; set; }

    /// <summary>How long a browser session lasts (<c>Judge:Auth:SessionHours</c>).</summary>
    public double SessionHours { get; set; } = 12;

    /// <summary>Whether API keys are configured (<c>Judge:Auth:Keys</c>): then every request but the open ones needs a key.
    /// The legacy judges' token alone does not close the judge.</summary>
    public bool KeysConfigured => Keys.Count > 0;

    /// <summary>Reads the options; values of the wrong type are returned in <paramref name="parseErrors"/>, naming the key.</summary>
    public static JudgeAuthOptions Read(IConfiguration configuration, out IReadOnlyList<string> parseErrors)
    {
        var errors = new List<string>();
        var options = new JudgeAuthOptions
        {
            JudgeToken = configuration[JudgeTokenKey] is { Length: > 0 } token ? token : null,
            CookieSecret = configuration[$"{Section}:CookieSecret"] is { Length: > 0 } secret ? secret : null,
        };
        options.AllowAnonymous = Flag(configuration, $"{Section}:AllowAnonymous", errors);
        options.OpenMetrics = Flag(configuration, $"{Section}:OpenMetrics", errors);
        options.SubmitsPerMinute = ConfigurationValues.Int(configuration, $"{Section}:SubmitsPerMinute", options.SubmitsPerMinute, errors);
        if (configuration[$"{Section}:SessionHours"] is { Length: > 0 } hours)
        {
            if (double.TryParse(hours, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value))
                options.SessionHours = value;
            else
                errors.Add($"{Section}:SessionHours must be a number of hours, not '{hours}'");
        }
        foreach (var key in configuration.GetSection(KeysSection).GetChildren())
        {
            options.Keys.Add(new ApiKeyOptions
            {
                Path = key.Path,
                Name = key["Name"],
                Key = key["Key"],
                KeySha256 = key["KeySha256"],
                Scopes = key["Scopes"],
            });
        }
        parseErrors = errors;
        return options;
    }

    private static bool Flag(IConfiguration configuration, string key, List<string> errors)
    {
        var text = configuration[key];
        if (string.IsNullOrWhiteSpace(text))
            return false;
        if (bool.TryParse(text, out var value))
            return value;
        errors.Add($"{key} must be true or false, not '{text}'");
        return false;
    }
}

/// <summary>One configured API key (<c>Judge:Auth:Keys:&lt;n&gt;</c>).</summary>
public sealed class ApiKeyOptions
{
    /// <summary>Where the key is configured, for messages (<c>Judge:Auth:Keys:0</c>).</summary>
    public string Path { get; set; } = JudgeAuthOptions.KeysSection;

    /// <summary>The key's name: recorded in the submissions it makes and in logs (<c>:Name</c>).</summary>
    public string? Name { get; set; }

    /// <summary>The key itself (<c>:Key</c>).</summary>
    public string? Key { get; set; }

    /// <summary>The hex SHA-256 of the UTF-8 key, instead of the key (<c>:KeySha256</c>).</summary>
    public string? KeySha256 { get; set; }

    /// <summary>Comma-separated scopes from <see cref="JudgeScopes.All"/> (<c>:Scopes</c>).</summary>
    public string? Scopes { get; set; }
}
