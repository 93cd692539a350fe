using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Judge.Interfaces;

namespace Judge.Ingress.Messages;

/// <summary>The body of a submission message on the ingress queue, schema version 1 (see <c>docs/SQS.md</c>):
/// <c>{"version":1,"id":"...","problem":"...","language":"...","source":"..."}</c>, <c>id</c> optional.</summary>
public static partial class SubmissionMessage
{
    /// <summary>The schema version this parser reads.</summary>
    public const int Version = 1;

    /// <summary>Largest accepted source, in UTF-8 bytes (as the HTTP API).</summary>
    public const int MaxSourceBytes = 256 * 1024;

    private static readonly string[] Fields = ["version", "id", "problem", "language", "source"];

    /// <summary>A parsed message: the submission id (the message's own when the body has none) and the request, or why it is not one.</summary>
    public sealed record Parsed(string? Id, SubmissionRequest? Request, string? Error = null)
    {
        public static Parsed Fail(string error) => new(null, null, error);
    }

    /// <summary>Parses <paramref name="body"/>; <paramref name="messageId"/> (the SQS message id) is the submission id when the body names none.</summary>
    public static Parsed Parse(string body, string messageId)
    {
        if (Encoding.UTF8.GetByteCount(body) > 2 * MaxSourceBytes + 4096)
            return Parsed.Fail($"the message body is larger than {(2 * MaxSourceBytes + 4096) / 1024} KiB");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException e)
        {
            return Parsed.Fail($"the message body is not valid JSON: {e.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return Parsed.Fail($"the message body must be a JSON object, not {Describe(root.ValueKind)}");
            foreach (var property in root.EnumerateObject())
            {
                if (!Fields.Contains(property.Name, StringComparer.Ordinal))
                    return Parsed.Fail($"unknown field '{property.Name}' (schema version {Version} has: {string.Join(", ", Fields)})");
            }

            if (!root.TryGetProperty("version", out var version))
                return Parsed.Fail($"field 'version' is required (this ingress reads version {Version})");
            if (version.ValueKind != JsonValueKind.Number || !version.TryGetInt32(out var v) || v != Version)
                return Parsed.Fail($"field 'version' must be {Version}, not {version.GetRawText()}");

            if (!TryString(root, "id", required: false, out var id, out var error)
                || !TryString(root, "problem", required: true, out var problem, out error)
                || !TryString(root, "language", required: true, out var language, out error)
                || !TryString(root, "source", required: true, out var source, out error))
                return Parsed.Fail(error!);

            id ??= messageId;
            if (!SubmissionId().IsMatch(id))
                return Parsed.Fail($"{(root.TryGetProperty("id", out _) ? "field 'id'" : $"the message id '{id}'")} must be 1 to 128 characters of letters, digits, '.', '_', ':' and '-', starting with a letter or digit");
            if (string.IsNullOrWhiteSpace(problem))
                return Parsed.Fail("field 'problem' is empty");
            if (string.IsNullOrWhiteSpace(language))
                return Parsed.Fail("field 'language' is empty");
            if (string.IsNullOrWhiteSpace(source))
                return Parsed.Fail("field 'source' is empty");
            var sourceBytes = Encoding.UTF8.GetByteCount(source!);
            if (sourceBytes > MaxSourceBytes)
                return Parsed.Fail($"field 'source' is {sourceBytes} bytes; the limit is {MaxSourceBytes} bytes (256 KiB)");
            return new Parsed(id, new SubmissionRequest(problem!, language!, source!));
        }
    }

    private static bool TryString(JsonElement root, string name, bool required, out string? value, out string? error)
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

    private static string Describe(JsonValueKind kind) => kind switch
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
