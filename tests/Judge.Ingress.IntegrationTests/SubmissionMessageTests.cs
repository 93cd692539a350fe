using System.Text;
using Judge.Ingress.Messages;

namespace Judge.Ingress.IntegrationTests;

public sealed class SubmissionMessageTests
{
    private const string MessageId = "4f1c2a9e-0b7d-4c55-9a3e-2d6f8e1b7c90";

    [Fact]
    public void Valid_message_becomes_a_submission_with_its_own_id()
    {
        var parsed = SubmissionMessage.Parse("""{"version":1,"id":"s-1","problem":"aplusb","language":"python3","source":"print(1)"}""", MessageId);
        Assert.Null(parsed.Error);
        Assert.Equal("s-1", parsed.Id);
        Assert.Equal(("aplusb", "python3", "print(1)"), (parsed.Request!.Problem, parsed.Request.Language, parsed.Request.Source));
    }

    [Fact]
    public void Message_without_id_is_named_by_its_sqs_message_id()
    {
        var parsed = SubmissionMessage.Parse("""{"version":1,"problem":"aplusb","language":"cpp17","source":"int main(){}"}""", MessageId);
        Assert.Equal(MessageId, parsed.Id);
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("", "not valid JSON")]
    [InlineData("[1,2]", "must be a JSON object, not an array")]
    [InlineData("\"text\"", "must be a JSON object, not a string")]
    [InlineData("""{"problem":"p","language":"python3","source":"x"}""", "field 'version' is required")]
    [InlineData("""{"version":2,"problem":"p","language":"python3","source":"x"}""", "field 'version' must be 1, not 2")]
    [InlineData("""{"version":"1","problem":"p","language":"python3","source":"x"}""", "field 'version' must be 1, not \"1\"")]
    [InlineData("""{"version":1,"language":"python3","source":"x"}""", "field 'problem' is required")]
    [InlineData("""{"version":1,"problem":"p","source":"x"}""", "field 'language' is required")]
    [InlineData("""{"version":1,"problem":"p","language":"python3"}""", "field 'source' is required")]
    [InlineData("""{"version":1,"problem":7,"language":"python3","source":"x"}""", "field 'problem' must be a string, not a number")]
    [InlineData("""{"version":1,"problem":"p","language":["python3"],"source":"x"}""", "field 'language' must be a string, not an array")]
    [InlineData("""{"version":1,"problem":"p","language":"python3","source":""}""", "field 'source' is empty")]
    [InlineData("""{"version":1,"problem":" ","language":"python3","source":"x"}""", "field 'problem' is empty")]
    [InlineData("""{"version":1,"id":"../etc","problem":"p","language":"python3","source":"x"}""", "field 'id' must be 1 to 128 characters")]
    [InlineData("""{"version":1,"problem":"p","language":"python3","source":"x","sourceCode":"y"}""", "unknown field 'sourceCode'")]
    [InlineData("""{"version":1,"problem":"p","language":"python3","source":"x","runAll":1}""", "field 'runAll' must be a boolean, not a number")]
    public void Malformed_message_is_rejected_with_a_specific_reason(string body, string reason)
    {
        var parsed = SubmissionMessage.Parse(body, MessageId);
        Assert.Null(parsed.Request);
        Assert.Contains(reason, parsed.Error);
    }

    [Fact]
    public void Source_over_256_KiB_is_rejected()
    {
        var source = new string('x', SubmissionMessage.MaxSourceBytes + 1);
        var parsed = SubmissionMessage.Parse($$"""{"version":1,"problem":"p","language":"python3","source":"{{source}}"}""", MessageId);
        Assert.Contains($"field 'source' is {SubmissionMessage.MaxSourceBytes + 1} bytes", parsed.Error);
    }

    [Fact]
    public void Deeply_nested_body_is_rejected_not_crashed_on()
    {
        var body = new string('[', 1000) + new string(']', 1000);
        Assert.Contains("not valid JSON", SubmissionMessage.Parse(body, MessageId).Error);
    }

    [Fact]
    public void RunAll_is_read_as_in_the_http_api()
    {
        var parsed = SubmissionMessage.Parse("""{"version":1,"id":"a","problem":"p","language":"python3","source":"x","runAll":true}""", "m-1");

        Assert.True(parsed.Request!.RunAll);
        Assert.False(SubmissionMessage.Parse("""{"version":1,"id":"a","problem":"p","language":"python3","source":"x"}""", "m-1").Request!.RunAll);
    }

    [Theory]
    [InlineData("id")]
    [InlineData("problem")]
    [InlineData("language")]
    [InlineData("source")]
    [InlineData("callbackUrl")]
    [InlineData("sourceEncoding")]
    public void Lone_surrogate_escape_in_any_field_is_rejected_naming_the_field(string field)
    {
        var fields = new Dictionary<string, string> { ["id"] = "s-1", ["problem"] = "aplusb", ["language"] = "python3", ["source"] = "print(1)" };
        fields[field] = @"x\udcffy";
        var body = "{\"version\":1," + string.Join(",", fields.Select(f => $"\"{f.Key}\":\"{f.Value}\"")) + "}";

        var parsed = SubmissionMessage.Parse(body, MessageId);

        Assert.Null(parsed.Request);
        Assert.Contains($"field '{field}' must be valid Unicode text", parsed.Error);
    }

