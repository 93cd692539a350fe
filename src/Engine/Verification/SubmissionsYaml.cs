using System.Globalization;
using Judge.Engine.Verdicts;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Judge.Engine.Verification;

/// <summary>The expectations file of a package's <c>submissions/</c> folder: the Kattis format's <c>submissions.yaml</c>
/// (top-level keys are globs over submission paths) or BAPCtools' <c>expectations.yaml</c> (keys match by prefix). A value is
/// a map of <c>permitted</c>, <c>required</c>, <c>score</c>, <c>message</c> / <c>judge_message</c>, <c>language</c>, and test group
/// keys (<c>sample</c>, <c>secret/group1</c>) holding the same; or one of BAPCtools' words (<c>accepted</c>,
/// <c>wrong answer</c>, <c>time limit exceeded</c>, <c>runtime exception</c>, <c>does not terminate</c>, <c>not accepted</c>);
/// or a score.</summary>
public sealed class SubmissionsYaml
{
    /// <summary>The file names read, in this order (the first found is used).</summary>
    public static IReadOnlyList<string> FileNames { get; } = ["submissions.yaml", "expectations.yaml"];

    private static readonly HashSet<string> IgnoredKeys = new(StringComparer.Ordinal)
    {
        "authors", "author", "model_solution", "use_for_time_limit", "entrypoint", "fractional_score",
    };

    private readonly List<Entry> entries;

    private SubmissionsYaml(string fileName, List<Entry> entries)
    {
        FileName = fileName;
        this.entries = entries;
    }

    /// <summary>The file read (<c>submissions.yaml</c> or <c>expectations.yaml</c>).</summary>
    public string FileName { get; }

    private sealed record Entry(string Key, Func<string, bool> Matches, IReadOnlyList<ExpectationRule> Rules, string? Language);

