using Judge.Engine.Judging;

namespace Judge.Engine.UnitTests.Judging;

/// <summary>The work root holds every workspace and the problem cache, answers included: a directory another local user
/// could create first, or replace from above, is refused.</summary>
public sealed class WorkRootPolicyTests : IDisposable
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private readonly string scratch = Directory.CreateTempSubdirectory("judge-workroot-").FullName; // 0700, ours, under sticky /tmp

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    private static void Chown(string path, int uid)
    {
        using var process = System.Diagnostics.Process.Start("chown", $"{uid}:{uid} {path}");
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
    }

    [Fact]
    public void A_private_directory_under_a_sticky_tmp_is_safe_whether_it_exists_or_not()
    {
        Assert.Null(WorkRootPolicy.Problem(Path.Combine(scratch, "work")));
        WorkRootPolicy.Create(Path.Combine(scratch, "work"));
        Assert.Equal(Private, File.GetUnixFileMode(Path.Combine(scratch, "work")));
        Assert.Null(WorkRootPolicy.Problem(Path.Combine(scratch, "work")));
    }

    [Fact]
    public void An_existing_work_root_others_may_read_is_made_private()
    {
        var old = Directory.CreateDirectory(Path.Combine(scratch, "old")).FullName;
        File.SetUnixFileMode(old, (UnixFileMode)0b111_101_101);
        WorkRootPolicy.Create(old);
        Assert.Equal(Private, File.GetUnixFileMode(old));
    }

    [Fact]
    public void A_parent_everyone_may_write_without_the_sticky_bit_is_refused()
    {
        var open = Directory.CreateDirectory(Path.Combine(scratch, "open")).FullName;
        File.SetUnixFileMode(open, (UnixFileMode)0b111_111_111);
        var problem = WorkRootPolicy.Problem(Path.Combine(open, "judge", "work"));
        Assert.NotNull(problem);
        Assert.Contains(open, problem);
        Assert.Contains("without the sticky bit", problem);

        File.SetUnixFileMode(open, (UnixFileMode)0b111_111_111 | UnixFileMode.StickyBit); // as /tmp
        Assert.Null(WorkRootPolicy.Problem(Path.Combine(open, "judge", "work")));
    }

    [Fact]
    public void A_work_root_another_user_created_first_is_refused()
    {
        var planted = Directory.CreateDirectory(Path.Combine(scratch, "judge-work")).FullName;
        Chown(planted, 64001);
        var problem = WorkRootPolicy.Problem(planted);
        Assert.NotNull(problem);
        Assert.Contains("belongs to uid 64001", problem);
    }

    [Fact]
    public void A_parent_owned_by_another_user_is_refused()
    {
        var theirs = Directory.CreateDirectory(Path.Combine(scratch, "theirs")).FullName;
        Chown(theirs, 64001);
        var problem = WorkRootPolicy.Problem(Path.Combine(theirs, "work"));
        Assert.NotNull(problem);
        Assert.Contains("could replace what lies below it", problem);
    }

    [Fact]
    public void A_work_root_that_is_a_link_or_writable_by_others_is_refused()
    {
        var real = Directory.CreateDirectory(Path.Combine(scratch, "real")).FullName;
        var link = Path.Combine(scratch, "link");
        Directory.CreateSymbolicLink(link, real);
        Assert.Contains("a symbolic link", WorkRootPolicy.Problem(link));

        File.SetUnixFileMode(real, (UnixFileMode)0b111_111_101);
        Assert.Contains("writable by others", WorkRootPolicy.Problem(real));
    }

    [Fact]
    public void Root_works_in_var_lib_judge_by_default()
    {
        Assert.Equal(0u, Judge.Engine.Sandbox.SandboxFiles.Inspect("/proc/self").Owner); // the suite runs as root
        Assert.Equal("/var/lib/judge/work", WorkRootPolicy.Default);
        Assert.Equal(WorkRootPolicy.Default, JudgeOptions.Default.WorkRoot);
    }
}
