using Judge.Interfaces;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Judge.Grains.IntegrationTests;

/// <summary>A submission's source is bytes, stored so that state written before sources were bytes still reads.</summary>
public sealed class SubmissionRequestTests
{
    private static readonly Serializer Serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();

    // SubmissionRequest("aplusb", "cpp17", "// café\nint main(){}\n", RunAll: true, CallbackUrl: "https://backend.example/hook",
    // SubmittedBy: "contest") as the Orleans serializer wrote it before SourceBytes existed (commit 96ed816), as grain state holds it.
    private const string StoredBeforeSourceBytes =
        "IOhADWFwbHVzYkELY3BwMTdBLS8vIGNhZsOpCmludCBtYWluKCl7fQoBA0E5aHR0cHM6Ly9iYWNrZW5kLmV4YW1wbGUvaG9va0EPY29udGVzdOA=";

    [Fact]
    public void A_request_stored_before_sources_were_bytes_reads_with_its_text_as_the_source()
    {
        var request = Serializer.Deserialize<SubmissionRequest>(Convert.FromBase64String(StoredBeforeSourceBytes))!;

        Assert.Equal(new SubmissionRequest("aplusb", "cpp17", "// café\nint main(){}\n", true, "https://backend.example/hook", "contest"), request);
        Assert.Null(request.SourceBytes);
        Assert.Equal("// café\nint main(){}\n"u8.ToArray(), request.SourceContent());
    }

    [Fact]
    public void A_source_that_is_not_utf8_keeps_its_exact_bytes_through_the_serializer()
    {
        byte[] bytes = [0xef, 0xbb, 0xbf, .. "// "u8, 0x82, 0xa0, 0xe9, 0x00, .. "\nint main(){}\n"u8];
        var request = SubmissionRequest.ForSource("aplusb", "cpp17", bytes);

        var copy = Serializer.Deserialize<SubmissionRequest>(Serializer.SerializeToArray(request))!;

        Assert.Equal(bytes, copy.SourceContent());
        Assert.Equal(request, copy);
    }

    [Fact]
    public void Requests_with_the_same_bytes_are_equal_and_with_other_bytes_are_not()
    {
        byte[] bytes = [.. "// "u8, 0xe9, .. "\nint main(){}\n"u8];
        var request = SubmissionRequest.ForSource("aplusb", "cpp17", bytes);

        Assert.Equal(request, SubmissionRequest.ForSource("aplusb", "cpp17", [.. bytes]));
        Assert.Equal(request.GetHashCode(), SubmissionRequest.ForSource("aplusb", "cpp17", [.. bytes]).GetHashCode());
        Assert.NotEqual(request, SubmissionRequest.ForSource("aplusb", "cpp17", [.. bytes[..^1], (byte)' ']));
        // Same lossy text (both bytes decode to U+FFFD), different bytes: a different submission.
        Assert.NotEqual(request, SubmissionRequest.ForSource("aplusb", "cpp17", [.. "// "u8, 0xe8, .. "\nint main(){}\n"u8]));
    }

    [Fact]
    public void A_utf8_source_sent_as_bytes_is_held_as_text_like_one_sent_as_text() =>
        Assert.Equal(new SubmissionRequest("aplusb", "cpp17", "\uFEFFint main(){}\0"), SubmissionRequest.ForSource("aplusb", "cpp17", [0xef, 0xbb, 0xbf, .. "int main(){}"u8, 0]));
}
