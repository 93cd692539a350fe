namespace Judge.Tests;

/// <summary>Locates the repository (the directory holding Judge.sln) from a test's output directory.</summary>
internal static class Repository
{
    /// <summary>The repository root.</summary>
    public static string Root { get; } = Find();

    /// <summary>examples/problems: the bundled problem packages.</summary>
    public static string ExampleProblems => Path.Combine(Root, "examples", "problems");

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Judge.sln")))
                return dir.FullName;
        }
        throw new DirectoryNotFoundException("Judge.sln not found above " + AppContext.BaseDirectory);
    }
}
