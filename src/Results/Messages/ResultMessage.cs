using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Judge.Interfaces;

namespace Judge.Results.Messages;

/// <summary>The final result of a submission as published to the results queue and webhooks, schema version 1 (README,
/// "Results out"): the fields of <c>GET /api/submissions/{id}</c> for a finished submission, in a fixed order, with
/// <c>"version": 1</c> and <c>"truncated"</c>, then <c>"judging"</c> (1 for the first judging, n after rejudges; added
/// later, last). Built once per judging of a submission; every copy sent is these exact bytes.</summary>
public static class ResultMessage
{
    /// <summary>The schema version this writes.</summary>
    public const int Version = 1;

    /// <summary>Largest body, in UTF-8 bytes: SQS's classic message limit (256 KiB) less room for attributes.</summary>
    public const int MaxBytes = 250 * 1024;

    /// <summary>What a result that would be larger than <see cref="MaxBytes"/> keeps of the compiler output and of each test's message.</summary>
    public const int TruncatedCompileOutputChars = 4096, TruncatedMessageChars = 256;

    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes <paramref name="submission"/> (finished) as a schema version 1 body.</summary>
    /// <exception cref="ArgumentException">The submission is not finished.</exception>
    public static string Build(Submission submission)
    {
        if (submission.Status != SubmissionStatus.Finished || submission.Verdict is null)
            throw new ArgumentException($"submission '{submission.Id}' is not finished; only final results are published", nameof(submission));
        var body = Write(submission, truncate: false);
        return Encoding.UTF8.GetByteCount(body) <= MaxBytes ? body : Write(submission, truncate: true);
    }

    private static string Write(Submission s, bool truncate)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            json.WriteNumber("version", Version);
            json.WriteString("id", s.Id);
            json.WriteString("problem", s.Problem);
            json.WriteString("language", s.Language);
            json.WriteString("status", "finished");
            json.WriteString("verdict", s.Verdict!.Value.ToString());
            Number(json, "score", s.Score);
            Number(json, "maxScore", s.MaxScore);
            Number(json, "timeMs", s.TimeMs);
            Number(json, "memoryKb", s.MemoryKb);
            Number(json, "testCount", s.TestCount);
            json.WriteStartArray("tests");
            foreach (var t in s.Tests)
            {
                json.WriteStartObject();
                json.WriteString("name", t.Name);
                json.WriteString("verdict", t.Verdict.ToString());
                json.WriteNumber("timeMs", t.TimeMs);
                json.WriteNumber("wallMs", t.WallMs);
                json.WriteNumber("memoryKb", t.MemoryKb);
                Number(json, "exitCode", t.ExitCode);
                String(json, "signal", t.Signal);
                String(json, "message", Cut(t.Message, truncate ? TruncatedMessageChars : null));
                Number(json, "score", t.Score);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            String(json, "compileOutput", Cut(s.CompileOutput, truncate ? TruncatedCompileOutputChars : null));
            String(json, "message", Cut(s.Message, truncate ? TruncatedMessageChars * 4 : null));
            json.WriteString("createdAt", Time(s.CreatedAt));
            String(json, "finishedAt", s.FinishedAt is { } finished ? Time(finished) : null);
            String(json, "judgedBy", s.JudgedBy);
            json.WriteBoolean("truncated", truncate);
            json.WriteNumber("judging", Math.Max(s.Judging, 1)); // added with rejudging: which judging this result is
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string Time(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static string? Cut(string? text, int? chars)
    {
        if (text is null || chars is not { } n || text.Length <= n)
            return text;
        if (char.IsHighSurrogate(text[n - 1]))
            n--; // never split a character in two
        return text[..n] + "…";
    }

    private static void String(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
            json.WriteNull(name);
        else
            json.WriteString(name, value);
    }

    private static void Number(Utf8JsonWriter json, string name, long? value)
    {
        if (value is { } v)
            json.WriteNumber(name, v);
        else
            json.WriteNull(name);
    }

    private static void Number(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } v && double.IsFinite(v))
            json.WriteNumber(name, v);
        else
            json.WriteNull(name);
    }
}
