using System.Diagnostics;
using System.Text;
using Judge.Engine.Sandbox;

namespace Judge.Engine.UnitTests.Sandbox;

/// <summary>Files a sandboxed program could have planted are read back without following links or blocking on FIFOs.</summary>
public sealed class SandboxFilesTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("judge-sandbox-files-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    private string PathOf(string name) => Path.Combine(root, name);

    [Fact]
    public void Regular_file_is_read_up_to_the_cap()
    {
        File.WriteAllText(PathOf("message.txt"), "hello world");

        Assert.Equal("hello world", SandboxFiles.ReadText(PathOf("message.txt"), 100));
        Assert.Equal("hello\n[truncated]", SandboxFiles.ReadText(PathOf("message.txt"), 5));
        Assert.Equal("hello"u8.ToArray(), SandboxFiles.ReadRegular(PathOf("message.txt"), 5, out var truncated));
        Assert.True(truncated);
    }

    [Fact]
    public void Missing_file_reads_as_nothing() => Assert.Null(SandboxFiles.ReadText(PathOf("none.txt"), 100));

    [Fact]
    public void Symbolic_link_is_never_followed()
    {
        File.WriteAllText(PathOf("secret"), "secret");
        File.CreateSymbolicLink(PathOf("judgemessage.txt"), PathOf("secret"));

        Assert.Null(SandboxFiles.ReadText(PathOf("judgemessage.txt"), 100));
        Assert.False(SandboxFiles.CopyOut(PathOf("judgemessage.txt"), PathOf("copy"), 100));
        Assert.False(File.Exists(PathOf("copy")));
    }

    [Fact]
    public async Task Fifo_is_not_opened_for_reading()
    {
        using (var mkfifo = Process.Start("mkfifo", PathOf("score.txt")))
            await mkfifo.WaitForExitAsync();
        Assert.True(File.Exists(PathOf("score.txt")));

        // A blocking open would hang here (and the test run with it); the timeout turns that into a failure.
        var text = await Task.Run(() => SandboxFiles.ReadText(PathOf("score.txt"), 100)).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Null(text);
    }

    [Fact]
    public void Directory_reads_as_nothing()
    {
        Directory.CreateDirectory(PathOf("teammessage.txt"));

        Assert.Null(SandboxFiles.ReadText(PathOf("teammessage.txt"), 100));
        Assert.False(SandboxFiles.IsRealDirectory(PathOf("missing")));
        Assert.True(SandboxFiles.IsRealDirectory(PathOf("teammessage.txt")));
    }

    [Fact]
    public void Linked_directory_is_not_a_real_directory()
    {
        Directory.CreateSymbolicLink(PathOf("feedback"), "/etc");

        Assert.False(SandboxFiles.IsRealDirectory(PathOf("feedback")));
    }

    [Fact]
    public void Copy_out_refuses_files_over_the_cap()
    {
        File.WriteAllText(PathOf("nextpass.in"), "12345");

        Assert.False(SandboxFiles.CopyOut(PathOf("nextpass.in"), PathOf("a"), 4));
        Assert.True(SandboxFiles.CopyOut(PathOf("nextpass.in"), PathOf("b"), 5));
        Assert.Equal("12345", File.ReadAllText(PathOf("b"), Encoding.UTF8));
    }
}
