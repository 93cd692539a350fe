using System.Text.RegularExpressions;
using Judge.Engine.Verdicts;

namespace Judge.Engine.Verification;

/// <summary>DOMjudge's and BAPCtools' <c>@EXPECTED_RESULTS@: A, B</c> comment in a submission's source: the submission's verdict
/// must be one of them, and every judged test accepted or one of them.</summary>
public static partial class ExpectedResults
{
    /// <summary>The rule the source's comment states, or <c>null</c> when it has none.</summary>
    /// <exception cref="InvalidDataException">The comment names a verdict that does not exist.</exception>
    public static ExpectationRule? Read(string source)
    {
        var match = Comment().Match(source);
        if (!match.Success)
            return null;
        var verdicts = new HashSet<Verdict>();
        foreach (var token in match.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (token.Equals("CHECK-MANUALLY", StringComparison.OrdinalIgnoreCase))
                continue; // DOMjudge: a human decides; nothing to check
            var named = ExpectationRule.Verdicts(token)
                ?? throw new InvalidDataException($"@EXPECTED_RESULTS@ names an unknown verdict '{token}'");
            verdicts.UnionWith(named);
        }
        if (verdicts.Count == 0)
            return null;
        return new ExpectationRule { Final = verdicts, Permitted = new HashSet<Verdict>(verdicts) { Verdict.AC } };
    }

    [GeneratedRegex(@"@EXPECTED_RESULTS@\s*:\s*([A-Za-z_, \t-]+)", RegexOptions.IgnoreCase)]
    private static partial Regex Comment();
}
