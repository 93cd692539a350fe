using Judge.Engine.Problems;

namespace Judge.Engine.UnitTests.Problems;

public sealed class ProblemCatalogTests : IDisposable
{
    private readonly PackageBuilder packages = new();

    public void Dispose() => packages.Dispose();

    [Fact]
    public void Good_packages_are_offered_and_bad_ones_listed_as_errors()
    {
        packages.Package("zeta", "name: Zeta\n");
        packages.Package("alpha", "name: Alpha\n");
        packages.Package("broken", "limits:\n  time_limit: abc\n");
        packages.Write("notests/problem.yaml", "name: Nothing\n");
        packages.Package("Upper");
        packages.Package(".hidden");
        packages.Write("README.md", "not a package");

        var catalog = new ProblemCatalog(packages.Root);

        Assert.Equal(packages.Root, catalog.Root);
        Assert.Equal(["alpha", "zeta"], catalog.Problems.Select(problem => problem.Id));
        Assert.Equal(
            [("Upper", "."), ("broken", "problem.yaml"), ("notests", "data/")],
            catalog.Errors.Select(error => (error.Problem, error.File)));
    }

    [Fact]
    public void Problems_are_found_by_id()
    {
        packages.Package("alpha", "name: Alpha\n");
        packages.Package("broken", "name: [\n");

        var catalog = new ProblemCatalog(packages.Root);

        Assert.Equal("Alpha", catalog.Find("alpha")?.Name);
        Assert.Null(catalog.Find("broken"));
        Assert.Null(catalog.Find("ALPHA"));
        Assert.Null(catalog.Find("nothing"));
    }

    [Fact]
    public void Empty_root_gives_an_empty_catalog()
    {
        var catalog = new ProblemCatalog(packages.Root);

        Assert.Empty(catalog.Problems);
        Assert.Empty(catalog.Errors);
    }

    [Fact]
    public void Missing_root_names_the_path_and_the_configuration_key()
    {
        var missing = packages.PathOf("no-such-dir");

        var error = Assert.Throws<DirectoryNotFoundException>(() => new ProblemCatalog(missing));

        Assert.Contains(missing, error.Message);
        Assert.Contains("Judge:Problems:Root", error.Message);
        Assert.Contains("Judge__Problems__Root", error.Message);
    }
}
