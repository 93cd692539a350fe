using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Npgsql;
using Xunit.Abstractions;

namespace Judge.Cluster.EndToEndTests;

/// <summary>A silo killed with SIGKILL while the cluster judges: nothing is lost, and every submission ends with one
/// final verdict in the results table. A cluster of its own: this test kills one of its silos.</summary>
public sealed class RecoveryTests(RecoveryJudgeCluster cluster, ITestOutputHelper output) : IClassFixture<RecoveryJudgeCluster>
{
    private const string Correct = "a, b = map(int, input().split())\nprint(a + b)\n";
    private const string Wrong = "a, b = map(int, input().split())\nprint(a - b)\n";

    private async Task<Dictionary<string, (string Status, string? Verdict)>> RowsAsync(string prefix)
    {
        await using var connection = await cluster.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT id, status, verdict FROM judge_submissions WHERE id LIKE $1", connection)
        {
            Parameters = { new() { Value = prefix + "%" } },
        };
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new Dictionary<string, (string, string?)>();
        while (await reader.ReadAsync())
            rows[reader.GetString(0)] = (reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2));
        return rows;
    }

    [Fact]
    public async Task Killing_a_silo_mid_judging_loses_nothing_and_leaves_one_final_verdict_per_submission()
    {
        var ids = Enumerable.Range(0, 50).Select(i => $"recover-{i:00}").ToList();
        string Expected(int i) => i % 5 == 4 ? "WA" : "AC";

        var sincePost = Stopwatch.StartNew();
        // Posted to the two silos that survive; the submission grains and the workers land on all three.
        for (var i = 0; i < ids.Count; i++)
        {
            using var response = await cluster.Silos[i % 2].Http.PostAsJsonAsync("/api/submissions",
                new { id = ids[i], problem = "aplusb", language = "python3", source = i % 5 == 4 ? Wrong : Correct });
            Assert.True(response.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.OK, $"POST {ids[i]}: {(int)response.StatusCode}");
        }

        // Some finished, most not: judging is under way on all three.
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while ((await RowsAsync("recover-")).Values.Count(r => r.Status == "finished") < 10)
        {
            Assert.True(DateTime.UtcNow < deadline, "judging did not get under way");
            await Task.Delay(100);
        }
        var finishedAtKill = (await RowsAsync("recover-")).Values.Count(r => r.Status == "finished");
        var beforeKill = sincePost.Elapsed;
        var victim = cluster.Silos[2];
        await victim.KillAsync();
        var sinceKill = Stopwatch.StartNew();

        // Nobody asks the grains: the results table alone is watched. Work on the dead silo comes back through failed
        // worker calls and silent workers, and submission grains that lived there through the survivors' recovery sweep.
        deadline = DateTime.UtcNow.AddMinutes(6);
        Dictionary<string, (string Status, string? Verdict)> rows;
        var firstVerdicts = new Dictionary<string, string?>();
        while (true)
        {
            rows = await RowsAsync("recover-");
            // A final verdict, once recorded, never changes: a second attempt must not judge a submission into another result.
            foreach (var (id, row) in rows.Where(r => r.Value.Status == "finished"))
            {
                if (firstVerdicts.TryAdd(id, row.Verdict))
                    continue;
                Assert.Equal(firstVerdicts[id], row.Verdict);
            }
            if (rows.Count == ids.Count && rows.Values.All(r => r.Status == "finished"))
                break;
            Assert.True(DateTime.UtcNow < deadline,
                $"{rows.Values.Count(r => r.Status == "finished")} of {ids.Count} finished 6 minutes after the kill:\n{cluster.Silos[0].RecentLog}");
            await Task.Delay(200);
        }
        var recovery = sinceKill.Elapsed;
        // Throughput before the kill (three silos) and after it (two silos, including the recovery).
        output.WriteLine($"{finishedAtKill} of {ids.Count} finished {beforeKill.TotalSeconds:0.0} s after the first POST, " +
            $"{finishedAtKill / beforeKill.TotalSeconds:0.00}/s on three silos; the kill came then");
        output.WriteLine($"the last verdict came {recovery.TotalSeconds:0.0} s after the kill: {(ids.Count - finishedAtKill) / recovery.TotalSeconds:0.00}/s " +
            "for the rest on two silos, recovery included");

        for (var i = 0; i < ids.Count; i++)
            Assert.Equal(Expected(i), rows[ids[i]].Verdict);

        // Every submission has one row per test of the problem (run, or skipped after a failure), whichever attempt
        // finished it.
        var problems = await cluster.Silos[0].GetJsonAsync("/api/problems");
        var tests = problems.EnumerateArray().Single(p => p.GetProperty("id").GetString() == "aplusb").GetProperty("tests").GetInt32();
        await using var connection = await cluster.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT submission_id, count(*) FROM judge_test_results WHERE submission_id LIKE 'recover-%' GROUP BY 1", connection);
        var counts = new Dictionary<string, long>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
                counts[reader.GetString(0)] = reader.GetInt64(1);
        }
        foreach (var id in ids)
            Assert.Equal(tests, counts.GetValueOrDefault(id));

        // The survivors answer for every submission, with the same verdict as the table.
        for (var i = 0; i < ids.Count; i++)
        {
            var submission = await cluster.Silos[i % 2].GetJsonAsync($"/api/submissions/{ids[i]}");
            Assert.Equal(Expected(i), submission.GetProperty("verdict").GetString());
        }
    }
}
