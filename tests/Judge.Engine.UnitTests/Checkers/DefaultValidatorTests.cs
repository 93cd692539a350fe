using System.Text;
using Judge.Engine.Checkers;

namespace Judge.Engine.UnitTests.Checkers;

public sealed class DefaultValidatorTests
{
    private static CheckOutcome Check(string answer, string output, string? flags = null) =>
        new DefaultValidator(ValidatorFlags.Parse(flags)).Compare(new StringReader(answer), new StringReader(output));

    private static void AssertAccepted(string answer, string output, string? flags = null) =>
        Assert.Equal(CheckOutcome.Accepted, Check(answer, output, flags));

    private static string AssertWrong(string answer, string output, string? flags = null)
    {
        var outcome = Check(answer, output, flags);
        Assert.Equal(CheckStatus.WrongAnswer, outcome.Status);
        Assert.False(string.IsNullOrEmpty(outcome.Message));
        return outcome.Message!;
    }

    [Fact]
    public void Identical_output_is_accepted() => AssertAccepted("1 2 3\nhello\n", "1 2 3\nhello\n");

    [Theory]
    [InlineData("1 2 3\n", "1   2\t3")]
    [InlineData("1 2 3\n", "\n\n1\n2\n3\n\n\n")]
    [InlineData("1 2\r\n3\r\n", "1 2\n3\n")]
    [InlineData("a\v\fb", "a b")]
    public void Different_whitespace_is_accepted_by_default(string answer, string output) => AssertAccepted(answer, output);

    [Theory]
    [InlineData(null)]
    [InlineData("case_sensitive space_change_sensitive")]
    [InlineData("float_tolerance 1e-6")]
    public void Memory_a_comparison_allocates_does_not_grow_with_the_number_of_tokens(string? flags)
    {
        // Goal 1 of issue 14: no per-test allocation that grows with the problem. A matching token costs no string of
        // its own (its position is named only in a failure's message).
        var validator = new DefaultValidator(ValidatorFlags.Parse(flags));
        long Allocated(int tokens)
        {
            var text = string.Join('\n', Enumerable.Range(0, tokens).Select(i => $"{i} 0.{i}")) + "\n";
            var (answer, output) = (new StringReader(text), new StringReader(text));
            var before = GC.GetAllocatedBytesForCurrentThread();
            var outcome = validator.Compare(answer, output);
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Equal(CheckOutcome.Accepted, outcome);
            return allocated;
        }

        Allocated(10); // the first call's one-time costs (JIT, statics) are not the comparison's
        var small = Allocated(1_000);
        var large = Allocated(100_000);

        Assert.True(large - small < 16 * 1024, $"1,000 tokens took {small} bytes, 100,000 took {large}");
    }

    [Fact]
    public void Different_token_is_wrong_with_its_position_and_line()
    {
        var message = AssertWrong("1 2\n3 secretvalue\n", "1 2\n3 4\n");

        Assert.Equal("token 4 (line 2) differs from the expected answer", message);
    }

    [Fact]
    public void Messages_never_reveal_the_expected_token()
    {
        string[] outputs = ["1 2\n3 guess\n", "1 2\n", "1 2\n3 expectedtoken extra\n", "1  2\n3 expectedtoken\n"];
        foreach (var output in outputs)
        {
            foreach (var flags in new[] { "", "case_sensitive space_change_sensitive", "float_tolerance 1e-6" })
            {
                var outcome = Check("1 2\n3 expectedtoken\n", output, flags);
                if (outcome.Status != CheckStatus.Accepted)
                {
                    Assert.DoesNotContain("expectedtoken", outcome.Message, StringComparison.OrdinalIgnoreCase);
                }
            }
        }

        Assert.DoesNotContain("3.14159", AssertWrong("3.14159", "2.5", "float_tolerance 1e-6"));
    }

    [Fact]
    public void Case_is_ignored_by_default() => AssertAccepted("Yes\nPOSSIBLE\n", "YES\npossible\n");

    [Fact]
    public void Case_matters_when_case_sensitive()
    {
        AssertAccepted("Yes", "Yes", "case_sensitive");
        Assert.Equal("token 1 (line 1) differs from the expected answer", AssertWrong("Yes", "YES", "case_sensitive"));
    }

    [Fact]
    public void Case_folding_is_ascii_only()
    {
        AssertWrong("\u00e9", "\u00c9");
        AssertAccepted("\u00e9", "\u00e9");
    }

