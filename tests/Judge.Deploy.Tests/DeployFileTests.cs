using System.Text.Json;
using YamlDotNet.RepresentationModel;

namespace Judge.Deploy.Tests;

/// <summary>Every YAML and JSON file under deploy/ parses, and every shell script there passes shellcheck.</summary>
public class DeployFileTests
{
    private static string Deploy => Path.Combine(Repository.Root, "deploy");

    private static IEnumerable<string> All => Directory.EnumerateFiles(Deploy, "*", SearchOption.AllDirectories);

    public static TheoryData<string> YamlAndJsonFiles => new(All
        .Where(f => Path.GetExtension(f) is ".yaml" or ".yml" or ".json")
        .Select(f => Path.GetRelativePath(Deploy, f)));

    public static TheoryData<string> ShellScripts => new(All
        .Where(f => Path.GetExtension(f) == ".sh" || File.ReadLines(f).FirstOrDefault() is { } first && first.StartsWith("#!", StringComparison.Ordinal) && (first.Contains("sh") || first.Contains("bash")))
        .Select(f => Path.GetRelativePath(Deploy, f)));

    [Theory]
    [MemberData(nameof(YamlAndJsonFiles))]
    public void Every_YAML_and_JSON_file_parses(string file)
    {
        var path = Path.Combine(Deploy, file);
        if (Path.GetExtension(path) == ".json")
        {
            using var _ = JsonDocument.Parse(File.ReadAllText(path));
            return;
        }
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(path)));
        Assert.NotEmpty(stream.Documents);
    }

    [Theory]
    [MemberData(nameof(ShellScripts))]
    public void Every_shell_script_passes_shellcheck(string file)
    {
        var (exit, output, error) = Tools.Run(Tools.OnPath("shellcheck", "shellcheck"), ["--external-sources", Path.Combine(Deploy, file)]);
        Assert.True(exit == 0, $"shellcheck deploy/{file}:\n{output}{error}");
    }

    [Fact]
    public void Shellcheck_finds_a_broken_script()
    {
        var script = Path.Combine(Directory.CreateTempSubdirectory("judge-shellcheck-").FullName, "broken.sh");
        File.WriteAllText(script, "#!/bin/sh\nrm -rf $1/*\n[ $x == 1 ] && echo yes\n");
        var (exit, output, _) = Tools.Run(Tools.OnPath("shellcheck", "shellcheck"), [script]);
        Directory.Delete(Path.GetDirectoryName(script)!, recursive: true);
        Assert.NotEqual(0, exit);
        Assert.Contains("SC2086", output);
    }
}
