using Judge.Engine.Sandbox;

namespace Judge.Engine.Judging;

/// <summary>The judge's work root: where submissions are compiled and run and where the problem cache (answers included)
/// lives. Only the judge may control it: a local user who could create or replace it, or any directory above it, could
/// plant links in the judge's way or read the answers.</summary>
public static class WorkRootPolicy
{
    /// <summary>The default: <c>/var/lib/judge/work</c> for root (the embedded default, a daemon host); for another user
    /// (development without the isolating sandbox) <c>$XDG_STATE_HOME/judge/work</c>, or <c>~/.local/state/judge/work</c>.</summary>
    public static string Default
    {
        get
        {
            if (OperatingSystem.IsLinux() && GetUid() == 0)
                return "/var/lib/judge/work";
            var state = Environment.GetEnvironmentVariable("XDG_STATE_HOME");
            if (string.IsNullOrEmpty(state))
                state = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state");
            return Path.Combine(state, "judge", "work");
        }
    }

    /// <summary>Why <paramref name="path"/> is not safe to work in, or <c>null</c> when it is. Safe: every directory
    /// above it belongs to root or to this process's user and is writable by nobody else, unless it is sticky (as
    /// <c>/tmp</c>: others can then not replace what is ours); the work root itself, when it exists, is a directory (not
    /// a link) that belongs to this user and is writable by nobody else.</summary>
    public static string? Problem(string path)
    {
        if (!OperatingSystem.IsLinux())
            return null;
        var full = Path.GetFullPath(path);
        var me = GetUid();
        var self = SandboxFiles.Inspect(full);
        if (self.Kind != EntryKind.Missing)
        {
            if (self.Kind != EntryKind.Directory)
                return $"'{full}' is {Describe(self.Kind)}, not a directory";
            if (self.Owner != me && self.Owner != 0)
                return $"'{full}' belongs to uid {self.Owner}, not to this process's uid {me} or root";
            if ((self.Mode & (UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0)
                return $"'{full}' is writable by others (mode {Convert.ToString((int)self.Mode, 8)})";
        }

        for (var dir = Path.GetDirectoryName(full); dir is not null; dir = Path.GetDirectoryName(dir))
        {
            var above = SandboxFiles.Inspect(dir);
            if (above.Kind == EntryKind.Missing)
                continue; // created by the judge, with its own mode
            if (above.Kind != EntryKind.Directory)
                return $"'{dir}', above '{full}', is {Describe(above.Kind)}";
            if (above.Owner != 0 && above.Owner != me)
                return $"'{dir}', above '{full}', belongs to uid {above.Owner}: that user could replace what lies below it";
            if ((above.Mode & (UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0 && (above.Mode & UnixFileMode.StickyBit) == 0)
                return $"'{dir}', above '{full}', is writable by others without the sticky bit (mode {Convert.ToString((int)above.Mode, 8)}): they could replace what lies below it";
        }
        return null;
    }

    /// <summary>Creates <paramref name="path"/> (and its missing parents) with mode 0700 when it is missing, and makes an
    /// existing one of this user's that others may read private too (a work root made by an earlier version).</summary>
    public static void Create(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }
        const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        Directory.CreateDirectory(path, Private);
        if (OperatingSystem.IsLinux() && SandboxFiles.Inspect(path) is { Kind: EntryKind.Directory } existing
            && existing.Owner == GetUid() && (existing.Mode & ~UnixFileMode.StickyBit) != Private)
            File.SetUnixFileMode(path, Private);
    }

    private static string Describe(EntryKind kind) => kind switch
    {
        EntryKind.SymbolicLink => "a symbolic link",
        EntryKind.Regular => "a file",
        _ => "a special file",
    };

#pragma warning disable SYSLIB1054 // a plain import, as in SandboxFiles
    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint GetUid();
#pragma warning restore SYSLIB1054
}