    [Fact]
    public void Token_that_is_a_prefix_or_longer_is_wrong()
    {
        AssertWrong("abc", "ab");
        AssertWrong("abc", "abcd");
    }

    [Fact]
    public void Missing_output_is_wrong_and_says_how_many_tokens_arrived()
    {
        Assert.Equal("output ended after 2 tokens; more were expected", AssertWrong("1 2 3", "1 2\n"));
        Assert.Equal("output ended after 1 token; more were expected", AssertWrong("1 2", "1"));
    }

    [Fact]
    public void Extra_output_is_wrong_and_says_where_it_starts()
    {
        Assert.Equal("extra output after the expected answer (token 5, line 3)", AssertWrong("1 2\n3 4\n", "1 2\n3 4\n5\n"));
    }

    [Fact]
    public void Empty_output_for_an_empty_answer_is_accepted()
    {
        AssertAccepted("", "");
        AssertAccepted("\n", "");
        AssertAccepted("", "  \n\n");
    }

    [Fact]
    public void Empty_output_for_a_non_empty_answer_is_wrong()
    {
        Assert.Equal("output ended after 0 tokens; more were expected", AssertWrong("42\n", ""));
    }

    [Fact]
    public void Output_for_an_empty_answer_is_wrong() =>
        Assert.Equal("extra output after the expected answer (token 1, line 2)", AssertWrong("", "\nx"));

    [Fact]
    public void Exact_whitespace_is_accepted_when_space_change_sensitive() =>
        AssertAccepted("1 2\n  3\t4\n\n", "1 2\n  3\t4\n\n", "space_change_sensitive");

    [Theory]
    [InlineData("1 2\n", "1  2\n", 1)]
    [InlineData("1 2\n", "1\n2\n", 1)]
    [InlineData("1 2\n3\n", "1 2\n3", 2)]
    [InlineData("1 2\n3\n", "1 2\n3\n\n", 3)]
    [InlineData("1 2\n3", "1 2\n3\n", 2)]
    [InlineData("1 2\n", " 1 2\n", 1)]
    [InlineData("1 2\n", "1 2 \n", 1)]
    [InlineData("1 2\n", "1 2\r\n", 1)]
    [InlineData("a\nb\n", "a\n\tb\n", 2)]
    public void Any_whitespace_change_is_wrong_when_space_change_sensitive(string answer, string output, int line)
    {
        Assert.Equal($"whitespace differs on line {line}", AssertWrong(answer, output, "space_change_sensitive"));
    }

    [Fact]
    public void Space_change_sensitive_still_reports_missing_and_extra_tokens()
    {
        Assert.Equal("output ended after 1 token; more were expected", AssertWrong("1 2\n", "1", "space_change_sensitive"));
        Assert.Equal("extra output after the expected answer (token 3, line 2)", AssertWrong("1 2\n", "1 2\n3", "space_change_sensitive"));
        Assert.Equal("token 2 (line 1) differs from the expected answer", AssertWrong("1 2\n", "1 3\n", "space_change_sensitive"));
    }

    [Fact]
    public void Space_change_sensitive_is_still_case_insensitive() => AssertAccepted("Yes\n", "yES\n", "space_change_sensitive");

    [Fact]
    public void Without_tolerance_numbers_compare_as_text()
    {
        AssertWrong("1.0", "1");
        AssertWrong("0", "-0");
        AssertAccepted("1E5", "1e5");
    }

    [Theory]
    [InlineData("3.141592653", "3.1415926")]
    [InlineData("3.141592653", "3.1415936")]
    [InlineData("1", "1.0000000")]
    [InlineData("1", "+1")]
    [InlineData("100", "1e2")]
    [InlineData("0.5", ".5")]
    [InlineData("5", "5.")]
    [InlineData("1000000000", "1000000500")]
    public void Float_within_tolerance_is_accepted(string answer, string output) => AssertAccepted(answer, output, "float_tolerance 1e-6");

    [Theory]
    [InlineData("3.141592653", "3.14")]
    [InlineData("3.141592653", "3.1416")]
    [InlineData("1000000000", "1000002000")]
    [InlineData("1", "1.1")]
    [InlineData("1.7e308", "-1.7e308")]
    public void Float_outside_tolerance_is_wrong(string answer, string output) =>
        Assert.Equal("token 1 (line 1) differs from the expected answer by more than the tolerance", AssertWrong(answer, output, "float_tolerance 1e-6"));

