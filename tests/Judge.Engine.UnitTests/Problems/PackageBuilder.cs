namespace Judge.Engine.UnitTests.Problems;

/// <summary>Builds problem packages in a temporary directory, deleted at the end of a test.</summary>
internal sealed class PackageBuilder : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("judge-problems-").FullName;

    /// <summary>Writes a file under the root, creating directories; returns its full path.</summary>
    public string Write(string relativePath, string text = "")
    {
        var path = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Writes a matching .in/.ans pair, <paramref name="test"/> being relative to the package's data/.</summary>
    public void Test(string package, string test, string input = "1\n", string answer = "1\n")
    {
        Write($"{package}/data/{test}.in", input);
        Write($"{package}/data/{test}.ans", answer);
    }

    /// <summary>A minimal valid package with one sample test.</summary>
    public string Package(string id, string? problemYaml = null)
    {
        if (problemYaml is not null)
        {
            Write($"{id}/problem.yaml", problemYaml);
        }

        Test(id, "sample/1");
        return PathOf(id);
    }

    public string PathOf(string relativePath) => Path.Combine(Root, relativePath);

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
