namespace Judge.Engine.Sandbox.Process;

/// <summary>A throw-away copy of a working directory, for runs whose changes must not persist.</summary>
internal static class ScratchCopy
{
    /// <summary>Copies the regular files and directories of <paramref name="directory"/> (never links or special files) into a new sibling directory.</summary>
    public static string Create(string directory)
    {
        var full = Path.GetFullPath(directory).TrimEnd('/');
        var scratch = $"{full}.run-{Guid.NewGuid():N}";
        CopyTree(full, scratch);
        return scratch;
    }

    public static void Delete(string scratch)
    {
        try
        {
            Directory.Delete(scratch, recursive: true); // removes links themselves, never their targets
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private static void CopyTree(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var entry in new DirectoryInfo(from).EnumerateFileSystemInfos())
        {
            if (entry.LinkTarget is not null)
                continue;
            var target = Path.Combine(to, entry.Name);
            if (entry is DirectoryInfo)
                CopyTree(entry.FullName, target);
            else if (entry is FileInfo file && (file.Attributes & (FileAttributes.Device | FileAttributes.ReparsePoint)) == 0)
                file.CopyTo(target);
        }
    }
}
