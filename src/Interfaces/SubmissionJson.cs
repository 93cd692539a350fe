using System.Globalization;
using System.Text;
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

    /// <summary>What text in a submission must be, as error messages state it.</summary>
    public const string UnicodeRule = "must be valid Unicode text, but it holds a lone surrogate escape (such as \\udcff) or bytes that are not UTF-8";

    /// <summary>The <c>sourceEncoding</c> rule, as error messages state it.</summary>
    public const string SourceEncodingRule = "must be \"text\" (the default: 'source' is the source itself) or \"base64\" ('source' is the base64 of the source's bytes)";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Parses a submission's JSON (<paramref name="what"/> names it in errors: "the request body", "the message body"),
    /// at most <paramref name="maxDepth"/> deep. Refuses what it cannot read unambiguously, naming the field: a key given twice,
    /// and text that is not valid Unicode (a lone surrogate escape, or bytes that are not UTF-8) in any field.</summary>
    /// <returns>The document (the caller disposes it), or <c>null</c> with <paramref name="error"/>.</returns>
    public static JsonDocument? Parse(ReadOnlyMemory<byte> utf8, int maxDepth, string what, out string? error)
    {
        error = null;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8, new JsonDocumentOptions { MaxDepth = maxDepth, AllowDuplicateProperties = false });
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException) // the duplicate check throws the latter on a name that is not Unicode
        {
            error = Diagnose(utf8, maxDepth, what) ?? $"{what} is not valid JSON: {EchoQuotes(e.Message)}";
            return null;
        }
        if (document.RootElement.ValueKind == JsonValueKind.Object && InvalidText(document.RootElement, what) is { } invalid)
        {
            document.Dispose();
            error = invalid;
            return null;
        }
        return document;
    }

    /// <summary>Parses a submission's JSON held in a .NET string (an SQS message body), as <see cref="Parse(ReadOnlyMemory{byte}, int, string, out string?)"/>.</summary>
    public static JsonDocument? Parse(string text, int maxDepth, string what, out string? error)
    {
        byte[] utf8;
        try
        {
            utf8 = StrictUtf8.GetBytes(text);
        }
        catch (EncoderFallbackException)
        {
            error = $"{what} {UnicodeRule}";
            return null;
        }
        return Parse(utf8, maxDepth, what, out error);
    }

    // Called when the strict parse failed: names the field that is not Unicode text or the key given twice, if that was
    // the reason (null: the JSON is malformed).
    private static string? Diagnose(ReadOnlyMemory<byte> utf8, int maxDepth, string what)
    {
        try
        {
            using var document = JsonDocument.Parse(utf8, new JsonDocumentOptions { MaxDepth = maxDepth });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                if (!IsValidText(document.RootElement))
                    return $"{what} {UnicodeRule}";
            }
            else if (InvalidText(document.RootElement, what) is { } invalid)
                return invalid;
            else
            {
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in document.RootElement.EnumerateObject())
                {
                    if (TryName(property, out var name) && !seen.Add(name))
                        return $"field '{Echo(name)}' appears more than once in {what}; JSON with a duplicate key is ambiguous, send each field once";
                }
            }
            return $"{what} has an object with a duplicate key; JSON with a duplicate key is ambiguous, send each key once";
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? InvalidText(JsonElement root, string what)
    {
        foreach (var property in root.EnumerateObject())
        {
            if (!TryName(property, out var name))
                return $"a field name in {what} {UnicodeRule}";
            if (!IsValidText(property.Value))
                return name == "source"
                    ? $"field 'source' {UnicodeRule}; send a source that is not UTF-8 text with \"sourceEncoding\": \"base64\""
                    : $"field '{Echo(name)}' {UnicodeRule}";
        }
        return null;
    }

    private static bool IsValidText(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                try
                {
                    element.GetString();
                    return true;
                }
                catch (InvalidOperationException)
                {
                    return false;
                }
            case JsonValueKind.Object:
                return element.EnumerateObject().All(p => TryName(p, out _) && IsValidText(p.Value));
            case JsonValueKind.Array:
                return element.EnumerateArray().All(IsValidText);
            default:
                return true;
        }
    }

    private static bool TryName(JsonProperty property, out string name)
    {
        try
        {
            name = property.Name;
            return true;
        }
        catch (InvalidOperationException)
        {
            name = "";
            return false;
        }
    }

    /// <summary>Reads the required field <c>source</c> as its <c>sourceEncoding</c> says (see <see cref="SourceEncodingRule"/>).</summary>
    /// <returns>The source's bytes, or <c>null</c> with <paramref name="error"/> and the HTTP status that fits it
    /// (413 for a source over <see cref="MaxSourceBytes"/>, else 400).</returns>
    public static byte[]? TrySource(JsonElement root, out int status, out string? error)
    {
        status = 400;
        if (!TryString(root, "sourceEncoding", required: false, out var encoding, out error)
            || !TryString(root, "source", required: true, out var source, out error))
            return null;

        byte[] bytes;
        switch (encoding)
        {
            case null or "text" or "utf-8":
                if (string.IsNullOrWhiteSpace(source))
                {
                    error = "field 'source' is empty";
                    return null;
                }
                bytes = Encoding.UTF8.GetBytes(source!);
                break;
            case "base64":
                var buffer = new byte[source!.Length / 4 * 3 + 3];
                if (!Convert.TryFromBase64String(source, buffer, out var written))
                {
                    error = $"field 'source' is not valid base64 (\"sourceEncoding\": \"base64\" says it is)";
                    return null;
                }
                bytes = buffer[..written];
                if (string.IsNullOrWhiteSpace(Encoding.UTF8.GetString(bytes)))
                {
                    error = "field 'source' is empty (its base64 decodes to nothing but white space)";
                    return null;
                }
                break;
            default:
                error = $"field 'sourceEncoding' {SourceEncodingRule}, not '{Echo(encoding)}'";
                return null;
        }
        if (bytes.Length > MaxSourceBytes)
        {
            status = 413;
            error = $"field 'source' is {bytes.Length} bytes; the limit is {MaxSourceBytes} bytes (256 KiB)";
            return null;
        }
        return bytes;
    }

    /// <summary>Whether <paramref name="bytes"/> are valid UTF-8, and if so their text.</summary>
    public static bool TryUtf8(byte[] bytes, out string text)
    {
        try
        {
            text = StrictUtf8.GetString(bytes);
            return true;
        }
        catch (DecoderFallbackException)
        {
            text = "";
            return false;
        }
    }

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

    private static string Shorten(string text) => Echo(text);

    /// <summary>The longest piece of user input an error message quotes, in characters.</summary>
    public const int MaxEchoLength = 100;

    /// <summary>User input as an error message may quote it: its first <see cref="MaxEchoLength"/> characters (then how
    /// long it was), with control characters and lone surrogates written as <c>\uXXXX</c>, so that the message is safe in
    /// any JSON, log line or SQS attribute.</summary>
    public static string Echo(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return "";
        var echo = new StringBuilder();
        var i = 0;
        for (var shown = 0; i < text.Length && shown < MaxEchoLength; i++, shown++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                echo.Append(c).Append(text[++i]);
            else if (char.IsControl(c) || char.IsSurrogate(c) || c is '\uFFFE' or '\uFFFF')
                echo.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            else
                echo.Append(c);
        }
        if (i < text.Length)
            echo.Append(CultureInfo.InvariantCulture, $"... ({text.Length} characters)");
        return echo.ToString();
    }

    // The JSON parser's messages quote the offending token whole ("'ffff...' is an invalid JSON literal"), however long:
    // each quote is cut and escaped as Echo does with user input, and the message as a whole is bounded (found by fuzzing).
    private static string EchoQuotes(string message)
    {
        var echoed = QuotedText().Replace(message, m => $"'{Echo(m.Groups[1].Value)}'");
        return echoed.Length <= 4 * MaxEchoLength ? echoed : Echo(echoed[..(4 * MaxEchoLength)]) + "...";
    }

    [GeneratedRegex("'([^']*)'")]
    private static partial Regex QuotedText();

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
