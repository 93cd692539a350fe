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
}
