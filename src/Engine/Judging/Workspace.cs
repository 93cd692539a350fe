using Judge.Engine.Sandbox;

namespace Judge.Engine.Judging;

/// <summary>The private directory tree of one judging job, removed when disposed.</summary>
/// <remarks>
/// <c>source/</c> holds the source and what the compiler made (each test sees a fresh copy of it: the sandbox discards
/// a run's changes); <c>io/</c> holds input, output and error files, outside every directory a program can see.
/// </remarks>
internal sealed class Workspace : IDisposable
{
    private Workspace(string root)
    {
        Root = root;
        Directory.CreateDirectory(SourceDirectory);
        Directory.CreateDirectory(IoDirectory);
    }

    public string Root { get; }
    public string SourceDirectory => Path.Combine(Root, "source");
    public string IoDirectory => Path.Combine(Root, "io");

    public static Workspace Create(string workRoot)
    {
        Directory.CreateDirectory(workRoot);
        var root = Path.Combine(workRoot, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        return new Workspace(root);
    }

    public string IoFile(string name) => Path.Combine(IoDirectory, name);

    public static void DeleteTree(string path)
    {
        try
        {
            if (Directory.Exists(path))
                Directory.Delete(path, recursive: true); // removes symbolic links themselves, never their targets
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    public void Dispose() => DeleteTree(Root);
}

/// <summary>Reads at most a given number of bytes of a regular file as text (other bytes than UTF-8 escaped by
/// <see cref="EscapedUtf8"/>), never following a symbolic link.</summary>
internal static class CappedFile
{
    public static string ReadText(string path, int maxBytes)
    {
        var info = new FileInfo(path);
        if (!info.Exists || info.LinkTarget is not null)
            return "";
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.None);
        var buffer = new byte[Math.Min(maxBytes, Math.Max(0, (int)Math.Min(int.MaxValue, info.Length)))];
        var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        var text = EscapedUtf8.Decode(buffer.AsSpan(0, read), cut: info.Length > maxBytes);
        return info.Length > maxBytes ? text + "\n[output truncated]" : text;
    }
}
