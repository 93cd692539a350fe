namespace Judge.Sandbox.IntegrationTests;

/// <summary>The package suite's folders in the repository.</summary>
internal static class RepositoryPaths
{
    public static string Root => Repository.Root;

    /// <summary>tests/packages: the package suite's problem packages, each with its submission cases (the hostile ones in
    /// tests/packages/hostile).</summary>
    public static string Packages => Path.Combine(Root, "tests", "packages");

    /// <summary>tests/seccomp/run.sh: the standalone test of the seccomp filter.</summary>
    public static string SeccompTestScript => Path.Combine(Root, "tests", "seccomp", "run.sh");
}