    [Fact]
    public void Lone_surrogate_in_a_field_name_is_rejected() =>
        Assert.Contains("a field name in the message body must be valid Unicode text",
            SubmissionMessage.Parse("""{"version":1,"problem":"p","language":"python3","source":"x","\ud800":1}""", MessageId).Error);

    [Theory]
    [InlineData("""{"version":1,"problem":"p","problem":"q","language":"python3","source":"x"}""", "field 'problem' appears more than once")]
    [InlineData("""{"version":1,"problem":"p","language":"python3","source":"x","sourc\u0065":"y"}""", "field 'source' appears more than once")]
    public void Duplicate_key_is_rejected_not_last_one_wins(string body, string reason) =>
        Assert.Contains(reason, SubmissionMessage.Parse(body, MessageId).Error);

    [Theory]
    [InlineData("not base64!", "field 'source' is not valid base64")]
    [InlineData("", "field 'source' is empty")]
    [InlineData("ICAK", "field 'source' is empty")]
    public void Bad_base64_source_is_rejected(string source, string reason) =>
        Assert.Contains(reason, SubmissionMessage.Parse($$"""{"version":1,"problem":"p","language":"cpp17","sourceEncoding":"base64","source":"{{source}}"}""", MessageId).Error);

    [Fact]
    public void Unknown_source_encoding_is_rejected_with_the_ones_there_are() =>
        Assert.Contains("field 'sourceEncoding' must be \"text\"", SubmissionMessage.Parse("""{"version":1,"problem":"p","language":"cpp17","sourceEncoding":"latin1","source":"x"}""", MessageId).Error);

    [Fact]
    public void Base64_source_keeps_its_exact_bytes_and_a_utf8_one_is_the_same_submission_as_its_text()
    {
        byte[] bytes = [0xef, 0xbb, 0xbf, .. "// caf"u8, 0xe9, 0x00, .. "\nint main(){}\n"u8];
        var parsed = SubmissionMessage.Parse($$"""{"version":1,"problem":"p","language":"cpp17","sourceEncoding":"base64","source":"{{Convert.ToBase64String(bytes)}}"}""", MessageId);
        Assert.Null(parsed.Error);
        Assert.Equal(bytes, parsed.Request!.SourceContent());
        Assert.Equal(bytes, parsed.Request.SourceBytes);

        var asBase64 = SubmissionMessage.Parse($$"""{"version":1,"problem":"p","language":"cpp17","sourceEncoding":"base64","source":"{{Convert.ToBase64String("int main(){}"u8)}}"}""", MessageId);
        var asText = SubmissionMessage.Parse("""{"version":1,"problem":"p","language":"cpp17","source":"int main(){}"}""", MessageId);
        Assert.Null(asBase64.Request!.SourceBytes);
        Assert.Equal(asText.Request, asBase64.Request);
    }

    [Fact]
    public void Base64_source_over_256_KiB_is_rejected()
    {
        var source = Convert.ToBase64String(new byte[SubmissionMessage.MaxSourceBytes + 1]);
        var parsed = SubmissionMessage.Parse($$"""{"version":1,"problem":"p","language":"python3","sourceEncoding":"base64","source":"{{source}}"}""", MessageId);
        Assert.Contains($"field 'source' is {SubmissionMessage.MaxSourceBytes + 1} bytes", parsed.Error);
    }

    [Theory]
    [InlineData("id")]
    [InlineData("unknown field")]
    public void Long_input_is_quoted_in_the_reason_cut_to_a_sane_length(string what)
    {
        var longText = new string('z', 5000);
        var body = what == "id"
            ? $$"""{"version":1,"id":"{{longText}}","problem":"p","language":"python3","source":"x"}"""
            : $$"""{"version":1,"problem":"p","language":"python3","source":"x","{{longText}}":1}""";

        var error = SubmissionMessage.Parse(body, MessageId).Error!;

        Assert.Contains(new string('z', 100) + "... (5000 characters)", error);
        Assert.True(error.Length < 400, error);
    }

    // Found by fuzzing (tests/fuzz, target "submission"): the JSON parser's message quotes a bad token whole, so the error
    // echoed a 100 KiB body back in the DLQ reason (and the HTTP 400) instead of a short quote.
    [Theory]
    [InlineData("f", 100_000)]
    [InlineData("{\"version\":1,\"problem\":\"p\",\"runAll\":f", 50_000)]
    public void Malformed_json_error_quotes_the_bad_token_cut_short(string prefix, int length)
    {
        var body = prefix + new string('e', length);

        var parsed = SubmissionMessage.Parse(body, MessageId);

        Assert.Contains("not valid JSON", parsed.Error);
        Assert.True(parsed.Error!.Length < 600, $"an error of {parsed.Error.Length} characters: {parsed.Error[..200]}...");
        Assert.Contains("characters)", parsed.Error);
    }
}
