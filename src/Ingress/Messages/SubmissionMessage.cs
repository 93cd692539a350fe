using System.Text;
using System.Text.Json;
using Judge.Interfaces;

namespace Judge.Ingress.Messages;

/// <summary>The body of a submission message on the ingress queue, schema version 1 (see README.md, "SQS ingress"):
/// <c>{"version":1,"id":"...","problem":"...","language":"...","source":"...","sourceEncoding":"text","runAll":false,"callbackUrl":"..."}</c>,
/// <c>id</c>, <c>sourceEncoding</c>, <c>runAll</c> and <c>callbackUrl</c> optional: the fields of the HTTP API.</summary>
public static class SubmissionMessage
{
    /// <summary>The schema version this parser reads.</summary>
    public const int Version = 1;

    /// <summary>Largest accepted source, in UTF-8 bytes (as the HTTP API).</summary>
    public const int MaxSourceBytes = SubmissionJson.MaxSourceBytes;

    private static readonly string[] Fields = ["version", "id", "problem", "language", "source", "sourceEncoding", "runAll", "callbackUrl"];

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
        using var document = SubmissionJson.Parse(body, maxDepth: 8, "the message body", out var parseError);
        if (document is null)
            return Parsed.Fail(parseError!);

        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
            return Parsed.Fail($"the message body must be a JSON object, not {SubmissionJson.Describe(root.ValueKind)}");
        foreach (var property in root.EnumerateObject())
        {
            if (!Fields.Contains(property.Name, StringComparer.Ordinal))
                return Parsed.Fail($"unknown field '{SubmissionJson.Echo(property.Name)}' (schema version {Version} has: {string.Join(", ", Fields)})");
        }

        if (!root.TryGetProperty("version", out var version))
            return Parsed.Fail($"field 'version' is required (this ingress reads version {Version})");
        if (version.ValueKind != JsonValueKind.Number || !version.TryGetInt32(out var v) || v != Version)
            return Parsed.Fail($"field 'version' must be {Version}, not {SubmissionJson.Echo(version.GetRawText())}");

        if (!SubmissionJson.TryString(root, "id", required: false, out var id, out var error)
            || !SubmissionJson.TryString(root, "problem", required: true, out var problem, out error)
            || !SubmissionJson.TryString(root, "language", required: true, out var language, out error))
            return Parsed.Fail(error!);
        var source = SubmissionJson.TrySource(root, out var sourceStatus, out var sourceError);
        if (source is null && sourceStatus == 400)
            return Parsed.Fail(sourceError!);
        if (!SubmissionJson.TryRunAll(root, out var runAll, out error)
            || !SubmissionJson.TryCallbackUrl(root, out var callbackUrl, out error))
            return Parsed.Fail(error!);

        var named = root.TryGetProperty("id", out _);
        id ??= messageId;
        if (!SubmissionJson.IsValidId(id))
            return Parsed.Fail($"{(named ? "field 'id'" : "the message id")} {SubmissionJson.IdRule}, not '{SubmissionJson.Echo(id)}'");
        if (string.IsNullOrWhiteSpace(problem))
            return Parsed.Fail("field 'problem' is empty");
        if (string.IsNullOrWhiteSpace(language))
            return Parsed.Fail("field 'language' is empty");
        if (source is null)
            return Parsed.Fail(sourceError!);
        return new Parsed(id, SubmissionRequest.ForSource(problem!, language!, source, runAll, callbackUrl));
    }

}
