using Judge.Grains.Submissions;

namespace Judge.Grains.IntegrationTests;

/// <summary>How the survivors of a silo's death split the unfinished submissions they wake.</summary>
public class SubmissionRecoveryTests
{
    private static readonly List<string> Ids = Enumerable.Range(0, 3000).Select(i => $"sub-{i}-{i * 7919 % 1000}").ToList();

    [Fact]
    public void Every_unfinished_submission_is_woken_by_exactly_one_active_silo()
    {
        string[] silos = ["S10.0.0.1:11111:1", "S10.0.0.2:11111:1", "S10.0.0.3:11111:1"];

        var shares = silos.Select(silo => SubmissionRecovery.Share(Ids, silos, silo)).ToList();

        Assert.Equal(Ids.Order(), shares.SelectMany(s => s).Order());
        Assert.Equal(Ids.Count, shares.SelectMany(s => s).Distinct().Count());
        // Spread over all three, roughly evenly.
        Assert.All(shares, share => Assert.InRange(share.Count, Ids.Count / 3 - 150, Ids.Count / 3 + 150));
    }

    [Fact]
    public void The_split_depends_only_on_the_ids_and_the_active_silos()
    {
        string[] silos = ["S10.0.0.1:11111:1", "S10.0.0.2:11111:1"];

        Assert.Equal(SubmissionRecovery.Share(Ids, silos, silos[1]), SubmissionRecovery.Share(Ids.ToList(), silos.ToList(), silos[1]));
    }

    [Fact]
    public void A_silo_not_among_the_active_ones_wakes_them_all()
    {
        string[] silos = ["S10.0.0.1:11111:1", "S10.0.0.2:11111:1"];

        Assert.Equal(Ids, SubmissionRecovery.Share(Ids, silos, "S10.0.0.9:11111:1"));
    }
}
