using Judge.Engine.Judging;
using Judge.Engine.Problems;

namespace Judge.Engine.Verdicts;

/// <summary>The one place that turns test outcomes into a score: of a scoring problem (docs/PROBLEMS.md, "Scoring").</summary>
/// <remarks>
/// A test earns its points times its fraction (1 when accepted without a reported score, the checker's fraction otherwise, 0 when
/// not accepted). A group's maximum is its <c>max_score</c>, else what its parent gives it, else what its children add up to
/// (a test without a maximum above it is worth <c>accept_score</c>, 1 by default). A group shares its maximum among its children:
/// <c>sum</c> splits it evenly among the children without a <c>max_score</c> of their own; <c>min</c> gives each child the
/// whole of it and the group earns the smallest fraction any child earned. A group whose <c>require_pass</c> groups are not
/// all accepted earns nothing.
/// </remarks>
public static class ScoreRules
{
    /// <summary>The score of a submission to a pass-fail problem (one that is not scoring): 1 of 1 when accepted, else 0 of 1.</summary>
    public static (double Score, double MaxScore) PassFail(bool accepted) => (accepted ? 1 : 0, 1);

    /// <summary>The points <paramref name="data"/> earns with these outcomes (by test name), and the most it could earn.</summary>
    public static (double Score, double MaxScore) ForProblem(TestGroup data, IReadOnlyDictionary<string, TestOutcome> outcomes)
    {
        var (score, max) = Evaluate(data, null, outcomes);
        return (Round(score), Round(max));
    }

    private static (double Score, double Max) Evaluate(TestGroup group, double? given, IReadOnlyDictionary<string, TestOutcome> outcomes)
    {
        var settings = group.Settings;
        var max = settings.MaxScore ?? given;
        var children = group.Children;
        var shares = new double?[children.Count];
        if (max is { } total)
        {
            if (settings.Aggregation == ScoreAggregation.Min)
            {
                Array.Fill(shares, total);
            }
            else
            {
                var explicitSum = children.Sum(c => c.Group?.Settings.MaxScore ?? 0);
                var implicitCount = children.Count(c => c.Group?.Settings.MaxScore is null);
                var share = implicitCount == 0 ? 0 : Math.Max(0, total - explicitSum) / implicitCount;
                for (var i = 0; i < children.Count; i++)
                    shares[i] = children[i].Group?.Settings.MaxScore is null ? share : null;
            }
        }

        var results = new List<(double Score, double Max)>(children.Count);
        for (var i = 0; i < children.Count; i++)
        {
            var child = children[i];
            if (child.Group is { } subgroup)
            {
                results.Add(Evaluate(subgroup, shares[i], outcomes));
                continue;
            }

            var testMax = shares[i] ?? settings.AcceptScore;
            var fraction = outcomes.TryGetValue(child.Test!.Name, out var outcome) && outcome.Verdict == Verdict.AC ? outcome.Score ?? 1 : 0;
            results.Add((testMax * fraction, testMax));
        }

        double score;
        double groupMax;
        if (settings.Aggregation == ScoreAggregation.Min)
        {
            groupMax = max ?? (results.Count == 0 ? 0 : results.Min(r => r.Max));
            var fraction = results.Count == 0 ? 0 : results.Min(r => r.Max <= 0 ? 1 : r.Score / r.Max);
            score = groupMax * fraction;
        }
        else
        {
            groupMax = max ?? results.Sum(r => r.Max);
            score = results.Sum(r => r.Score);
        }

        if (settings.RequirePass.Count > 0 && !settings.RequirePass.All(name => Passed(name, outcomes)))
            score = 0;
        return (Math.Clamp(score, 0, groupMax), groupMax);
    }

    /// <summary>Whether every test of the group named <paramref name="name"/> (a path under data/) was accepted.</summary>
    private static bool Passed(string name, IReadOnlyDictionary<string, TestOutcome> outcomes) =>
        outcomes.Where(o => o.Key.StartsWith(name + "/", StringComparison.Ordinal)).All(o => o.Value.Verdict == Verdict.AC)
        && outcomes.Keys.Any(key => key.StartsWith(name + "/", StringComparison.Ordinal));

    private static double Round(double value) => Math.Round(value, 6);
}
