using System.Buffers;
using System.Globalization;
using System.Text;

namespace Judge.Engine.Sandbox;

/// <summary>Turns bytes a program wrote (compiler messages, stderr, validator feedback) into text that is safe everywhere it
/// goes (JSON, PostgreSQL text, SQS, logs): valid UTF-8 is kept, and each byte that is not, NUL and the other control
/// characters but tab, newline and carriage return are written as <c>\xNN</c> (as Python's <c>backslashreplace</c> does).</summary>
public static class EscapedUtf8
{
    /// <summary>The text of <paramref name="bytes"/>; when <paramref name="cut"/> (the bytes are the start of something longer),
    /// a character cut short at the end is left out rather than escaped.</summary>
    public static string Decode(ReadOnlySpan<byte> bytes, bool cut = false)
    {
        var text = new StringBuilder(bytes.Length);
        while (!bytes.IsEmpty)
        {
            var status = Rune.DecodeFromUtf8(bytes, out var rune, out var consumed);
            if (status == OperationStatus.NeedMoreData && cut)
                break;
            if (status != OperationStatus.Done)
            {
                foreach (var b in bytes[..consumed])
                    text.Append(CultureInfo.InvariantCulture, $"\\x{b:x2}");
            }
            else if (rune.Value < 0x20 && rune.Value is not ('\t' or '\n' or '\r') || rune.Value == 0x7f)
                text.Append(CultureInfo.InvariantCulture, $"\\x{rune.Value:x2}");
            else
                text.Append(rune.ToString());
            bytes = bytes[consumed..];
        }
        return text.ToString();
    }
}
