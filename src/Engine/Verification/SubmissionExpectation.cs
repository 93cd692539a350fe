using System.Globalization;
using Judge.Engine.Judging;
using Judge.Engine.Verdicts;

namespace Judge.Engine.Verification;

/// <summary>What a package says one of its submissions must get: the rules of its directory name, its
/// <c>@EXPECTED_RESULTS@</c> comment, <c>submissions.yaml</c>, or its <c>case.json</c>; and where that was read.</summary>
public sealed record SubmissionExpectation
{
    /// <summary>Where the expectation comes from (<c>directory wrong_answer</c>, <c>@EXPECTED_RESULTS@</c>, <c>case.json</c>, ...).</summary>
    public required string Origin { get; init; }

    /// <summary>Rules that must all hold.</summary>
    public IReadOnlyList<ExpectationRule> Rules { get; init; } = [];

    /// <summary>The checks of this repository's <c>case.json</c>, when the expectation comes from one.</summary>
    public PackageCase? Case { get; init; }

    /// <summary>Whether judging must run every test instead of stopping at the first failure (<c>case.json</c>'s <c>runAll</c>,
    /// or a rule about groups or messages).</summary>
    public bool RunAll => Case?.RunAll == true || Rules.Any(r => r.NeedsEveryTest);

    /// <summary>A short text of what is expected, for the verify table.</summary>
    public string Describe()
    {
        if (Case is { } c)
            return c.Score is { } score ? $"{c.Verdict} score {ExpectationRule.Number(score)}" : c.Verdict;
        return string.Join("; ", Rules.Select(r => r.Describe()).Where(t => t.Length > 0).Distinct());
    }

    /// <summary>Why <paramref name="report"/> does not meet this expectation; empty when it does.</summary>
    public IReadOnlyList<string> Disagreements(JudgeReport report)
    {
        var reasons = new List<string>();
        if (Case is { } c)
            reasons.AddRange(c.Disagreements(report));
        foreach (var rule in Rules)
            reasons.AddRange(Check(rule, report));
        return reasons;
    }

    private static IEnumerable<string> Check(ExpectationRule rule, JudgeReport report)
    {
        // A submission that never reached its tests (CE, or IE before the first test) counts as one test with its verdict.
        var judged = report.Tests.Where(t => t.Verdict != Verdict.SK).Select(t => (t.Name, t.Verdict, t.JudgeMessage)).ToList();
        if (judged.Count == 0 && report.Tests.All(t => t.Verdict == Verdict.SK))
            judged.Add(("(submission)", report.Verdict, report.Message));
        var scope = rule.Tests is null ? "" : $" in {rule.Tests}";
        if (rule.Tests is { } pattern)
        {
            var glob = TestGlob.Compile(pattern);
            judged = judged.Where(t => glob.Matches(t.Name)).ToList();
        }

        if (rule.Final is { } final && !final.Contains(report.Verdict))
            yield return $"verdict {report.Verdict}, expected {Describe(final)}";
        if (rule.Permitted is { } permitted && judged.FirstOrDefault(t => !permitted.Contains(t.Verdict)) is { Name: not null } stray)
            yield return $"test {stray.Name} got {stray.Verdict}, only {Describe(permitted)} permitted{scope}";
        if (rule.Required is { } required && !judged.Any(t => required.Contains(t.Verdict)))
        {
            yield return judged.Count == 0
                ? $"no test{scope} was judged, expected one with {Describe(required)}"
                : $"no test{scope} got {Describe(required)} (got {string.Join(", ", judged.Select(t => t.Verdict).Distinct())})";
        }
        if (rule.Score is { } range)
        {
            const double tolerance = 1e-6;
            if (report.Score is not { } score)
                yield return $"no score, expected {ExpectationRule.Number(range.Min)}{(range.Min == range.Max ? "" : $"-{ExpectationRule.Number(range.Max)}")}";
            else if (score < range.Min - tolerance || score > range.Max + tolerance)
                yield return $"score {ExpectationRule.Number(score)}, expected {ExpectationRule.Number(range.Min)}{(range.Min == range.Max ? "" : $"-{ExpectationRule.Number(range.Max)}")}";
        }
        if (rule.Message is { } message)
        {
            var comparison = rule.MessageIgnoresCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
            if (!judged.Any(t => t.JudgeMessage?.Contains(message, comparison) == true))
                yield return $"no judge message{scope} contains \"{message}\"";
        }
    }

    private static string Describe(IReadOnlySet<Verdict> verdicts) =>
        string.Join('|', verdicts.Order().Select(v => v.ToString()));
}

/// <summary>A glob over test names (<c>secret/*-easy</c>, <c>{sample,secret/small}</c>): <c>*</c> matches within one name,
/// braces give alternatives; a test matches when its name or one of its groups does.</summary>
internal sealed class TestGlob
{
    private readonly System.Text.RegularExpressions.Regex regex;

    private TestGlob(System.Text.RegularExpressions.Regex regex) => this.regex = regex;

    public static TestGlob Compile(string pattern)
    {
        var builder = new System.Text.StringBuilder("^(?:");
        var depth = 0;
        foreach (var c in pattern.Trim().TrimEnd('/'))
        {
            switch (c)
            {
                case '*': builder.Append("[^/]*"); break;
                case '{': builder.Append("(?:"); depth++; break;
                case '}' when depth > 0: builder.Append(')'); depth--; break;
                case ',' when depth > 0: builder.Append('|'); break;
                default: builder.Append(System.Text.RegularExpressions.Regex.Escape(c.ToString(CultureInfo.InvariantCulture))); break;
            }
        }
        builder.Append(')', depth + 1).Append("(?:/.*)?$");
        return new TestGlob(new System.Text.RegularExpressions.Regex(builder.ToString(), System.Text.RegularExpressions.RegexOptions.CultureInvariant));
    }

    /// <summary>Whether <paramref name="name"/> (a test's or submission's path) or one of its parent directories matches.</summary>
    public bool Matches(string name) => regex.IsMatch(name);
}