    [Fact]
    public void Absolute_tolerance_alone_ignores_magnitude()
    {
        AssertAccepted("1000000", "1000000.4", "float_absolute_tolerance 0.5");
        AssertWrong("1000000", "1000001", "float_absolute_tolerance 0.5");
        AssertAccepted("0", "0.5", "float_absolute_tolerance 0.5");
    }

    [Fact]
    public void Relative_tolerance_alone_scales_with_the_expected_value()
    {
        AssertAccepted("1000000", "1000001", "float_relative_tolerance 1e-6");
        AssertWrong("1", "1.00001", "float_relative_tolerance 1e-6");
        AssertWrong("0", "1e-300", "float_relative_tolerance 1e-6");
        AssertAccepted("0", "0.0", "float_relative_tolerance 1e-6");
    }

    [Fact]
    public void Relative_tolerance_is_relative_to_the_judge_value()
    {
        // The difference is 10: within 10% of a judge value of 100, but not of a judge value of 90.
        AssertAccepted("100", "90", "float_relative_tolerance 0.1");
        AssertWrong("90", "100", "float_relative_tolerance 0.1");
    }

    [Fact]
    public void Either_tolerance_is_enough()
    {
        const string flags = "float_absolute_tolerance 1e-3 float_relative_tolerance 1e-9";
        AssertAccepted("0", "0.0009", flags);
        AssertAccepted("1e12", "1000000000000.5", flags);
        AssertWrong("1e12", "1000000002000", flags);
    }

    [Fact]
    public void Zero_tolerance_demands_numeric_equality() => AssertAccepted("0.1", "1e-1", "float_absolute_tolerance 0");

    [Fact]
    public void Negative_zero_equals_zero()
    {
        AssertAccepted("0", "-0", "float_tolerance 0");
        AssertAccepted("-0.0", "0", "float_tolerance 0");
    }

    [Theory]
    [InlineData("inf", "inf")]
    [InlineData("inf", "Infinity")]
    [InlineData("INF", "+inf")]
    [InlineData("-inf", "-INFINITY")]
    [InlineData("nan", "NaN")]
    [InlineData("NAN", "-nan")]
    [InlineData("1e400", "inf")]
    public void Matching_special_values_are_accepted(string answer, string output) => AssertAccepted(answer, output, "float_tolerance 1e-6");

    [Theory]
    [InlineData("inf", "-inf")]
    [InlineData("-inf", "inf")]
    [InlineData("inf", "1e308")]
    [InlineData("1e308", "inf")]
    [InlineData("inf", "nan")]
    [InlineData("nan", "0")]
    [InlineData("nan", "inf")]
    [InlineData("0", "nan")]
    public void Mismatched_special_values_are_wrong(string answer, string output) => AssertWrong(answer, output, "float_tolerance 1e300");

    [Theory]
    [InlineData("abc")]
    [InlineData("1.5x")]
    [InlineData("0x10")]
    [InlineData("1e")]
    [InlineData("--1")]
    [InlineData(".")]
    [InlineData("\u221e")]
    [InlineData("1,5")]
    public void Non_number_where_a_number_is_expected_is_wrong(string output) =>
        Assert.Equal("token 1 (line 1) is not a number; a number was expected", AssertWrong("1.5", output, "float_tolerance 1e-6"));

    [Fact]
    public void Non_number_judge_tokens_compare_as_text_under_tolerance()
    {
        const string flags = "float_tolerance 1e-6";
        AssertAccepted("Case #1: 3.0000001", "case #1: 3", flags);
        AssertWrong("Case #1: 3", "Case #2: 3", flags);
        AssertWrong("impossible", "0", flags);
        AssertWrong("x1", "x1.0", flags);
    }

    [Fact]
    public void Non_number_judge_tokens_respect_case_sensitivity_under_tolerance() =>
        AssertWrong("Yes 1", "yes 1", "float_tolerance 1e-6 case_sensitive");

    [Fact]
    public void Tokens_longer_than_a_read_block_compare_correctly()
    {
        var token = new string('a', 200_000) + "b";
        AssertAccepted(token, "\n" + token.ToUpperInvariant() + "\n");
        AssertWrong(token, new string('a', 200_001));
        AssertWrong(token, token + "c");
        AssertWrong(token, token[..^1]);
    }

    [Fact]
    public void Very_long_number_tokens_are_read()
    {
        var answer = "0." + new string('3', 100_000);
        AssertAccepted(answer, "0.333333333", "float_tolerance 1e-6");
        AssertAccepted("0.333333333", answer, "float_tolerance 1e-6");
    }

