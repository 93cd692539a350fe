using System.Globalization;
using System.Text;

namespace Judge.Engine.Checkers;

/// <summary>The Kattis default output validator: token comparison with case, whitespace and float options.</summary>
/// <remarks>
/// Whitespace is the ASCII set of C's <c>isspace</c> (space, \t, \n, \v, \f, \r); case folding is ASCII-only.
/// Files are read byte for byte (Latin-1), so any bytes compare exactly. Messages name positions in the
/// submitter's output (token index and line, both 1-based) and never the expected answer.
/// </remarks>
public sealed class DefaultValidator(ValidatorFlags flags) : IChecker
{
    /// <summary>The longest output token read in full when a number is expected; longer tokens are wrong.</summary>
    public const int MaxNumberLength = 1 << 20;

    public ValidatorFlags Flags { get; } = flags ?? throw new ArgumentNullException(nameof(flags));

    public Task<CheckOutcome> CheckAsync(CheckRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!IsSmall(request.AnswerPath) || !IsSmall(request.OutputPath))
        {
            return Task.Run(() => CheckFiles(request, cancellationToken), cancellationToken);
        }

        // Files of one block each (most tests) are compared on the caller's thread: a hop to the thread pool and back
        // costs more than the comparison.
        try
        {
            return Task.FromResult(CheckFiles(request, cancellationToken));
        }
        catch (Exception e)
        {
            return Task.FromException<CheckOutcome>(e);
        }
    }

    private static bool IsSmall(string path) => new FileInfo(path) is { Exists: true, Length: < Scanner.BufferSize };

    /// <summary>Compares a program's output with the expected answer.</summary>
    public CheckOutcome Compare(TextReader answer, TextReader output) => Compare(answer, output, CancellationToken.None);

    private CheckOutcome CheckFiles(CheckRequest request, CancellationToken cancellationToken)
    {
        StreamReader answer;
        try
        {
            answer = OpenText(request.AnswerPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new CheckOutcome(CheckStatus.JudgeError, $"the answer file could not be read: {e.Message}");
        }

        using (answer)
        {
            StreamReader output;
            try
            {
                output = OpenText(request.OutputPath);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return new CheckOutcome(CheckStatus.JudgeError, $"the output file could not be read: {e.Message}");
            }

            using (output)
            {
                try
                {
                    return Compare(answer, output, cancellationToken);
                }
                catch (IOException e)
                {
                    return new CheckOutcome(CheckStatus.JudgeError, $"reading the answer or output failed: {e.Message}");
                }
            }
        }
    }

    private static StreamReader OpenText(string path)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        // Buffers no larger than the file: a small output is read without allocating the 64 KiB blocks (on the large object
        // heap, per test) that only large files need.
        return new StreamReader(stream, Encoding.Latin1, detectEncodingFromByteOrderMarks: false, bufferSize: Scanner.SizeFor(stream.Length));
    }

    private CheckOutcome Compare(TextReader answer, TextReader output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(answer);
        ArgumentNullException.ThrowIfNull(output);

        var judge = new Scanner(answer, cancellationToken);
        var team = new Scanner(output, cancellationToken);
        var expected = new TokenBuffer();
        var actual = new TokenBuffer();
        var matched = 0;

        while (true)
        {
            if (Flags.SpaceChangeSensitive)
            {
                if (CompareWhitespace(judge, team, matched) is { } mismatch)
                {
                    return mismatch;
                }
            }
            else
            {
                judge.SkipWhitespace();
                team.SkipWhitespace();
            }

            if (!judge.ReadToken(expected, int.MaxValue))
            {
                break;
            }

            var expectedIsNumber = Flags.ComparesNumbers && IsNumber(expected.Span);
            var limit = expectedIsNumber ? Math.Max(expected.Length + 1, MaxNumberLength) : expected.Length + 1;
            var line = team.Line;
            if (!team.ReadToken(actual, limit))
            {
                return OutputEnded(matched);
            }

            // The same text is the same token and the same number, under every flag: most tokens of an accepted output
            // are neither parsed nor folded. The position is named only in a failure's message: no string per token.
            if (!actual.Truncated && actual.Span.SequenceEqual(expected.Span))
            {
                matched++;
                continue;
            }

            if (expectedIsNumber && TryParseNumber(expected.Span, out var a))
            {
                if (actual.Truncated || !TryParseNumber(actual.Span, out var b))
                {
                    return CheckOutcome.Wrong($"{Position(matched, line)} is not a number; a number was expected");
                }

                if (!WithinTolerance(a, b))
                {
                    return CheckOutcome.Wrong($"{Position(matched, line)} differs from the expected answer by more than the tolerance");
                }
            }
            else if (actual.Truncated || !TextEquals(expected.Span, actual.Span, Flags.CaseSensitive))
            {
                return CheckOutcome.Wrong($"{Position(matched, line)} differs from the expected answer");
            }

            matched++;
        }

        if (!Flags.SpaceChangeSensitive)
        {
            team.SkipWhitespace();
        }

        if (team.Peek() >= 0)
        {
            return CheckOutcome.Wrong($"extra output after the expected answer (token {matched + 1}, line {team.Line})");
        }

        return CheckOutcome.Accepted;
    }

    /// <summary>Consumes the answer's whitespace run and checks the output has exactly the same one.</summary>
    private static CheckOutcome? CompareWhitespace(Scanner judge, Scanner team, int matched)
    {
        while (IsSpace(judge.Peek()))
        {
            var line = team.Line;
            var c = judge.Read();
            var d = team.Read();
            if (d < 0)
            {
                judge.SkipWhitespace();
                return judge.Peek() >= 0 ? OutputEnded(matched) : WhitespaceDiffers(line);
            }

            if (c != d)
            {
                return WhitespaceDiffers(line);
            }
        }

        return IsSpace(team.Peek()) ? WhitespaceDiffers(team.Line) : null;
    }

    private static string Position(int matched, int line) => $"token {matched + 1} (line {line})";

    private static CheckOutcome WhitespaceDiffers(int line) => CheckOutcome.Wrong($"whitespace differs on line {line}");

    private static CheckOutcome OutputEnded(int tokens) =>
        CheckOutcome.Wrong($"output ended after {tokens} {(tokens == 1 ? "token" : "tokens")}; more were expected");

    private bool WithinTolerance(double expected, double actual)
    {
        if (double.IsNaN(expected) || double.IsNaN(actual))
        {
            return double.IsNaN(expected) && double.IsNaN(actual);
        }

        if (double.IsInfinity(expected) || double.IsInfinity(actual))
        {
            return expected == actual;
        }

        var difference = Math.Abs(expected - actual);
        return difference <= (Flags.AbsoluteTolerance ?? 0)
            || difference <= (Flags.RelativeTolerance ?? 0) * Math.Abs(expected);
    }

    private static bool TextEquals(ReadOnlySpan<char> expected, ReadOnlySpan<char> actual, bool caseSensitive)
    {
        if (expected.Length != actual.Length)
        {
            return false;
        }

        if (caseSensitive)
        {
            return expected.SequenceEqual(actual);
        }

        for (var i = 0; i < expected.Length; i++)
        {
            if (ToLowerAscii(expected[i]) != ToLowerAscii(actual[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static char ToLowerAscii(char c) => c is >= 'A' and <= 'Z' ? (char)(c + ('a' - 'A')) : c;

    private static bool IsSpace(int c) => c is ' ' or '\t' or '\n' or '\v' or '\f' or '\r';

    /// <summary>Parses a decimal number (<c>[+-]digits[.digits][e[+-]digits]</c>) or <c>inf</c>, <c>infinity</c>, <c>nan</c>, any case.</summary>
    internal static bool TryParseNumber(ReadOnlySpan<char> token, out double value)
    {
        value = 0;
        if (!IsNumber(token))
        {
            return false;
        }

        var body = token.Length > 0 && token[0] is '+' or '-' ? token[1..] : token;
        if (char.IsAsciiLetter(body[0]))
        {
            value = body[0] is 'n' or 'N' ? double.NaN : token[0] == '-' ? double.NegativeInfinity : double.PositiveInfinity;
            return true;
        }

        return double.TryParse(token, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>Whether <paramref name="token"/> has the form of a number (<see cref="TryParseNumber"/>) without parsing it.</summary>
    internal static bool IsNumber(ReadOnlySpan<char> token)
    {
        var body = token.Length > 0 && token[0] is '+' or '-' ? token[1..] : token;
        if (body.Equals("inf", StringComparison.OrdinalIgnoreCase) || body.Equals("infinity", StringComparison.OrdinalIgnoreCase)
            || body.Equals("nan", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var i = 0;
        var digits = 0;
        while (i < body.Length && char.IsAsciiDigit(body[i]))
        {
            i++;
            digits++;
        }

        if (i < body.Length && body[i] == '.')
        {
            i++;
            while (i < body.Length && char.IsAsciiDigit(body[i]))
            {
                i++;
                digits++;
            }
        }

        if (digits == 0)
        {
            return false;
        }

        if (i < body.Length && body[i] is 'e' or 'E')
        {
            i++;
            if (i < body.Length && body[i] is '+' or '-')
            {
                i++;
            }

            var exponentDigits = 0;
            while (i < body.Length && char.IsAsciiDigit(body[i]))
            {
                i++;
                exponentDigits++;
            }

            if (exponentDigits == 0)
            {
                return false;
            }
        }

        return i == body.Length;
    }

    /// <summary>A reusable token: up to a limit of characters kept, and whether more were dropped.</summary>
    private sealed class TokenBuffer
    {
        private char[] chars = new char[256];

        public int Length { get; private set; }

        public bool Truncated { get; private set; }

        public ReadOnlySpan<char> Span => chars.AsSpan(0, Length);

        public void Clear()
        {
            Length = 0;
            Truncated = false;
        }

        public void Append(ReadOnlySpan<char> text, int limit)
        {
            var room = limit - Length;
            if (text.Length > room)
            {
                Truncated = true;
                text = text[..Math.Max(room, 0)];
            }

            if (Length + text.Length > chars.Length)
            {
                Array.Resize(ref chars, (int)Math.Min(Array.MaxLength, Math.Max((long)chars.Length * 2, Length + text.Length)));
            }

            text.CopyTo(chars.AsSpan(Length));
            Length += text.Length;
        }
    }

    /// <summary>Reads a text in blocks, tracking the current line, without holding more than one block.</summary>
    private sealed class Scanner(TextReader reader, CancellationToken cancellationToken)
    {
        public const int BufferSize = 64 * 1024;

        private readonly char[] buffer = new char[reader is StreamReader { BaseStream: FileStream { CanSeek: true } file } ? SizeFor(file.Length) : BufferSize];

        /// <summary>The block size for a file of <paramref name="length"/> bytes: the whole file in one block, up to
        /// <see cref="BufferSize"/> (one byte more, so that the first read already sees the end).</summary>
        public static int SizeFor(long length) => (int)Math.Clamp(length + 1, 256, BufferSize);
        private int position;
        private int length;
        private bool ended;

        /// <summary>The 1-based line of the next character.</summary>
        public int Line { get; private set; } = 1;

        public int Peek() => position < length || Fill() ? buffer[position] : -1;

        public int Read()
        {
            var c = Peek();
            if (c >= 0)
            {
                position++;
                if (c == '\n')
                {
                    Line++;
                }
            }

            return c;
        }

        public void SkipWhitespace()
        {
            while (position < length || Fill())
            {
                while (position < length && IsSpace(buffer[position]))
                {
                    if (buffer[position] == '\n')
                    {
                        Line++;
                    }

                    position++;
                }

                if (position < length)
                {
                    return;
                }
            }
        }

        /// <summary>Reads the token at the current position, keeping at most <paramref name="limit"/> characters; false at the end.</summary>
        public bool ReadToken(TokenBuffer token, int limit)
        {
            token.Clear();
            var found = false;
            while (position < length || Fill())
            {
                var start = position;
                while (position < length && !IsSpace(buffer[position]))
                {
                    position++;
                }

                if (position > start)
                {
                    found = true;
                    token.Append(buffer.AsSpan(start, position - start), limit);
                }

                if (position < length)
                {
                    break;
                }
            }

            return found;
        }

        private bool Fill()
        {
            if (ended)
            {
                return false;
            }

            cancellationToken.ThrowIfCancellationRequested();
            position = 0;
            length = reader.Read(buffer, 0, buffer.Length);
            if (length <= 0)
            {
                length = 0;
                ended = true;
                return false;
            }

            return true;
        }
    }
}
