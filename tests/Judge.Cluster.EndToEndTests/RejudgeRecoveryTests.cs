using System.Net;
using System.Net.Http.Json;
using Npgsql;

namespace Judge.Cluster.EndToEndTests;

/// <summary>A silo killed with SIGKILL while the cluster rejudges: every rejudge still ends with one verdict for its second
/// judging, and the first judging's row stays as it was. A cluster of its own: this test kills one of its silos.</summary>
public sealed class RejudgeRecoveryTests(RecoveryJudgeCluster cluster) : IClassFixture<RecoveryJudgeCluster>
{
    private const string Correct = "a, b = map(int, input().split())\nprint(a + b)\n";
    private const string Wrong = "a, b = map(int, input().split())\nprint(a - b)\n";

    private async Task<Dictionary<string, (int Judging, string Status, string? Verdict)>> RowsAsync()
    {
        await using var connection = await cluster.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT id, judging, status, verdict FROM judge_submissions WHERE id LIKE 'rerecover-%'", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new Dictionary<string, (int, string, string?)>();
        while (await reader.ReadAsync())
            rows[reader.GetString(0)] = (reader.GetInt32(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3));
        return rows;
    }

    private async Task WaitAsync(Func<Dictionary<string, (int Judging, string Status, string? Verdict)>, bool> done, string what, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (!done(await RowsAsync()))
        {
            Assert.True(DateTime.UtcNow < deadline, $"{what} within {patience}:\n{cluster.Silos[0].RecentLog}");
            await Task.Delay(200);
        }
    }

    [Fact]
    public async Task Killing_a_silo_mid_rejudge_loses_no_rejudge_and_keeps_the_first_judgings()
    {
        var ids = Enumerable.Range(0, 30).Select(i => $"rerecover-{i:00}").ToList();
        string Expected(int i) => i % 5 == 4 ? "WA" : "AC";
        for (var i = 0; i < ids.Count; i++)
        {
            using var response = await cluster.Silos[i % 2].Http.PostAsJsonAsync("/api/submissions",
                new { id = ids[i], problem = "aplusb", language = "python3", source = i % 5 == 4 ? Wrong : Correct });
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }
        await WaitAsync(rows => rows.Count == ids.Count && rows.Values.All(r => r.Status == "finished"), "the first judgings did not finish", TimeSpan.FromMinutes(5));

        // Rejudged through the two silos that survive; grains and workers are on all three.
        for (var i = 0; i < ids.Count; i++)
        {
            using var response = await cluster.Silos[i % 2].Http.PostAsync($"/api/submissions/{ids[i]}/rejudge?judging=1", null);
            Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"rejudge {ids[i]}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
        await WaitAsync(rows => rows.Values.Count(r => r.Judging == 2 && r.Status == "finished") >= 5, "rejudging did not get under way", TimeSpan.FromMinutes(3));
        var unfinishedAtKill = (await RowsAsync()).Values.Count(r => r.Judging != 2 || r.Status != "finished");
        await cluster.Silos[2].KillAsync();

        // Only the results table is watched: lost rejudges come back through failed calls, silent workers, the survivors'
        // sweep of unfinished rows and the watchdog reminders.
        await WaitAsync(rows => rows.Values.All(r => r.Judging == 2 && r.Status == "finished"),
            $"not every rejudge finished after the kill ({unfinishedAtKill} of {ids.Count} were unfinished then)", TimeSpan.FromMinutes(6));
        var final = await RowsAsync();
        for (var i = 0; i < ids.Count; i++)
            Assert.Equal(Expected(i), final[ids[i]].Verdict);

        await using var connection = await cluster.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT submission_id, string_agg(judging || ':' || verdict, ',' ORDER BY judging) FROM judge_judgings WHERE submission_id LIKE 'rerecover-%' GROUP BY 1", connection);
        var judgings = new Dictionary<string, string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
                judgings[reader.GetString(0)] = reader.GetString(1);
        }
        for (var i = 0; i < ids.Count; i++)
            Assert.Equal($"1:{Expected(i)},2:{Expected(i)}", judgings.GetValueOrDefault(ids[i]));
    }
}
