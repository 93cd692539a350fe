using System.Text;
using Judge.Ingress.Messages;
using Judge.Silo.Http;

namespace Judge.Fuzz;

/// <summary>Feeds one input to both submission readers: the HTTP body (<see cref="SubmissionInput"/>) as bytes, and the SQS
/// message body (<see cref="SubmissionMessage"/>) as text, UTF-16 when the first byte is odd (so lone surrogates reach it).</summary>
public static class SubmissionTarget
{
    /// <summary>The longest error an answer may carry: every quote of user input is truncated (SubmissionJson.Echo).</summary>
    public const int MaxErrorLength = 1024;

    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    public static void Run(byte[] data)
    {
        var http = SubmissionInput.Parse(data);
        Check("HTTP", http.Request is null, http.Error);
        if (http.Request is null && http.Status is not (400 or 413))
            throw new FuzzInvariantException($"HTTP: refused with status {http.Status}, not 400 or 413");

        var body = data.Length > 0 && (data[0] & 1) == 1
            ? Encoding.Unicode.GetString(data, 1, (data.Length - 1) & ~1)
            : Encoding.UTF8.GetString(data);
        var sqs = SubmissionMessage.Parse(body, "fuzz-message-1");
        Check("SQS", sqs.Request is null, sqs.Error);
    }

    private static void Check(string reader, bool refused, string? error)
    {
        if (refused != (error is not null))
            throw new FuzzInvariantException($"{reader}: {(refused ? "refused without an error" : "accepted with an error")}");
        if (error is null)
            return;
        if (error.Length > MaxErrorLength)
            throw new FuzzInvariantException($"{reader}: error of {error.Length} characters: {error[..200]}...");
        try
        {
            StrictUtf8.GetByteCount(error);
        }
        catch (EncoderFallbackException)
        {
            throw new FuzzInvariantException($"{reader}: the error is not valid Unicode (a lone surrogate): {error}");
        }
    }
}
