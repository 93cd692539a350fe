namespace Judge.Silo.EndToEndTests;

/// <summary>Locates the repository's bundled example problems from the test's output directory.</summary>
internal static class RepositoryPaths
{
    public static string ExampleProblems
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Judge.sln")))
                    return Path.Combine(dir.FullName, "examples", "problems");
            }
            throw new DirectoryNotFoundException("Judge.sln not found above " + AppContext.BaseDirectory);
        }
    }
}
