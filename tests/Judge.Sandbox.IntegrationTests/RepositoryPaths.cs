namespace Judge.Sandbox.IntegrationTests;

/// <summary>Locates the repository (the directory holding Judge.sln) from the test's output directory.</summary>
internal static class RepositoryPaths
{
    public static string Root
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Judge.sln")))
                    return dir.FullName;
            }
            throw new DirectoryNotFoundException("Judge.sln not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>tests/hostile/cases: one folder per hostile submission.</summary>
    public static string HostileCases => Path.Combine(Root, "tests", "hostile", "cases");

    /// <summary>tests/hostile/problem/hostile: the A+B package every hostile case answers.</summary>
    public static string HostileProblem => Path.Combine(Root, "tests", "hostile", "problem", "hostile");

    /// <summary>tests/seccomp/run.sh: the standalone test of the seccomp filter.</summary>
    public static string SeccompTestScript => Path.Combine(Root, "tests", "seccomp", "run.sh");
}
