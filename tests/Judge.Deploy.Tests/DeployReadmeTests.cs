using System.Text.RegularExpressions;

namespace Judge.Deploy.Tests;

/// <summary>The deploy READMEs against the repository: every path they mention exists, every configuration key they
/// name is read by the code.</summary>
public partial class DeployReadmeTests
{
    public static TheoryData<string> Readmes => new() { "deploy/README.md", "deploy/aws/README.md" };

    [Theory]
    [MemberData(nameof(Readmes))]
    public void Every_path_the_readme_mentions_exists(string readme)
    {
        var missing = MissingPaths(File.ReadAllText(Path.Combine(Repository.Root, readme)), Path.GetDirectoryName(readme)!, Repository.Root);
        Assert.True(missing.Count == 0, $"{readme} mentions paths that do not exist: {string.Join(", ", missing)}");
    }

    [Theory]
    [MemberData(nameof(Readmes))]
    public void Every_configuration_key_the_readme_names_is_read_by_the_code(string readme)
    {
        var unknown = UnknownKeys(File.ReadAllText(Path.Combine(Repository.Root, readme)), SourceText(Repository.Root));
        Assert.True(unknown.Count == 0, $"{readme} names configuration keys no code reads: {string.Join(", ", unknown)}");
    }

    [Theory]
    [MemberData(nameof(Readmes))]
    public void Every_cdk_context_key_and_instance_tag_the_readme_names_is_in_the_app(string readme)
    {
        // judge:<key> is a CDK context key the app reads (JudgeSettings.cs) or an instance tag the EC2 stack sets.
        var settings = File.ReadAllText(Path.Combine(Repository.Root, "deploy", "aws", "JudgeSettings.cs"));
        var ec2 = File.ReadAllText(Path.Combine(Repository.Root, "deploy", "aws", "Stacks", "JudgeEc2Stack.cs"));
        var unknown = ContextKeyRegex().Matches(File.ReadAllText(Path.Combine(Repository.Root, readme)))
            .Select(m => m.Groups[1].Value).Distinct()
            .Where(key => !settings.Contains($"(\"{key}\"", StringComparison.Ordinal) && !ec2.Contains($"[\"judge:{key}\"]", StringComparison.Ordinal))
            .ToList();
        Assert.True(unknown.Count == 0, $"{readme} names judge: keys that deploy/aws neither reads nor sets: {string.Join(", ", unknown.Select(k => "judge:" + k))}");
    }

    [Fact]
    public void A_missing_path_and_an_unknown_key_are_both_reported()
    {
        const string text = """
            See [the k8s guide](nope/README.md) and `deploy/sql/0001_orleans.sql`, then `deploy/ec2/user-data/<pool>.sh`,
            `Judge:Recovery:DrainTimeout`, `Judge__Nope__Setting` and `ConnectionStrings__Judge`.
            """;
        var missing = MissingPaths(text, "deploy", Repository.Root);
        Assert.Contains("nope/README.md", missing);
        Assert.DoesNotContain("deploy/sql/0001_orleans.sql", missing);
        Assert.Equal(["Judge:Nope:Setting"], UnknownKeys(text, SourceText(Repository.Root)));
    }

    /// <summary>Links (relative to the README's directory) and repository paths (from the root, <c>&lt;name&gt;</c> as a
    /// wildcard) that match no file or directory.</summary>
    private static List<string> MissingPaths(string text, string readmeDirectory, string root)
    {
        var missing = new List<string>();
        foreach (Match link in LinkRegex().Matches(text))
        {
            var target = link.Groups[1].Value.Split('#')[0];
            if (target.Length == 0 || target.Contains("://", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.Ordinal))
                continue;
            if (!Exists(Path.GetFullPath(Path.Combine(root, readmeDirectory, target)), root))
                missing.Add(target);
        }
        foreach (Match path in RepoPathRegex().Matches(text))
        {
            var relative = path.Value.TrimEnd('.', ',', ':', ';', ')');
            if (!Exists(Path.Combine(root, relative), root))
                missing.Add(relative);
        }
        return missing.Distinct().ToList();
    }

    private static bool Exists(string path, string root)
    {
        if (!path.Contains('<'))
            return File.Exists(path) || Directory.Exists(path);
        // deploy/ec2/user-data/<pool>.sh: some file or directory where each <...> stands for any name
        IEnumerable<string> candidates = [root];
        foreach (var segment in Path.GetRelativePath(root, path).Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var pattern = new Regex("^" + Regex.Replace(Regex.Escape(segment), @"<[^>]*>", "[^/]+") + "$");
            candidates = candidates.Where(Directory.Exists)
                .SelectMany(c => Directory.EnumerateFileSystemEntries(c).Where(e => pattern.IsMatch(Path.GetFileName(e)))).ToList();
        }
        return candidates.Any();
    }

    /// <summary>Keys (<c>Judge:...</c>, <c>ConnectionStrings:...</c>, or their <c>__</c> environment form) that appear
    /// nowhere in the source.</summary>
    private static List<string> UnknownKeys(string text, string source) =>
        KeyRegex().Matches(text).Select(m => m.Value.Replace("__", ":", StringComparison.Ordinal).TrimEnd(':')).Distinct()
            .Where(key => !source.Contains(key, StringComparison.Ordinal)).ToList();

    private static string SourceText(string root) =>
        string.Join('\n', Directory.EnumerateFiles(Path.Combine(root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(File.ReadAllText));

    [GeneratedRegex(@"\]\(([^)\s]+)\)")]
    private static partial Regex LinkRegex();

    [GeneratedRegex(@"(?<![\w/.<>-])(deploy|src|tests|scripts|docs|examples)/[\w./<>-]*")]
    private static partial Regex RepoPathRegex();

    [GeneratedRegex(@"(?<![\w:.])(Judge|ConnectionStrings)(:|__)[A-Za-z0-9:_]+")]
    private static partial Regex KeyRegex();

    [GeneratedRegex(@"(?<![\w:])judge:([A-Za-z0-9][A-Za-z0-9-]*)")]
    private static partial Regex ContextKeyRegex();
}
