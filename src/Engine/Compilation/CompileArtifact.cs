using System.Buffers.Binary;
using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text.Json;

namespace Judge.Engine.Compilation;

/// <summary>What one compilation left: the files of its working directory (a tar archive of regular files and
/// directories), the compiler's messages and, for a compile error, its message. <see cref="Content"/> is the whole
/// artifact as stored and sent between silos; <see cref="Sha256"/> is its hash, checked before any use.</summary>
public sealed class CompileArtifact
{
    /// <summary>The most bytes one artifact may take; a larger one is not kept (it is compiled again instead).</summary>
    public const long MaxBytes = 64L * 1024 * 1024;

    private static ReadOnlySpan<byte> Magic => "JCA1"u8;

    private CompileArtifact(string key, byte[] content, string sha256)
    {
        Key = key;
        Content = content;
        Sha256 = sha256;
    }

    /// <summary>The compilation's content key (<see cref="CompileKey"/>).</summary>
    public string Key { get; }

    /// <summary>The stored bytes.</summary>
    public byte[] Content { get; }

    /// <summary>SHA-256 of <see cref="Content"/>, 64 lowercase hex digits.</summary>
    public string Sha256 { get; }

    /// <summary>An artifact read from storage or a peer, accepted only when its content hashes to <paramref name="expectedSha256"/>.</summary>
    public static CompileArtifact? Verified(string key, byte[] content, string expectedSha256)
    {
        var actual = HashOf(content);
        return string.Equals(actual, expectedSha256, StringComparison.Ordinal) && content.AsSpan().StartsWith(Magic)
            ? new CompileArtifact(key, content, actual)
            : null;
    }

    /// <summary>SHA-256 of <paramref name="content"/> as 64 lowercase hex digits.</summary>
    public static string HashOf(ReadOnlySpan<byte> content) => Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>The compiler's messages and outcome.</summary>
    public sealed record Outcome(string? Output, string? FailureVerdict, string? FailureMessage);

    /// <summary>Packs the regular files and directories under <paramref name="directory"/> (symbolic links and other
    /// kinds are left out, never followed) with <paramref name="outcome"/>; <c>null</c> when larger than <see cref="MaxBytes"/>.</summary>
    public static CompileArtifact? Pack(string key, string directory, Outcome outcome)
    {
        using var stream = new MemoryStream();
        stream.Write(Magic);
        var metadata = JsonSerializer.SerializeToUtf8Bytes(outcome);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, metadata.Length);
        stream.Write(length);
        stream.Write(metadata);
        using (var tar = new TarWriter(stream, TarEntryFormat.Pax, leaveOpen: true))
        {
            if (!AddDirectory(tar, stream, directory, ""))
                return null;
        }
        var content = stream.ToArray();
        return content.Length > MaxBytes ? null : new CompileArtifact(key, content, HashOf(content));
    }

    private static bool AddDirectory(TarWriter tar, MemoryStream stream, string directory, string prefix)
    {
        foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos().OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            if (entry.LinkTarget is not null)
                continue; // a link the compiler (or a source) planted: never followed, never kept
            var name = prefix + entry.Name;
            if (entry is DirectoryInfo sub)
            {
                tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, name + "/") { Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute });
                if (!AddDirectory(tar, stream, sub.FullName, name + "/"))
                    return false;
            }
            else if (entry is FileInfo file && (file.Attributes & (FileAttributes.Device | FileAttributes.ReparsePoint)) == 0)
            {
                if (stream.Length + file.Length > MaxBytes)
                    return false;
                using var data = new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.Read);
                var executable = (file.UnixFileMode & UnixFileMode.UserExecute) != 0;
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name)
                {
                    Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead |
                        (executable ? UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute : 0),
                    DataStream = data,
                });
            }
        }
        return true;
    }

    /// <summary>The compiler's messages and outcome kept with the files.</summary>
    public Outcome ReadOutcome()
    {
        var length = BinaryPrimitives.ReadInt32LittleEndian(Content.AsSpan(Magic.Length, 4));
        return JsonSerializer.Deserialize<Outcome>(Content.AsSpan(Magic.Length + 4, length))
            ?? throw new InvalidDataException("a compile artifact without its outcome");
    }

    /// <summary>Writes the artifact's files into <paramref name="directory"/>, replacing files of the same name; refuses
    /// entries that would leave the directory.</summary>
    public void Unpack(string directory)
    {
        var length = BinaryPrimitives.ReadInt32LittleEndian(Content.AsSpan(Magic.Length, 4));
        var offset = Magic.Length + 4 + length;
        using var stream = new MemoryStream(Content, offset, Content.Length - offset, writable: false);
        using var tar = new TarReader(stream);
        var root = Path.GetFullPath(directory);
        while (tar.GetNextEntry() is { } entry)
        {
            var target = Path.GetFullPath(Path.Combine(root, entry.Name));
            if (!target.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                throw new InvalidDataException($"compile artifact entry '{entry.Name}' leaves its directory");
            switch (entry.EntryType)
            {
                case TarEntryType.Directory:
                    Directory.CreateDirectory(target);
                    break;
                case TarEntryType.RegularFile:
                    Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                    File.Delete(target); // an include or source of the same name: the artifact holds the same bytes
                    using (var file = new FileStream(target, FileMode.CreateNew, FileAccess.Write))
                    {
                        entry.DataStream?.CopyTo(file);
                    }
                    if (!OperatingSystem.IsWindows())
                        File.SetUnixFileMode(target, entry.Mode);
                    break;
                default:
                    throw new InvalidDataException($"compile artifact entry '{entry.Name}' is a {entry.EntryType}");
            }
        }
    }

    /// <summary>The key, size and hash, for logs.</summary>
    public override string ToString() => $"{Key} ({Content.Length} bytes, sha256 {Sha256})";
}