    [Fact]
    public void Huge_output_is_streamed_and_checked()
    {
        var builder = new StringBuilder();
        for (var i = 0; i < 300_000; i++)
        {
            builder.Append(i).Append(i % 10 == 9 ? '\n' : ' ');
        }

        var answer = builder.ToString();
        AssertAccepted(answer, answer, "space_change_sensitive");
        var changed = answer.Replace(" 299998 ", " 299999 ", StringComparison.Ordinal);
        Assert.Equal("token 299999 (line 30000) differs from the expected answer", AssertWrong(answer, changed));
    }

    [Fact]
    public void Infinite_garbage_after_the_answer_is_rejected_without_reading_it_all()
    {
        var outcome = new DefaultValidator(ValidatorFlags.Default).Compare(new StringReader("1"), new EndlessReader("1 "));

        Assert.Equal("extra output after the expected answer (token 2, line 1)", outcome.Message);
    }

    [Fact]
    public async Task Files_are_compared_by_path()
    {
        using var directory = new TempDirectory();
        var answer = directory.Write("1.ans", "Hello World\n");
        var good = directory.Write("good.out", "hello   world");
        var bad = directory.Write("bad.out", "hello\nthere\n");
        var validator = new DefaultValidator(ValidatorFlags.Default);

        Assert.Equal(CheckOutcome.Accepted, await validator.CheckAsync(new CheckRequest("1.in", answer, good)));
        Assert.Equal(CheckOutcome.Wrong("token 2 (line 2) differs from the expected answer"), await validator.CheckAsync(new CheckRequest("1.in", answer, bad)));
    }

    [Fact]
    public async Task Files_are_compared_byte_for_byte()
    {
        using var directory = new TempDirectory();
        var answer = directory.Write("1.ans", [0xC3, 0xA9, (byte)'\n']);
        var same = directory.Write("same.out", [0xC3, 0xA9]);
        var invalid = directory.Write("invalid.out", [0xC3, 0xAA]);
        var bom = directory.Write("bom.out", [0xEF, 0xBB, 0xBF, 0xC3, 0xA9]);
        var validator = new DefaultValidator(ValidatorFlags.Default);

        Assert.Equal(CheckStatus.Accepted, (await validator.CheckAsync(new CheckRequest("", answer, same))).Status);
        Assert.Equal(CheckStatus.WrongAnswer, (await validator.CheckAsync(new CheckRequest("", answer, invalid))).Status);
        Assert.Equal(CheckStatus.WrongAnswer, (await validator.CheckAsync(new CheckRequest("", answer, bom))).Status);
    }

    [Fact]
    public async Task Missing_files_are_a_judge_error()
    {
        using var directory = new TempDirectory();
        var answer = directory.Write("1.ans", "1\n");
        var output = directory.Write("1.out", "1\n");
        var validator = new DefaultValidator(ValidatorFlags.Default);

        var noAnswer = await validator.CheckAsync(new CheckRequest("", Path.Combine(directory.Path, "none.ans"), output));
        var noOutput = await validator.CheckAsync(new CheckRequest("", answer, Path.Combine(directory.Path, "none.out")));

        Assert.Equal(CheckStatus.JudgeError, noAnswer.Status);
        Assert.StartsWith("the answer file could not be read", noAnswer.Message);
        Assert.Equal(CheckStatus.JudgeError, noOutput.Status);
        Assert.StartsWith("the output file could not be read", noOutput.Message);
    }

    [Fact]
    public async Task Cancelled_check_throws()
    {
        using var directory = new TempDirectory();
        var answer = directory.Write("1.ans", "1\n");
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new DefaultValidator(ValidatorFlags.Default).CheckAsync(new CheckRequest("", answer, answer), cancellation.Token));
    }

    /// <summary>A reader that repeats a text forever.</summary>
    private sealed class EndlessReader(string text) : TextReader
    {
        private int position;

        public override int Read(char[] buffer, int index, int count)
        {
            for (var i = 0; i < count; i++)
            {
                buffer[index + i] = text[position++ % text.Length];
            }

            return count;
        }
    }

    /// <summary>A directory deleted at the end of a test.</summary>
    private sealed class TempDirectory : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("judge-validator-").FullName;

        public string Write(string name, string text) => Write(name, Encoding.UTF8.GetBytes(text));

        public string Write(string name, byte[] bytes)
        {
            var path = System.IO.Path.Combine(Path, name);
            File.WriteAllBytes(path, bytes);
            return path;
        }

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
