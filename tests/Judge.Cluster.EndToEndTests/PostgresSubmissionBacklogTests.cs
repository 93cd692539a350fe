using Judge.Interfaces;
using Judge.Silo.Database;

namespace Judge.Cluster.EndToEndTests;

/// <summary>The backlog of a cluster with a database (<c>GET /api/cluster/backlog</c>, which each pool's autoscaler reads):
/// the rows the submission grains write through <see cref="PostgresSubmissionResults"/>, on a real PostgreSQL server.</summary>
public sealed class PostgresSubmissionBacklogTests(IndexDatabase fixture) : IClassFixture<IndexDatabase>
{
    private static readonly DateTimeOffset Created = new(2026, 12, 5, 9, 0, 0, TimeSpan.Zero);

    private Task RecordAsync(string id, string language, SubmissionStatus status, long revision, int judging = 1) =>
        new PostgresSubmissionResults(fixture.Database).RecordAsync(new Submission
        {
            Id = id,
            Problem = "aplusb",
            Language = language,
            Status = status,
            Verdict = status == SubmissionStatus.Finished ? Verdict.AC : null,
            CreatedAt = Created,
            FinishedAt = status == SubmissionStatus.Finished ? Created.AddSeconds(revision) : null,
            Judging = judging,
        }, revision);

    [Fact]
    public async Task A_pool_sees_only_its_own_languages_unfinished_submissions()
    {
        var backlog = new PostgresSubmissionBacklog(fixture.Database);
        var run = Guid.NewGuid().ToString("N")[..8];
        // A flood of Python, one C++ submission being judged, and finished ones of both.
        for (var i = 0; i < 5; i++)
            await RecordAsync($"py-{run}-{i}", "python3", SubmissionStatus.Queued, revision: 1);
        await RecordAsync($"cpp-{run}-0", "cpp17", SubmissionStatus.Queued, revision: 1);
        await RecordAsync($"cpp-{run}-0", "cpp17", SubmissionStatus.Running, revision: 2);
        await RecordAsync($"cpp-{run}-1", "cpp20", SubmissionStatus.Compiling, revision: 1);
        await RecordAsync($"cpp-{run}-2", "cpp17", SubmissionStatus.Finished, revision: 3);
        await RecordAsync($"py-{run}-done", "python3", SubmissionStatus.Finished, revision: 3);

        var cpp = await backlog.CountAsync(["cpp17", "cpp20", "c11"]);
        Assert.Equal(new Dictionary<string, int> { ["cpp17"] = 1, ["cpp20"] = 1, ["c11"] = 0 }, cpp);
        var python = await backlog.CountAsync(["python3", "pypy3"]);
        Assert.Equal(new Dictionary<string, int> { ["python3"] = 5, ["pypy3"] = 0 }, python);

        // Judged: out of the backlog. Rejudged: back in it, as work for the pool again.
        await RecordAsync($"cpp-{run}-0", "cpp17", SubmissionStatus.Finished, revision: 3);
        Assert.Equal(0, (await backlog.CountAsync(["cpp17"]))["cpp17"]);
        await RecordAsync($"cpp-{run}-0", "cpp17", SubmissionStatus.Queued, revision: 4, judging: 2);
        Assert.Equal(1, (await backlog.CountAsync(["cpp17"]))["cpp17"]);
        Assert.Empty(await backlog.CountAsync([]));
    }
}
