using Verdict = Judge.Engine.Verdicts.Verdict;

namespace Judge.Grains.IntegrationTests;

/// <summary>The fan-out of tests across silos when the silo judging a range dies in the middle of it: nothing of the range
/// is lost or judged twice in the report; the submission's silo judges the range's tests itself. A class of its own because
/// it kills one of its fixture's two silos.</summary>
[Collection(ProcessWideMetricsCollection.Name)]
public sealed class RangeSiloLossTests(RangeSiloLossTests.LossFixture fixture) : IClassFixture<RangeSiloLossTests.LossFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task A_silo_killed_in_the_middle_of_a_range_leaves_its_tests_to_the_submissions_silo()
    {
        await fixture.UntilIdleAsync();
        fixture.ResetProbes();

        var judging = fixture.FanOutOnAsync(0, FanOutAcrossSilosTests.Fixture.Sleepy, runAll: false);
        await Waiting.Until(() => fixture.Probe(1).Tests.Count >= 2 || judging.IsCompleted, "the second silo to judge tests of a range", Patience);
        Assert.False(judging.IsCompleted, "the submission was judged before any range reached the second silo");
        var there = fixture.Probe(1);
        await fixture.Cluster.KillSiloAsync(fixture.Cluster.Silos[1]);

        var (report, progress) = await judging; // within the fixture's patience (FanOutOnAsync)
        var ranThere = there.Tests; // it may have brought outcomes back as it stopped

        Assert.Equal(Verdict.AC, report.Verdict);
        // Every test once, in order, each accepted: as judged one after another.
        Assert.Equal(Enumerable.Range(0, FanOutAcrossSilosTests.Fixture.Tests), progress.Judged.Select(t => t.Index));
        Assert.All(progress.Judged, t => Assert.Equal(Verdict.AC, t.Outcome.Verdict));
        Assert.Equal(report.Tests.Select(t => t.Name), progress.Judged.Select(t => t.Outcome.Name));
        // Each test the killed silo had not judged when it died was judged on the submission's silo.
        var ranHere = fixture.Probe(0).Tests;
        var missing = Enumerable.Range(0, FanOutAcrossSilosTests.Fixture.Tests).Select(FanOutAcrossSilosTests.Fixture.TestName)
            .Where(t => !ranHere.Contains(t) && !ranThere.Contains(t)).ToList();
        Assert.True(missing.Count == 0, $"judged on neither silo: {string.Join(", ", missing)}");
        Assert.True(ranHere.Count > FanOutAcrossSilosTests.Fixture.Tests / 2, $"the submission's silo judged only {ranHere.Count} tests: the range's tests were not taken back");
    }

    /// <summary>Two silos as in <see cref="FanOutAcrossSilosTests"/>, with daemons of their own uids.</summary>
    public sealed class LossFixture : FanOutAcrossSilosTests.Fixture
    {
        protected override int UidBase => 108512;
    }
}
