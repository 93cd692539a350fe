using System.Text.Json;
using System.Text.RegularExpressions;

namespace Judge.Interfaces;

/// <summary>The rules every entry point (the HTTP body, an SQS message) applies to a submission's JSON fields, with the
/// same words for the same mistakes.</summary>
public static partial class SubmissionJson
{
    /// <summary>Largest accepted source, in UTF-8 bytes.</summary>
    public const int MaxSourceBytes = 256 * 1024;

    /// <summary>The id rule, as error messages state it.</summary>
    public const string IdRule = "must be 1 to 128 characters of letters, digits, '.', '_', ':' and '-', starting with a letter or digit";

    /// <summary>Longest accepted <c>callbackUrl</c>, in characters.</summary>
    public const int MaxCallbackUrlLength = 2048;

    /// <summary>The callback URL rule, as error messages state it.</summary>
    public const string CallbackUrlRule = "must be an absolute http or https URL of at most 2048 characters, without user name, password or fragment";

    /// <summary>Reads the optional boolean field <c>runAll</c> (absent or null: <c>false</c>).</summary>
    public static bool TryRunAll(JsonElement root, out bool runAll, out string? error)
    {
        runAll = false;
        error = null;
        if (!root.TryGetProperty("runAll", out var property) || property.ValueKind == JsonValueKind.Null)
            return true;
        if (property.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            error = $"field 'runAll' must be a boolean, not {Describe(property.ValueKind)}";
            return false;
        }
        runAll = property.GetBoolean();
        return true;
    }

    /// <summary>Reads the optional field <c>callbackUrl</c> and checks its form (not whether this judge may call it: that is
    /// the silo's webhook policy).</summary>
    public static bool TryCallbackUrl(JsonElement root, out string? url, out string? error)
    {
        if (!TryString(root, "callbackUrl", required: false, out url, out error) || url is null)
            return error is null;
        if (url.Length > MaxCallbackUrlLength)
        {
            error = $"field 'callbackUrl' is {url.Length} characters; it {CallbackUrlRule}";
            return false;
        }
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || string.IsNullOrEmpty(uri.Host)
            || uri.UserInfo.Length > 0
            || uri.Fragment.Length > 0
            || url.Any(char.IsWhiteSpace))
        {
            error = $"field 'callbackUrl' {CallbackUrlRule}, not '{Shorten(url)}'";
            return false;
        }
        return true;
    }

    private static string Shorten(string text) => text.Length <= 100 ? text : text[..100] + "...";

    /// <summary>Whether <paramref name="id"/> has the form of a submission id.</summary>
    public static bool IsValidId(string id) => SubmissionId().IsMatch(id);

    /// <summary>Reads the string field <paramref name="name"/>; a missing or null field is an error only when <paramref name="required"/>.</summary>
    public static bool TryString(JsonElement root, string name, bool required, out string? value, out string? error)
    {
        value = null;
        error = null;
        if (!root.TryGetProperty(name, out var property) || property.ValueKind == JsonValueKind.Null)
        {
            if (required)
                error = $"field '{name}' is required";
            return !required;
        }
        if (property.ValueKind != JsonValueKind.String)
        {
            error = $"field '{name}' must be a string, not {Describe(property.ValueKind)}";
            return false;
        }
        value = property.GetString();
        return true;
    }

    /// <summary>"an object", "a number"...: what a JSON value is, for error messages.</summary>
    public static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "a string",
    };

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._:\-]{0,127}$")]
    private static partial Regex SubmissionId();
}
