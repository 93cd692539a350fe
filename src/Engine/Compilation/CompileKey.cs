using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Judge.Engine.Compilation;

/// <summary>The content key of a compilation: SHA-256 over a canonical, length-prefixed encoding of everything that
/// decides what the compiler makes (language, detected compiler version, compile command with its flags, environment,
/// source bytes and include files).</summary>
public static class CompileKey
{
    /// <summary>Bumped when the artifact format or what goes into the key changes, so old entries are never reused.</summary>
    private const string Format = "judge-compile-v1";

    /// <summary>The key as 64 lowercase hex digits.</summary>
    public static string Compute(
        string languageId, string? compilerVersion, IReadOnlyList<string> compileCommand, IReadOnlyDictionary<string, string> environment,
        ReadOnlySpan<byte> source, IEnumerable<(string Name, byte[] Content)> includeFiles)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        AppendText(hash, Format);
        AppendText(hash, languageId);
        AppendText(hash, compilerVersion ?? "");
        AppendCount(hash, compileCommand.Count);
        foreach (var argument in compileCommand)
            AppendText(hash, argument);
        var variables = environment.OrderBy(e => e.Key, StringComparer.Ordinal).ToList();
        AppendCount(hash, variables.Count);
        foreach (var (name, value) in variables)
        {
            AppendText(hash, name);
            AppendText(hash, value);
        }
        AppendBytes(hash, source);
        var includes = includeFiles.OrderBy(f => f.Name, StringComparer.Ordinal).ToList();
        AppendCount(hash, includes.Count);
        foreach (var (name, content) in includes)
        {
            AppendText(hash, name);
            AppendBytes(hash, content);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>Whether <paramref name="key"/> looks like a key (64 lowercase hex digits): safe as a file name.</summary>
    public static bool IsWellFormed(string? key) =>
        key is { Length: 64 } && key.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));

    private static void AppendCount(IncrementalHash hash, long count)
    {
        Span<byte> prefix = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(prefix, count);
        hash.AppendData(prefix);
    }

    private static void AppendBytes(IncrementalHash hash, ReadOnlySpan<byte> bytes)
    {
        AppendCount(hash, bytes.Length);
        hash.AppendData(bytes);
    }

    private static void AppendText(IncrementalHash hash, string text) => AppendBytes(hash, Encoding.UTF8.GetBytes(text));
}
