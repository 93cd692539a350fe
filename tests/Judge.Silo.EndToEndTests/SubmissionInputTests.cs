using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Judge.Silo.EndToEndTests;

/// <summary>Every byte of a submission body gets an answer: text that is not Unicode and ambiguous JSON get a 400 naming the
/// field, and a source sent as base64 is compiled byte for byte.</summary>
[Collection(JudgeServerCollection.Name)]
public class SubmissionInputTests(JudgeServer server)
{
    // A+B in C++, with a BOM and comments in Latin-1, Shift-JIS and a NUL byte: no JSON string can carry these bytes.
    private static readonly byte[] CppWithForeignBytes =
    [
        0xef, 0xbb, 0xbf, .. "// caf"u8, 0xe9, (byte)' ', 0x82, 0xa0, 0x83, 0x65, .. " nul:"u8, 0x00, .. ":\n"u8,
        .. "#include <iostream>\nint main(){long long a,b;std::cin>>a>>b;std::cout<<a+b<<\"\\n\";} // "u8, 0xff, (byte)'\n',
    ];

    private static readonly Dictionary<string, string> Valid = new()
    {
        ["id"] = "input-x", ["problem"] = "aplusb", ["language"] = "cpp17", ["source"] = "int main(){}", ["callbackUrl"] = "https://a.example/", ["sourceEncoding"] = "text",
    };

