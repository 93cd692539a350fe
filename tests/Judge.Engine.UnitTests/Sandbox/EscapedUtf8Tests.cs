using System.Text;
using Judge.Engine.Sandbox;

namespace Judge.Engine.UnitTests.Sandbox;

/// <summary>Program output that is not UTF-8 text comes back escaped, never as a failure.</summary>
public sealed class EscapedUtf8Tests
{
    [Fact]
    public void Utf8_text_with_tabs_and_newlines_is_kept_as_it_is() =>
        Assert.Equal("café ✓ 😀\n\tdone\r\n", EscapedUtf8.Decode(Encoding.UTF8.GetBytes("café ✓ 😀\n\tdone\r\n")));

    [Fact]
    public void Latin1_and_shift_jis_lead_bytes_are_escaped_one_by_one_and_ascii_kept() =>
        Assert.Equal(@"caf\xe9 \x83e\x83X\x83g", EscapedUtf8.Decode([.. "caf"u8, 0xe9, (byte)' ', 0x83, 0x65, 0x83, 0x58, 0x83, 0x67]));

    [Fact]
    public void Nul_and_control_bytes_are_escaped_so_postgresql_text_can_hold_the_message() =>
        Assert.Equal(@"a\x00b\x1b[31mc\x7f", EscapedUtf8.Decode([(byte)'a', 0, (byte)'b', 0x1b, .. "[31mc"u8, 0x7f]));

    [Fact]
    public void Encoded_surrogates_and_overlong_forms_are_escaped() =>
        Assert.Equal(@"\xed\xb3\xbf\xc0\xaf", EscapedUtf8.Decode([0xed, 0xb3, 0xbf, 0xc0, 0xaf]));

    [Fact]
    public void A_character_cut_by_the_read_cap_is_left_out_but_a_truncated_one_in_full_output_is_escaped()
    {
        byte[] bytes = [(byte)'x', 0xe2, 0x9c];
        Assert.Equal("x", EscapedUtf8.Decode(bytes, cut: true));
        Assert.Equal(@"x\xe2\x9c", EscapedUtf8.Decode(bytes));
    }

    [Fact]
    public void Files_read_as_text_escape_what_is_not_utf8()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("judge-escaped-").FullName, "teammessage.txt");
        File.WriteAllBytes(path, [.. "wrong: "u8, 0xff, 0]);
        Assert.Equal(@"wrong: \xff\x00", SandboxFiles.ReadText(path, 100));
        Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
    }
}
