using Judge.Engine.Judging;
using Judge.Engine.Problems;
using Judge.Engine.Verdicts;

namespace Judge.Engine.UnitTests.Verdicts;

public class ScoreRulesTests
{
    private static TestGroupChild Test(string name) => new(new TestCase(name, Path.GetDirectoryName(name)!, "in", "ans"), null);

    private static TestGroupChild Group(string name, GroupSettings settings, params TestGroupChild[] children) =>
        new(null, new TestGroup(name, settings, children));

    private static readonly GroupSettings Sum = GroupSettings.Default;
    private static readonly GroupSettings Min = GroupSettings.Default with { Aggregation = ScoreAggregation.Min };

    private static Dictionary<string, TestOutcome> Outcomes(params (string Name, Verdict Verdict, double? Score)[] tests) =>
        tests.ToDictionary(t => t.Name, t => new TestOutcome(t.Name, t.Verdict, TimeSpan.Zero, TimeSpan.Zero, 0) { Score = t.Score });

    private static TestGroup TwoSubtasks(GroupSettings? second = null) => new("", Sum,
    [
        Group("sample", Sum with { MaxScore = 0 }, Test("sample/1")),
        Group("secret", Sum,
            Group("secret/g1", Min with { MaxScore = 30 }, Test("secret/g1/1"), Test("secret/g1/2")),
            Group("secret/g2", second ?? Min with { MaxScore = 70 }, Test("secret/g2/1"), Test("secret/g2/2"))),
    ]);

    [Fact]
    public void All_accepted_earns_every_group_and_samples_count_nothing()
    {
        var outcomes = Outcomes(("sample/1", Verdict.WA, 0), ("secret/g1/1", Verdict.AC, 1), ("secret/g1/2", Verdict.AC, 1),
            ("secret/g2/1", Verdict.AC, 1), ("secret/g2/2", Verdict.AC, 1));

        Assert.Equal((100, 100), ScoreRules.ForProblem(TwoSubtasks(), outcomes));
    }

    [Fact]
    public void Min_group_is_all_or_nothing()
    {
        var outcomes = Outcomes(("sample/1", Verdict.AC, 1), ("secret/g1/1", Verdict.AC, 1), ("secret/g1/2", Verdict.AC, 1),
            ("secret/g2/1", Verdict.AC, 1), ("secret/g2/2", Verdict.TLE, 0));

        Assert.Equal((30, 100), ScoreRules.ForProblem(TwoSubtasks(), outcomes));
    }

    [Fact]
    public void Sum_group_splits_its_maximum_among_its_tests()
    {
        var outcomes = Outcomes(("sample/1", Verdict.AC, 1), ("secret/g1/1", Verdict.AC, 1), ("secret/g1/2", Verdict.AC, 1),
            ("secret/g2/1", Verdict.AC, 1), ("secret/g2/2", Verdict.WA, 0));

        Assert.Equal((65, 100), ScoreRules.ForProblem(TwoSubtasks(Sum with { MaxScore = 70 }), outcomes));
    }

    [Fact]
    public void Checker_fractions_scale_a_tests_points()
    {
        var outcomes = Outcomes(("sample/1", Verdict.AC, 1), ("secret/g1/1", Verdict.AC, 0.5), ("secret/g1/2", Verdict.AC, 1),
            ("secret/g2/1", Verdict.AC, 0.25), ("secret/g2/2", Verdict.AC, 1));

        Assert.Equal((15 + 8.75 + 35, 100), ScoreRules.ForProblem(TwoSubtasks(Sum with { MaxScore = 70 }), outcomes));
    }

    [Fact]
    public void Require_pass_withholds_a_groups_points_until_the_required_group_passes()
    {
        var outcomes = Outcomes(("sample/1", Verdict.AC, 1), ("secret/g1/1", Verdict.WA, 0), ("secret/g1/2", Verdict.SK, 0),
            ("secret/g2/1", Verdict.AC, 1), ("secret/g2/2", Verdict.AC, 1));

        Assert.Equal((70, 100), ScoreRules.ForProblem(TwoSubtasks(), outcomes));
        Assert.Equal((0, 100), ScoreRules.ForProblem(TwoSubtasks(Min with { MaxScore = 70, RequirePass = ["secret/g1"] }), outcomes));
    }

    [Fact]
    public void Without_maxima_each_accepted_test_is_worth_its_accept_score()
    {
        var data = new TestGroup("", Sum,
        [
            Group("secret", Sum with { AcceptScore = 2 }, Test("secret/1"), Test("secret/2"), Test("secret/3")),
        ]);
        var outcomes = Outcomes(("secret/1", Verdict.AC, 1), ("secret/2", Verdict.AC, 0.5), ("secret/3", Verdict.RE, 0));

        Assert.Equal((3, 6), ScoreRules.ForProblem(data, outcomes));
    }

    [Fact]
    public void A_pass_fail_problem_scores_1_of_1_when_accepted_and_0_of_1_otherwise()
    {
        Assert.Equal((1.0, 1.0), ScoreRules.PassFail(accepted: true));
        Assert.Equal((0.0, 1.0), ScoreRules.PassFail(accepted: false));
    }
}
