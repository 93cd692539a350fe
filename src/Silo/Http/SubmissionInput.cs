using System.Text.Json;
using Judge.Interfaces;

namespace Judge.Silo.Http;

/// <summary>Parses and validates the body of <c>POST /api/submissions</c>, with a specific message for every mistake.</summary>
public static class SubmissionInput
{
    /// <summary>Largest accepted source, in UTF-8 bytes.</summary>
    public const int MaxSourceBytes = SubmissionJson.MaxSourceBytes;

    /// <summary>Largest accepted request body (a source full of escapes still fits).</summary>
    public const int MaxBodyBytes = 2 * 1024 * 1024;

    /// <summary>A parsed request, or the status and message to answer instead.</summary>
    public sealed record Parsed(string? Id, SubmissionRequest? Request, int Status = 200, string? Error = null)
    {
        public static Parsed Fail(int status, string error) => new(null, null, status, error);
    }

    public static Parsed Parse(ReadOnlySpan<byte> body)
    {
        using var document = SubmissionJson.Parse(body.ToArray(), maxDepth: 16, "the request body", out var parseError);
        if (document is null)
            return Parsed.Fail(400, parseError!);

        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
            return Parsed.Fail(400, $"the request body must be a JSON object, not {SubmissionJson.Describe(root.ValueKind)}");

        if (!SubmissionJson.TryString(root, "id", required: false, out var id, out var error)
            || !SubmissionJson.TryString(root, "problem", required: true, out var problem, out error)
            || !SubmissionJson.TryString(root, "language", required: true, out var language, out error))
            return Parsed.Fail(400, error!);
        var source = SubmissionJson.TrySource(root, out var sourceStatus, out var sourceError);
        if (source is null && sourceStatus == 400)
            return Parsed.Fail(400, sourceError!);
        if (!SubmissionJson.TryCallbackUrl(root, out var callbackUrl, out error))
            return Parsed.Fail(400, error!);

        if (id is not null && !SubmissionJson.IsValidId(id))
            return Parsed.Fail(400, $"field 'id' {SubmissionJson.IdRule}, not '{SubmissionJson.Echo(id)}'");
        if (string.IsNullOrWhiteSpace(problem))
            return Parsed.Fail(400, "field 'problem' is empty");
        if (string.IsNullOrWhiteSpace(language))
            return Parsed.Fail(400, "field 'language' is empty");
        if (source is null)
            return Parsed.Fail(sourceStatus, sourceError!);

        if (!SubmissionJson.TryRunAll(root, out var runAll, out var runAllError))
            return Parsed.Fail(400, runAllError!);

        return new Parsed(id, SubmissionRequest.ForSource(problem!, language!, source, runAll, callbackUrl));
    }

    /// <summary>Whether <paramref name="id"/> has the form of a submission id.</summary>
    public static bool IsValidId(string id) => SubmissionJson.IsValidId(id);
}