    /// <summary>Reads the expectations file of <paramref name="submissionsDirectory"/>, or <c>null</c> when it has none.</summary>
    /// <exception cref="InvalidDataException">The file is malformed; the message names the file and the key.</exception>
    public static SubmissionsYaml? Read(string submissionsDirectory)
    {
        var fileName = FileNames.FirstOrDefault(name => File.Exists(Path.Combine(submissionsDirectory, name)));
        if (fileName is null)
            return null;
        var prefixMatching = fileName == "expectations.yaml";
        var stream = new YamlStream();
        try
        {
            using var reader = new StreamReader(Path.Combine(submissionsDirectory, fileName));
            stream.Load(reader);
        }
        catch (YamlException e)
        {
            throw new InvalidDataException($"submissions/{fileName}: not valid YAML: {e.Message}", e);
        }
        var entries = new List<Entry>();
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
            return new SubmissionsYaml(fileName, entries);
        if (stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new InvalidDataException($"submissions/{fileName}: must be a mapping of submission patterns");
        foreach (var (keyNode, value) in root.Children)
        {
            var key = ((YamlScalarNode)keyNode).Value ?? "";
            var where = $"submissions/{fileName}: {key}";
            var rules = new List<ExpectationRule>();
            var language = ReadValue(value, null, rules, where, topLevel: true);
            Func<string, bool> matches;
            if (prefixMatching)
                matches = path => path.StartsWith(key, StringComparison.Ordinal);
            else
            {
                var glob = TestGlob.Compile(key);
                matches = glob.Matches;
            }
            entries.Add(new Entry(key, matches, rules, language));
        }
        return new SubmissionsYaml(fileName, entries);
    }

    /// <summary>Whether an entry's key is exactly this directory name: it then replaces that directory's default rule.</summary>
    public ExpectationRule? DirectoryOverride(string directory, ExpectationRule? defaults)
    {
        var entry = entries.FirstOrDefault(e => e.Key.TrimEnd('/') == directory);
        if (entry is null || entry.Rules.Count == 0)
            return defaults;
        var own = entry.Rules.Where(r => r.Tests is null).ToList();
        if (own.Count == 0)
            return defaults;
        var rule = own[0];
        return new ExpectationRule
        {
            Permitted = rule.Permitted ?? defaults?.Permitted,
            Required = rule.Required ?? defaults?.Required,
            Final = rule.Final ?? defaults?.Final,
            Score = rule.Score ?? defaults?.Score,
            Message = rule.Message ?? defaults?.Message,
            MessageIgnoresCase = rule.Message is null ? defaults?.MessageIgnoresCase ?? false : rule.MessageIgnoresCase,
        };
    }

    /// <summary>The rules of every entry matching <paramref name="path"/> (a submission's path under <c>submissions/</c>),
    /// except the whole-directory rule of an entry that is exactly <paramref name="directory"/> (see <see cref="DirectoryOverride"/>).</summary>
    public IReadOnlyList<ExpectationRule> RulesFor(string path, string directory) =>
        entries.Where(e => e.Matches(path))
            .SelectMany(e => e.Key.TrimEnd('/') == directory ? e.Rules.Skip(e.Rules.Count > 0 && e.Rules[0].Tests is null ? 1 : 0) : e.Rules)
            .ToList();

    /// <summary>The language the file gives for <paramref name="path"/> (<c>language:</c>), or <c>null</c>.</summary>
    public string? LanguageFor(string path) => entries.LastOrDefault(e => e.Matches(path) && e.Language is not null)?.Language;

    /// <summary>Reads one value into <paramref name="rules"/> (its own rule first); answers its <c>language</c>.</summary>
    private static string? ReadValue(YamlNode value, string? tests, List<ExpectationRule> rules, string where, bool topLevel)
    {
        switch (value)
        {
            case YamlScalarNode scalar:
                rules.Add(Word(scalar.Value ?? "", where) with { Tests = tests });
                return null;
            case YamlSequenceNode sequence:
                rules.Add(new ExpectationRule { Tests = tests, Score = Score(sequence, where) });
                return null;
            case YamlMappingNode mapping:
                var rule = new ExpectationRule { Tests = tests };
                string? language = null;
                var nested = new List<ExpectationRule>();
                foreach (var (keyNode, child) in mapping.Children)
                {
                    var key = ((YamlScalarNode)keyNode).Value ?? "";
                    switch (key)
                    {
                        case "permitted":
                            rule = rule with { Permitted = VerdictList(child, $"{where}: permitted") };
                            break;
                        case "required":
                            rule = rule with { Required = VerdictList(child, $"{where}: required") };
                            break;
                        case "score":
                            rule = rule with { Score = Score(child, $"{where}: score") };
                            break;
                        case "message":
                            rule = rule with { Message = Text(child, $"{where}: message") };
                            break;
                        case "judge_message":
                            rule = rule with { Message = Text(child, $"{where}: judge_message"), MessageIgnoresCase = true };
                            break;
                        case "language" when topLevel:
                            language = Text(child, $"{where}: language");
                            break;
                        case var ignored when IgnoredKeys.Contains(ignored):
                            break;
                        default:
                            // A test group (relative to data/): the same kind of value, for its tests only.
                            if (tests is not null || !LooksLikeGroup(key))
                                throw new InvalidDataException($"{where}: '{key}' is neither a known key (permitted, required, score, message, language) nor a test group (sample, secret/...)");
                            ReadValue(child, key.TrimEnd('/'), nested, $"{where}: {key}", topLevel: false);
                            break;
                    }
                }
                if (rule.Permitted is not null || rule.Required is not null || rule.Score is not null || rule.Message is not null)
                    rules.Add(rule);
                rules.AddRange(nested);
                return language;
            default:
                throw new InvalidDataException($"{where}: expected a mapping, a word or a score");
        }
    }

    private static bool LooksLikeGroup(string key) =>
        key.StartsWith("sample", StringComparison.Ordinal) || key.StartsWith("secret", StringComparison.Ordinal)
        || key.StartsWith('*') || key.StartsWith('{');

    private static ExpectationRule Word(string word, string where)
    {
        if (double.TryParse(word, NumberStyles.Float, CultureInfo.InvariantCulture, out var score))
            return new ExpectationRule { Score = (score, score) };
        var failures = ExpectationRule.Set(Verdict.WA, Verdict.PE, Verdict.TLE, Verdict.MLE, Verdict.OLE, Verdict.RE);
        return word.Trim().ToLowerInvariant() switch
        {
            "accepted" or "full score" => new ExpectationRule { Permitted = ExpectationRule.Set(Verdict.AC) },
            "not accepted" => new ExpectationRule { Required = failures },
            _ => ExpectationRule.ForDirectory(word)
                ?? throw new InvalidDataException($"{where}: '{word}' is not an expectation (accepted, wrong answer, time limit exceeded, runtime exception, does not terminate, not accepted, or a score)"),
        };
    }

    private static IReadOnlySet<Verdict> VerdictList(YamlNode node, string where)
    {
        IEnumerable<string> tokens = node switch
        {
            YamlSequenceNode sequence => sequence.Children.Select(c => (c as YamlScalarNode)?.Value ?? throw new InvalidDataException($"{where}: expected a list of verdicts")),
            YamlScalarNode scalar => [scalar.Value ?? ""],
            _ => throw new InvalidDataException($"{where}: expected a list of verdicts"),
        };
        var verdicts = new HashSet<Verdict>();
        foreach (var token in tokens)
            verdicts.UnionWith(ExpectationRule.Verdicts(token) ?? throw new InvalidDataException($"{where}: '{token}' is not a verdict (AC, WA, TLE, RTE)"));
        return verdicts;
    }

    private static (double, double) Score(YamlNode node, string where)
    {
        static double Parse(YamlNode n, string where) =>
            n is YamlScalarNode { Value: { } text } && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                ? value
                : throw new InvalidDataException($"{where}: expected a number or a list of two numbers");
        return node switch
        {
            YamlSequenceNode { Children.Count: 2 } pair => (Parse(pair.Children[0], where), Parse(pair.Children[1], where)),
            YamlScalarNode => (Parse(node, where), Parse(node, where)),
            _ => throw new InvalidDataException($"{where}: expected a number or a list of two numbers"),
        };
    }

    private static string Text(YamlNode node, string where) =>
        node is YamlScalarNode { Value: { } text } ? text : throw new InvalidDataException($"{where}: expected a string");
}
