using System.Text.RegularExpressions;

namespace Judge.Deploy.Tests;

/// <summary>The rules of a .dockerignore file: a path is out of the build context when the last pattern matching it, or one
/// of its parent directories, is not negated (<c>*</c> within a name, <c>**</c> across directories).</summary>
internal sealed class DockerIgnore(IReadOnlyList<(Regex Pattern, bool Negated)> rules)
{
    public static DockerIgnore Load(string path) => new(File.ReadAllLines(path)
        .Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'))
        .Select(l => (Pattern: ToRegex(l.TrimStart('!').Trim('/')), Negated: l.StartsWith('!'))).ToList());

    private static Regex ToRegex(string pattern)
    {
        var regex = Regex.Escape(pattern).Replace(@"\*\*/", "(.*/)?").Replace(@"\*\*", ".*").Replace(@"\*", "[^/]*").Replace(@"\?", "[^/]");
        return new Regex("^" + regex + "$");
    }

    public bool Excludes(string relativePath)
    {
        var parts = relativePath.Split('/');
        var prefixes = Enumerable.Range(1, parts.Length).Select(n => string.Join('/', parts.Take(n))).ToList();
        var excluded = false;
        foreach (var (pattern, negated) in rules)
            if (prefixes.Any(pattern.IsMatch))
                excluded = !negated;
        return excluded;
    }
}
