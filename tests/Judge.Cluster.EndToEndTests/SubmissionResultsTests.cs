using System.Collections.Immutable;
using Judge.Interfaces;
using Judge.Silo.Database;
using Npgsql;

namespace Judge.Cluster.EndToEndTests;

/// <summary>The results writer: at-least-once, out-of-order writes leave exactly one row per submission with the
/// newest state, and a finished row is never replaced.</summary>
[Collection(JudgeClusterCollection.Name)]
public class SubmissionResultsTests(JudgeCluster cluster)
{
    private static readonly DateTimeOffset Created = new(2026, 11, 28, 9, 0, 0, TimeSpan.Zero);

    private static Submission Running(string id, params string[] passed) => new()
    {
        Id = id,
        Problem = "aplusb",
        Language = "python3",
        Status = SubmissionStatus.Running,
        CreatedAt = Created,
        TestCount = 3,
        Tests = [.. passed.Select(name => new TestResult(name, Verdict.AC, 10, 20, 3000, 0))],
    };

    private static Submission Finished(string id) => Running(id, "sample/1", "sample/2", "secret/1") with
    {
        Status = SubmissionStatus.Finished,
        Verdict = Verdict.AC,
        Score = 1,
        TimeMs = 10,
        MemoryKb = 3000,
        JudgedBy = "S127.0.0.1:11111:1",
        FinishedAt = Created.AddSeconds(2),
    };

    private async Task<(string Status, long Revision, int Rows, int Tests)> ReadAsync(string id)
    {
        await using var connection = await cluster.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT max(status), max(revision), count(*),
                   (SELECT count(*) FROM judge_test_results WHERE submission_id = $1)
              FROM judge_submissions WHERE id = $1
            """, connection) { Parameters = { new() { Value = id } } };
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetString(0), reader.GetInt64(1), (int)reader.GetInt64(2), (int)reader.GetInt64(3));
    }

    private PostgresSubmissionResults Results(NpgsqlDataSource database) => new(database);

    [Fact]
    public async Task Repeated_and_late_writes_keep_one_row_with_the_newest_state()
    {
        await using var database = NpgsqlDataSource.Create(cluster.ConnectionString);
        var results = Results(database);
        var id = $"results-{Guid.NewGuid():N}";

        await results.RecordAsync(Running(id, "sample/1", "sample/2"), 5);
        await results.RecordAsync(Running(id, "sample/1", "sample/2"), 5); // a retried write
        await results.RecordAsync(Running(id, "sample/1"), 4);             // a late, older write
        Assert.Equal(("running", 5L, 1, 2), await ReadAsync(id));
    }

    [Fact]
    public async Task The_final_verdict_is_never_overwritten()
    {
        await using var database = NpgsqlDataSource.Create(cluster.ConnectionString);
        var results = Results(database);
        var id = $"results-{Guid.NewGuid():N}";

        await results.RecordAsync(Finished(id), 9);
        await results.RecordAsync(Running(id, "sample/1"), 8);
        await results.RecordAsync(Running(id), 10); // even a newer revision cannot reopen a finished submission
        Assert.Equal(("finished", 9L, 1, 3), await ReadAsync(id));
    }

    private async Task<List<(int Judging, string Verdict)>> JudgingRowsAsync(string id)
    {
        await using var connection = await cluster.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT judging, verdict FROM judge_judgings WHERE submission_id = $1 ORDER BY judging", connection)
        {
            Parameters = { new() { Value = id } },
        };
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(int, string)>();
        while (await reader.ReadAsync())
            rows.Add((reader.GetInt32(0), reader.GetString(1)));
        return rows;
    }

    [Fact]
    public async Task A_rejudge_reopens_a_finished_row_and_each_finished_judging_keeps_its_row()
    {
        await using var database = NpgsqlDataSource.Create(cluster.ConnectionString);
        var results = Results(database);
        var id = $"results-{Guid.NewGuid():N}";
        var first = Finished(id);
        await results.RecordAsync(first, 9);
        Assert.Equal([(1, "AC")], await JudgingRowsAsync(id));

        var earlier = new JudgingSummary(1, Verdict.AC, 1, 1, 10, 3000, null, first.FinishedAt, first.JudgedBy);
        var rejudged = Running(id) with { Status = SubmissionStatus.Queued, Judging = 2, Judgings = [earlier] };
        await results.RecordAsync(rejudged, 10);
        Assert.Equal(("queued", 10L, 1, 0), await ReadAsync(id));
        await results.RecordAsync(first, 9); // a late copy of judging 1 changes nothing
        Assert.Equal(("queued", 10L, 1, 0), await ReadAsync(id));

        var second = Finished(id) with { Verdict = Verdict.WA, Score = 0, Judging = 2, Judgings = [earlier] };
        await results.RecordAsync(second, 12);
        await results.RecordAsync(second, 12); // a retried write
        Assert.Equal(("finished", 12L, 1, 3), await ReadAsync(id));
        Assert.Equal([(1, "AC"), (2, "WA")], await JudgingRowsAsync(id));
    }

    [Fact]
    public async Task A_new_judging_attempt_drops_the_test_rows_of_the_old_one()
    {
        await using var database = NpgsqlDataSource.Create(cluster.ConnectionString);
        var results = Results(database);
        var id = $"results-{Guid.NewGuid():N}";

        await results.RecordAsync(Running(id, "sample/1", "sample/2"), 3);
        await results.RecordAsync(Running(id) with { Status = SubmissionStatus.Queued, Tests = ImmutableArray<TestResult>.Empty }, 4);
        Assert.Equal(("queued", 4L, 1, 0), await ReadAsync(id));
    }
}
