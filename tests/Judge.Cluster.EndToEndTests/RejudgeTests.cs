using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;

namespace Judge.Cluster.EndToEndTests;

/// <summary>A rejudge across a cluster over PostgreSQL: asked of one silo, visible from another, and both judgings recorded
/// in the results tables.</summary>
[Collection(JudgeClusterCollection.Name)]
public class RejudgeTests(JudgeCluster cluster)
{
    private const string PythonAplusb = "a, b = map(int, input().split())\nprint(a + b)\n";

    private async Task<List<(int Judging, string Verdict, DateTime? FinishedAt, string? JudgedBy)>> JudgingRowsAsync(string id)
    {
        await using var connection = await cluster.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT judging, verdict, finished_at, judged_by FROM judge_judgings WHERE submission_id = $1 ORDER BY judging", connection)
        {
            Parameters = { new() { Value = id } },
        };
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(int, string, DateTime?, string?)>();
        while (await reader.ReadAsync())
            rows.Add((reader.GetInt32(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetDateTime(2), reader.IsDBNull(3) ? null : reader.GetString(3)));
        return rows;
    }

    private async Task<(int Judging, string Status, string? Verdict, long Tests)> SubmissionRowAsync(string id)
    {
        await using var connection = await cluster.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT judging, status, verdict, (SELECT count(*) FROM judge_test_results WHERE submission_id = $1)
              FROM judge_submissions WHERE id = $1
            """, connection) { Parameters = { new() { Value = id } } };
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"no judge_submissions row for {id}");
        return (reader.GetInt32(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetInt64(3));
    }

    [Fact]
    public async Task The_results_tables_record_both_judgings_of_a_rejudged_submission()
    {
        var id = $"rejudge-{Guid.NewGuid():N}";
        var (a, b, c) = (cluster.Silos[0], cluster.Silos[1], cluster.Silos[2]);
        using var submitted = await a.Http.PostAsJsonAsync("/api/submissions?wait=true&timeout=300", new { id, problem = "aplusb", language = "python3", source = PythonAplusb });
        var first = JsonDocument.Parse(await submitted.Content.ReadAsStringAsync()).RootElement.Clone();
        Assert.True(submitted.StatusCode == HttpStatusCode.OK, $"{first}\n{a.RecentLog}");

        using var rejudge = await b.Http.PostAsync($"/api/submissions/{id}/rejudge", null);
        Assert.True(rejudge.StatusCode == HttpStatusCode.Accepted, $"{await rejudge.Content.ReadAsStringAsync()}\n{b.RecentLog}");

        JsonElement second = default;
        for (var i = 0; i < 3000 && !(second.ValueKind == JsonValueKind.Object && second.GetProperty("judging").GetInt32() == 2
                 && second.GetProperty("status").GetString() == "finished"); i++)
        {
            if (i > 0)
                await Task.Delay(100);
            second = await c.Http.GetFromJsonAsync<JsonElement>($"/api/submissions/{id}");
        }
        Assert.True(second.GetProperty("status").GetString() == "finished", $"judging 2 of {id} did not finish: {second}");
        Assert.Equal("AC", second.GetProperty("verdict").GetString());
        Assert.Equal(first.GetProperty("finishedAt").GetDateTimeOffset(), second.GetProperty("judgings")[0].GetProperty("finishedAt").GetDateTimeOffset());

        // The finished write of judging 2 reaches PostgreSQL just before the grain answers it as finished, or just after.
        var rows = await JudgingRowsAsync(id);
        for (var i = 0; i < 100 && rows.Count < 2; i++)
        {
            await Task.Delay(100);
            rows = await JudgingRowsAsync(id);
        }
        Assert.Equal([1, 2], rows.Select(r => r.Judging));
        Assert.All(rows, r => Assert.Equal("AC", r.Verdict));
        Assert.Equal(first.GetProperty("finishedAt").GetDateTimeOffset().UtcDateTime, rows[0].FinishedAt!.Value, TimeSpan.FromMilliseconds(1));
        Assert.Equal(second.GetProperty("finishedAt").GetDateTimeOffset().UtcDateTime, rows[1].FinishedAt!.Value, TimeSpan.FromMilliseconds(1));
        Assert.Equal(second.GetProperty("judgedBy").GetString(), rows[1].JudgedBy);
        Assert.Equal((2, "finished", "AC", (long)second.GetProperty("tests").GetArrayLength()), await SubmissionRowAsync(id));
    }
}
