namespace Judge.Sandbox.IntegrationTests;

/// <summary>The HTTP level of the package suite runs fewer hostile cases than the engine level, but still every language,
/// expected verdict and kind of host effect, every case outside the hostile package, and every case about the silo's secret.</summary>
public class SuiteCasesTests
{
    private static string Verdicts(SuiteCase c) => string.Join(',', (c.Case?.Verdicts ?? []).Order(StringComparer.Ordinal));

    private static string EffectKind(SuiteCase c) => (c.Case?.Effect ?? "none").Split(':')[0];

    [Fact]
    public void The_http_level_judges_every_language_verdict_and_host_effect_the_engine_level_judges()
    {
        var all = SuiteCases.All;
        var overHttp = SuiteCases.OverHttp;

        Assert.All(overHttp, c => Assert.Contains(c, all));
        Assert.Equal(all.Select(c => $"{c.Submission.Language} {Verdicts(c)}").Distinct().Order(StringComparer.Ordinal),
            overHttp.Select(c => $"{c.Submission.Language} {Verdicts(c)}").Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(all.Select(EffectKind).Distinct().Order(StringComparer.Ordinal), overHttp.Select(EffectKind).Distinct().Order(StringComparer.Ordinal));
        Assert.All(all.Where(c => c.Package != SuiteCases.HostilePackage || EffectKind(c) == "output-lacks"), c => Assert.Contains(c, overHttp));
    }

    [Fact]
    public void The_http_level_leaves_out_only_hostile_cases_that_repeat_a_language_verdict_and_effect_it_judges()
    {
        var left = SuiteCases.All.Except(SuiteCases.OverHttp).ToList();

        Assert.All(left, c => Assert.Equal(SuiteCases.HostilePackage, c.Package));
        Assert.All(left, c => Assert.Contains(SuiteCases.OverHttp, kept => kept.Package == SuiteCases.HostilePackage &&
            kept.Submission.Language == c.Submission.Language && Verdicts(kept) == Verdicts(c)));
    }
}
