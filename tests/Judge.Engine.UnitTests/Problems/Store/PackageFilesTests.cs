using Judge.Engine.Problems;
using Judge.Engine.Problems.Store;

namespace Judge.Engine.UnitTests.Problems.Store;

public sealed class PackageFilesTests
{
    private static PackageVersion Package(params string[] paths) =>
        new("aplusb", paths.Select(p => new PackageFile(p, 1, "etag")));

    [Theory]
    [InlineData("../escape.in", "has a '..' segment: paths must stay inside the package")]
    [InlineData("data/../../escape.in", "has a '..' segment: paths must stay inside the package")]
    [InlineData("data/./sample/1.in", "has a '.' segment: paths must stay inside the package")]
    [InlineData("/etc/passwd", "is an absolute path")]
    [InlineData("data\\secret\\1.in", "contains a backslash")]
    [InlineData("data//1.in", "has an empty path segment ('//' or a trailing '/')")]
    [InlineData("data/sample/", "has an empty path segment ('//' or a trailing '/')")]
    public void Keys_that_would_leave_the_package_are_rejected_naming_the_key(string path, string reason)
    {
        var error = Assert.Throws<ProblemFormatException>(() => PackageFiles.Check(Package("problem.yaml", path), PackageLimits.Default));

        Assert.Equal("aplusb", error.Problem);
        Assert.Equal(path, error.File);
        Assert.Equal(reason, error.Reason);
    }

    [Fact]
    public void A_control_character_in_a_key_is_rejected_and_shown_escaped()
    {
        var error = Assert.Throws<ProblemFormatException>(() => PackageFiles.Check(Package("data/a\nb.in"), PackageLimits.Default));

        Assert.Equal("data/a\\u000ab.in", error.File);
        Assert.Equal("contains a control character", error.Reason);
    }

    [Fact]
    public void A_package_over_the_file_cap_is_rejected_naming_the_setting()
    {
        var error = Assert.Throws<ProblemFormatException>(() =>
            PackageFiles.Check(Package("a", "b", "c"), new PackageLimits(MaxFiles: 2, MaxBytes: 1000)));

        Assert.Equal(".", error.File);
        Assert.Equal("the package has more than 2 files (Judge:Problems:MaxFiles)", error.Reason);
    }

    [Fact]
    public void A_package_over_the_size_cap_is_rejected_naming_the_file_that_crossed_it()
    {
        var version = new PackageVersion("big", [new PackageFile("data/1.in", 600_000, "x"), new PackageFile("data/2.in", 600_000, "y")]);

        var error = Assert.Throws<ProblemFormatException>(() => PackageFiles.Check(version, new PackageLimits(10, 1024 * 1024)));

        Assert.Equal("data/2.in", error.File);
        Assert.Equal("the package is larger than 1 MiB (Judge:Problems:MaxPackageMiB)", error.Reason);
    }

    [Fact]
    public void A_key_that_is_both_a_file_and_a_folder_is_rejected()
    {
        var error = Assert.Throws<ProblemFormatException>(() => PackageFiles.Check(Package("data", "data/1.in"), PackageLimits.Default));

        Assert.Equal("data", error.File);
        Assert.Equal("is a file, but data/1.in needs it to be a directory", error.Reason);
    }

    [Theory]
    [InlineData("A-Plus-B")]
    [InlineData("..")]
    [InlineData("-lead")]
    public void A_folder_that_is_not_a_problem_id_is_rejected(string id)
    {
        var error = Assert.Throws<ProblemFormatException>(() =>
            PackageFiles.Check(new PackageVersion(id, [new PackageFile("problem.yaml", 1, "x")]), PackageLimits.Default));

        Assert.Equal(id, error.Problem);
        Assert.StartsWith("the folder name is not a valid problem id", error.Reason);
    }

    [Fact]
    public void The_content_hash_changes_with_any_path_size_or_fingerprint_and_not_with_listing_order()
    {
        PackageVersion Version(params (string Path, long Size, string Tag)[] files) =>
            new("p", files.Select(f => new PackageFile(f.Path, f.Size, f.Tag)));
        var original = Version(("a", 1, "x"), ("b", 2, "y"));

        Assert.Equal(original.ContentHash, Version(("b", 2, "y"), ("a", 1, "x")).ContentHash);
        Assert.NotEqual(original.ContentHash, Version(("a", 1, "x"), ("b", 2, "z")).ContentHash);
        Assert.NotEqual(original.ContentHash, Version(("a", 1, "x"), ("b", 3, "y")).ContentHash);
        Assert.NotEqual(original.ContentHash, Version(("a", 1, "x"), ("c", 2, "y")).ContentHash);
        Assert.NotEqual(original.ContentHash, Version(("a", 1, "x")).ContentHash);
    }

    [Fact]
    public async Task Content_longer_or_shorter_than_listed_counts_as_a_changed_package()
    {
        var directory = Directory.CreateTempSubdirectory("judge-package-files-").FullName;
        try
        {
            await Assert.ThrowsAsync<PackageChangedException>(() =>
                PackageFiles.WriteAsync(directory, "p", "long.in", 3, new MemoryStream("1234"u8.ToArray()), CancellationToken.None));
            await Assert.ThrowsAsync<PackageChangedException>(() =>
                PackageFiles.WriteAsync(directory, "p", "short.in", 5, new MemoryStream("1234"u8.ToArray()), CancellationToken.None));
            await PackageFiles.WriteAsync(directory, "p", "data/exact.in", 4, new MemoryStream("1234"u8.ToArray()), CancellationToken.None);

            Assert.Equal("1234", File.ReadAllText(Path.Combine(directory, "data", "exact.in")));
            Assert.Throws<ArgumentException>(() =>
                PackageFiles.WriteAsync(directory, "p", "../outside.in", 4, new MemoryStream(), CancellationToken.None).GetAwaiter().GetResult());
            Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(directory)!, "outside.in")));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