    private async Task<(HttpStatusCode Status, string Error)> PostBytesAsync(byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await server.Http.PostAsync("/api/submissions", content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.Content.Headers.ContentType?.MediaType == "application/json", $"{(int)response.StatusCode}: {text}");
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.GetProperty("error").GetString()!);
    }

    // The body of Valid with the value of field replaced by the raw bytes of value.
    private static byte[] BodyWith(string field, byte[] value)
    {
        var body = new List<byte>("{"u8.ToArray());
        foreach (var (name, text) in Valid)
        {
            body.AddRange(Encoding.UTF8.GetBytes($"\"{name}\":\""));
            body.AddRange(name == field ? value : Encoding.UTF8.GetBytes(text));
            body.AddRange("\","u8.ToArray());
        }
        body[^1] = (byte)'}';
        return [.. body];
    }

    public static TheoryData<string> Fields => new(Valid.Keys);

    [Theory]
    [MemberData(nameof(Fields))]
    public async Task Lone_surrogate_escape_in_any_field_gets_400_naming_the_field(string field)
    {
        var (status, error) = await PostBytesAsync(BodyWith(field, @"int\udcff"u8.ToArray()));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains($"field '{field}' must be valid Unicode text", error);
    }

    [Theory]
    [MemberData(nameof(Fields))]
    public async Task Bytes_that_are_not_utf8_in_any_field_get_400_naming_the_field(string field)
    {
        var (status, error) = await PostBytesAsync(BodyWith(field, [.. "caf"u8, 0xe9, 0xff]));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains($"field '{field}' must be valid Unicode text", error);
    }

    [Fact]
    public async Task Body_in_latin1_outside_strings_or_in_a_field_name_gets_400()
    {
        var (status, error) = await PostBytesAsync([0xff, .. """{"problem":"aplusb"}"""u8]);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("not valid JSON", error);

        (status, error) = await PostBytesAsync([.. """{"problem":"aplusb","language":"cpp17","source":"x","caf"""u8, 0xe9, .. "\":1}"u8]);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("a field name in the request body must be valid Unicode text", error);
    }

    [Theory]
    [InlineData("""{"problem":"aplusb","language":"cpp17","source":"int main(){}","source":"int main(){return 1;}"}""", "field 'source' appears more than once")]
    [InlineData("""{"problem":"aplusb","language":"cpp17","language":"python3","source":"print(1)"}""", "field 'language' appears more than once")]
    [InlineData("""{"problem":"aplusb","language":"cpp17","source":"int main(){}","extra":{"a":1,"a":2}}""", "an object with a duplicate key")]
    public async Task Duplicate_key_gets_400_not_last_one_wins(string body, string reason)
    {
        var (status, error) = await PostBytesAsync(Encoding.UTF8.GetBytes(body));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(reason, error);
    }

    [Fact]
    public async Task Base64_source_with_latin1_shift_jis_bom_and_nul_bytes_compiles_as_sent_and_its_source_reads_back_byte_for_byte()
    {
        var id = $"bytes-{Guid.NewGuid():N}";
        var submission = await server.JudgeAsync(new { id, problem = "aplusb", language = "cpp17", sourceEncoding = "base64", source = Convert.ToBase64String(CppWithForeignBytes) });
        Assert.Equal("AC", submission.GetProperty("verdict").GetString());

        using var response = await server.Http.GetAsync($"/api/submissions/{id}/source");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(CppWithForeignBytes, await response.Content.ReadAsByteArrayAsync());

        // The same id and bytes again is the same submission; other bytes under it are a conflict.
        var again = await PostBytesOrAcceptedAsync(new { id, problem = "aplusb", language = "cpp17", sourceEncoding = "base64", source = Convert.ToBase64String(CppWithForeignBytes) });
        Assert.Equal(HttpStatusCode.Accepted, again);
        var other = await PostBytesOrAcceptedAsync(new { id, problem = "aplusb", language = "cpp17", sourceEncoding = "base64", source = Convert.ToBase64String([.. CppWithForeignBytes[..^2], 0xfe, (byte)'\n']) });
        Assert.Equal(HttpStatusCode.Conflict, other);
    }

    private async Task<HttpStatusCode> PostBytesOrAcceptedAsync(object body)
    {
        var (status, _, response) = await server.PostRawAsync("/api/submissions", JsonSerializer.Serialize(body));
        response.Dispose();
        return status;
    }

    [Fact]
    public async Task Compiler_messages_that_echo_bytes_that_are_not_utf8_come_back_escaped()
    {
        byte[] source = [.. "#error caf"u8, 0xe9, .. " nul "u8, 0x00, (byte)'\n'];
        var submission = await server.JudgeAsync(new { problem = "aplusb", language = "cpp17", sourceEncoding = "base64", source = Convert.ToBase64String(source) });

        Assert.Equal("CE", submission.GetProperty("verdict").GetString());
        var output = submission.GetProperty("compileOutput").GetString()!;
        Assert.Contains(@"#error caf\xe9", output);
        Assert.DoesNotContain('\0', output);
    }

    [Theory]
    [InlineData("not base64!", "field 'source' is not valid base64")]
    [InlineData("ICAK", "field 'source' is empty")]
    public async Task Bad_base64_source_gets_400(string source, string reason)
    {
        var (status, error) = await PostBytesAsync(JsonSerializer.SerializeToUtf8Bytes(new { problem = "aplusb", language = "cpp17", sourceEncoding = "base64", source }));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(reason, error);
    }

    [Fact]
    public async Task Unknown_source_encoding_gets_400_with_the_ones_there_are()
    {
        var (status, error) = await PostBytesAsync(JsonSerializer.SerializeToUtf8Bytes(new { problem = "aplusb", language = "cpp17", sourceEncoding = "latin1", source = "x" }));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("field 'sourceEncoding' must be \"text\"", error);
    }

    [Theory]
    [InlineData("id")]
    [InlineData("problem")]
    [InlineData("language")]
    public async Task Over_long_input_is_quoted_in_the_error_cut_to_a_sane_length(string field)
    {
        var fields = new Dictionary<string, string> { ["problem"] = "aplusb", ["language"] = "cpp17", ["source"] = "int main(){}", [field] = new string('z', 100_000) };
        var (status, error) = await PostBytesAsync(JsonSerializer.SerializeToUtf8Bytes(fields));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(new string('z', 100) + "... (100000 characters)", error);
        Assert.True(error.Length < 500, error);
    }

    [Fact]
    public async Task Over_long_submission_id_in_the_path_is_quoted_cut_to_a_sane_length()
    {
        using var response = await server.Http.GetAsync($"/api/submissions/{new string('z', 4000)}");
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString()!;
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("... (4000 characters)", error);
        Assert.True(error.Length < 500, $"{error.Length} characters");
    }

    [Theory]
    [InlineData("/api/submissions/%ED%B3%BF")]
    [InlineData("/api/submissions/%FF%FE/source")]
    [InlineData("/api/submissions?problem=%ED%B3%BF")]
    [InlineData("/api/submissions?language=%FF&verdict=%C0%AF")]
    [InlineData("/api/submissions/x?judge=%FF")]
    public async Task Urls_with_percent_escapes_that_are_not_utf8_get_a_4xx(string url)
    {
        using var response = await server.Http.GetAsync(url);
        Assert.InRange((int)response.StatusCode, 200, 499);
    }
}
