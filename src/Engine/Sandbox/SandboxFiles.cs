using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Judge.Engine.Sandbox;

/// <summary>Moves files into and out of directories a sandboxed program could write: never follows a symbolic link, never
/// opens a FIFO or device, never reads more than asked. Call it only once the program's run has ended.</summary>
public static partial class SandboxFiles
{
    private const int ReadOnly = 0;
    private const int NonBlocking = 0x800;
    private const int CloseOnExec = 0x80000;
    private static readonly int NoFollow = RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm ? 0x8000 : 0x20000;

    /// <summary>Up to <paramref name="maxBytes"/> of the regular file at <paramref name="path"/>, or <c>null</c> when it is missing,
    /// a link, a directory or a special file. <paramref name="truncated"/> tells whether the file was longer.</summary>
    public static byte[]? ReadRegular(string path, long maxBytes, out bool truncated)
    {
        truncated = false;
        using var stream = OpenRegular(path);
        if (stream is null)
            return null;
        var length = stream.Length;
        var buffer = new byte[(int)Math.Min(Math.Min(length, maxBytes), Array.MaxLength)];
        var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        truncated = length > buffer.Length;
        return read == buffer.Length ? buffer : buffer[..read];
    }

    /// <summary>The text of a regular file (UTF-8, other bytes escaped by <see cref="EscapedUtf8"/>, at most <paramref name="maxBytes"/>, marked when cut), or <c>null</c>.</summary>
    public static string? ReadText(string path, int maxBytes)
    {
        var bytes = ReadRegular(path, maxBytes, out var truncated);
        if (bytes is null)
            return null;
        var text = EscapedUtf8.Decode(bytes, cut: truncated);
        return truncated ? text + "\n[truncated]" : text;
    }

    /// <summary>Copies a regular file (at most <paramref name="maxBytes"/>) to a new file <paramref name="target"/>; <c>false</c>
    /// when the source is not a regular file or is larger.</summary>
    public static bool CopyOut(string path, string target, long maxBytes)
    {
        using var stream = OpenRegular(path);
        if (stream is null || stream.Length > maxBytes)
            return false;
        using var output = new FileStream(target, FileMode.CreateNew, FileAccess.Write);
        stream.CopyTo(output);
        return true;
    }

    /// <summary>Copies the regular file <paramref name="path"/>, which a sandboxed program may have written, to a new file
    /// <paramref name="target"/> that any uid may read (and run when <paramref name="executable"/>); <c>false</c>, copying
    /// nothing, when the source is a link, a directory, a FIFO or a device.</summary>
    public static bool CopyRegular(string path, string target, bool executable = false)
    {
        using (var stream = OpenRegular(path))
        {
            if (stream is null)
                return false;
            using var output = new FileStream(target, FileMode.CreateNew, FileAccess.Write);
            stream.CopyTo(output);
        }
        SetMode(target, executable ? ReadableAndRunnable : Readable);
        return true;
    }

    /// <summary>What <paramref name="path"/> itself is, never following a last symbolic link (<c>lstat</c>).</summary>
    public static EntryKind KindOf(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            var info = new FileInfo(path);
            return info.LinkTarget is not null ? EntryKind.SymbolicLink
                : Directory.Exists(path) ? EntryKind.Directory
                : info.Exists ? EntryKind.Regular : EntryKind.Missing;
        }

        // statx's layout is the same on every architecture: stx_mode is the 16-bit field at offset 28.
        var buffer = new byte[256];
        if (Statx(AtCurrentDirectory, path, AtSymlinkNoFollow, StatxType, buffer) != 0)
            return EntryKind.Missing;
        return (BitConverter.ToUInt16(buffer, 28) & 0xF000) switch
        {
            0x8000 => EntryKind.Regular,
            0x4000 => EntryKind.Directory,
            0xA000 => EntryKind.SymbolicLink,
            _ => EntryKind.Special,
        };
    }

    /// <summary>Copies a file of ours into a directory a sandboxed program will see, readable (and executable when asked) by
    /// any user: the program runs under another uid.</summary>
    public static void CopyIn(string source, string target, bool executable = false)
    {
        File.Copy(source, target, overwrite: false);
        SetMode(target, executable ? ReadableAndRunnable : Readable);
    }

    private const UnixFileMode Readable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private const UnixFileMode ReadableAndRunnable = Readable | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    /// <summary>A directory any sandboxed uid may write into (mode 0777), for programs that leave files there.</summary>
    public static void CreateShared(string directory)
    {
        Directory.CreateDirectory(directory);
        SetMode(directory, (UnixFileMode)0b111_111_111);
    }

    /// <summary>Makes the regular files directly in <paramref name="directory"/> writable by any uid (mode 0666), skipping links.</summary>
    public static void ShareFiles(string directory)
    {
        if (new DirectoryInfo(directory) is not { Exists: true, LinkTarget: null } info)
            return;
        foreach (var file in info.EnumerateFiles())
        {
            if (file.LinkTarget is null)
                SetMode(file.FullName, (UnixFileMode)0b110_110_110);
        }
    }

    /// <summary>Whether <paramref name="path"/> is a directory itself, not a link to one.</summary>
    public static bool IsRealDirectory(string path) => new DirectoryInfo(path) is { Exists: true, LinkTarget: null };

    internal static FileStream? OpenRegular(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            var info = new FileInfo(path);
            return info is { Exists: true, LinkTarget: null } ? info.OpenRead() : null;
        }

        if (Directory.Exists(path))
            return null; // a directory (or a link to one, which the no-follow open below refuses anyway)
        var fd = Open(path, ReadOnly | NoFollow | NonBlocking | CloseOnExec);
        if (fd < 0)
            return null;
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            var stream = new FileStream(handle, FileAccess.Read, bufferSize: 0);
            if (!stream.CanSeek) // a FIFO or a character device, not a file
            {
                stream.Dispose();
                return null;
            }
            return stream;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            handle.Dispose(); // a directory
            return null;
        }
    }

    private static void SetMode(string path, UnixFileMode mode)
    {
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, mode);
    }

#pragma warning disable SYSLIB1054 // a plain import: LibraryImport's string marshalling would need unsafe code
    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    private const int AtCurrentDirectory = -100; // AT_FDCWD
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxType = 0x1;          // STATX_TYPE

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static extern int Statx(int directory, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte[] buffer);
#pragma warning restore SYSLIB1054
}

/// <summary>What a directory entry is, as <see cref="SandboxFiles.KindOf"/> sees it without following links.</summary>
public enum EntryKind
{
    Missing,
    Regular,
    Directory,
    SymbolicLink,

    /// <summary>A FIFO, a socket or a device.</summary>
    Special,
}
