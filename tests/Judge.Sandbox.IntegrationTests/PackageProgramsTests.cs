using Judge.Engine.Checkers;
using Judge.Engine.Problems;
using Judge.Engine.Sandbox;

namespace Judge.Sandbox.IntegrationTests;

/// <summary>Building a package's validator is running problem-setter code: its file names are never compiler options,
/// and whatever the build leaves never makes the judge write through a link or block on a FIFO.</summary>
public sealed class PackageProgramsTests : IDisposable
{
    private readonly string package = Directory.CreateTempSubdirectory("judge-pkgprog-").FullName;
    private readonly string cache = Path.Combine(TestSandbox.WorkRoot, "programs-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        Directory.Delete(package, recursive: true);
        if (Directory.Exists(cache))
            Directory.Delete(cache, recursive: true);
    }

    private PackagePrograms Programs(PackageToolchain? toolchain = null) =>
        new(TestSandbox.Create(), cache, SandboxLimits.Compile, toolchain ?? PackageToolchain.Default);

    private const string Checker = "#include <cstdio>\nint main() { std::puts(\"ok\"); return 42; }\n";

    [Fact]
    public async Task A_source_named_like_an_options_file_is_compiled_as_a_file_not_read_as_options()
    {
        // g++ reads "@file" as a file of options: "-wrapper" would run any command inside the compile. This one prints a
        // product that only a shell computes, so that the compiler quoting the file's text cannot fake it.
        // "@o.cpp" on the command line makes g++ read options from "o.cpp".
        await File.WriteAllTextAsync(Path.Combine(package, "@o.cpp"), "// empty\n");
        await File.WriteAllTextAsync(Path.Combine(package, "o.cpp"), "-wrapper /bin/sh,-c,echo\\ WRAPPER$((6*7));exit\\ 1\n");
        await File.WriteAllTextAsync(Path.Combine(package, "check.cpp"), Checker);
        var program = new OutputValidatorProgram("output_validators/check", package, ProgramKind.Cpp, ["@o.cpp", "check.cpp", "o.cpp"]);

        var built = await Programs().GetAsync(program);

        Assert.DoesNotContain("wrapper42", built.Error ?? "", StringComparison.OrdinalIgnoreCase); // the assembler reads what the wrapper printed
        Assert.NotNull(built.Error); // "o.cpp" is compiled as a C++ source now, and is not a valid one
        Assert.Contains("o.cpp", built.Error);
    }

    [Theory]
    [InlineData("printf x > ./program && ln -s {0} ./.built", "a symbolic link")]   // the marker the judge once wrote into the build
    [InlineData("printf x > ./program && mkfifo ./pipe", "a FIFO")]                   // copying it next to each run would block
    [InlineData("ln -s {0} ./program", "a symbolic link")]
    public async Task A_build_that_leaves_a_link_or_a_fifo_is_refused_without_following_or_blocking(string script, string what)
    {
        var victim = Path.Combine(package, "victim.txt");
        await File.WriteAllTextAsync(victim, "untouched");
        await File.WriteAllTextAsync(Path.Combine(package, "check.cpp"), Checker);
        // A "compiler" that leaves what a hostile compile could.
        var toolchain = PackageToolchain.Default with { CppCompiler = "/bin/sh", CppFlags = ["-c", string.Format(script, victim), "sh"] };
        var program = new OutputValidatorProgram("output_validators/check", package, ProgramKind.Cpp, ["check.cpp"]);

        var built = await Programs(toolchain).GetAsync(program).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal("untouched", await File.ReadAllTextAsync(victim));
        Assert.NotNull(built.Error);
        Assert.Contains("the build left", built.Error);
        Assert.Contains(what, built.Error);
        Assert.Empty(Directory.Exists(cache) ? Directory.GetFileSystemEntries(cache) : []); // nothing kept as built
    }

    [Fact]
    public async Task A_built_program_is_copied_as_files_and_runs_from_its_copy()
    {
        await File.WriteAllTextAsync(Path.Combine(package, "check.cpp"), Checker);
        var program = new OutputValidatorProgram("output_validators/check", package, ProgramKind.Cpp, ["check.cpp"]);
        var programs = Programs();

        var built = await programs.GetAsync(program);
        Assert.Null(built.Error);
        Assert.Equal(["./" + PackagePrograms.BinaryName], built.Argv);
        Assert.Same(built.Directory, (await programs.GetAsync(program)).Directory); // built once

        var target = Directory.CreateTempSubdirectory("judge-pkgprog-run-").FullName;
        try
        {
            built.CopyTo(target);
            Assert.Equal(EntryKind.Regular, SandboxFiles.KindOf(Path.Combine(target, PackagePrograms.BinaryName)));
            Assert.Equal(EntryKind.Regular, SandboxFiles.KindOf(Path.Combine(target, "check.cpp")));
        }
        finally
        {
            Directory.Delete(target, recursive: true);
        }
    }

    [Fact]
    public void Entry_kinds_are_told_apart_without_following_links()
    {
        var file = Path.Combine(package, "file");
        File.WriteAllText(file, "x");
        File.CreateSymbolicLink(Path.Combine(package, "link"), file);
        Assert.Equal(0, System.Diagnostics.Process.Start("mkfifo", Path.Combine(package, "fifo")).WaitForExitAndGetCode());

        Assert.Equal(EntryKind.Regular, SandboxFiles.KindOf(file));
        Assert.Equal(EntryKind.SymbolicLink, SandboxFiles.KindOf(Path.Combine(package, "link")));
        Assert.Equal(EntryKind.Special, SandboxFiles.KindOf(Path.Combine(package, "fifo")));
        Assert.Equal(EntryKind.Directory, SandboxFiles.KindOf(package));
        Assert.Equal(EntryKind.Missing, SandboxFiles.KindOf(Path.Combine(package, "none")));
        Assert.False(SandboxFiles.CopyRegular(Path.Combine(package, "fifo"), Path.Combine(package, "copy"))); // no block
        Assert.False(SandboxFiles.CopyRegular(Path.Combine(package, "link"), Path.Combine(package, "copy")));
        Assert.True(SandboxFiles.CopyRegular(file, Path.Combine(package, "copy")));
    }
}

file static class ProcessExtensions
{
    public static int WaitForExitAndGetCode(this System.Diagnostics.Process process)
    {
        process.WaitForExit();
        return process.ExitCode;
    }
}
