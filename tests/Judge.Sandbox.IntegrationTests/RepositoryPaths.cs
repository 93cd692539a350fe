namespace Judge.Sandbox.IntegrationTests;

/// <summary>The hostile suite's folders in the repository.</summary>
internal static class RepositoryPaths
{
    public static string Root => Repository.Root;

    /// <summary>tests/hostile/cases: one folder per hostile submission.</summary>
    public static string HostileCases => Path.Combine(Root, "tests", "hostile", "cases");

    /// <summary>tests/hostile/problem/hostile: the A+B package every hostile case answers.</summary>
    public static string HostileProblem => Path.Combine(Root, "tests", "hostile", "problem", "hostile");

    /// <summary>tests/packages: the package suite's problem packages, each with its submission cases.</summary>
    public static string Packages => Path.Combine(Root, "tests", "packages");

    /// <summary>tests/seccomp/run.sh: the standalone test of the seccomp filter.</summary>
    public static string SeccompTestScript => Path.Combine(Root, "tests", "seccomp", "run.sh");
}
