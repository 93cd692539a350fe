using System.Net;
using System.Net.Http.Json;
using Npgsql;

namespace Judge.Cluster.EndToEndTests;

/// <summary>A silo stopped with SIGTERM while the cluster judges, as an orchestrator stops it: it takes no new work,
/// finishes or hands back what it has, leaves the cluster itself, and every submission still ends with its one right
/// verdict. A cluster of its own: this test stops one of its silos.</summary>
public sealed class ShutdownTests(RecoveryJudgeCluster cluster) : IClassFixture<RecoveryJudgeCluster>
{
    private const string Correct = "a, b = map(int, input().split())\nprint(a + b)\n";
    private const string Wrong = "a, b = map(int, input().split())\nprint(a - b)\n";

    [Fact]
    public async Task A_silo_stopped_with_SIGTERM_mid_judging_hands_back_its_work_and_leaves_the_cluster()
    {
        var ids = Enumerable.Range(0, 30).Select(i => $"sigterm-{i:00}").ToList();
        string Expected(int i) => i % 3 == 2 ? "WA" : "AC";
        for (var i = 0; i < ids.Count; i++)
        {
            using var response = await cluster.Silos[i % 2].Http.PostAsJsonAsync("/api/submissions",
                new { id = ids[i], problem = "aplusb", language = "python3", source = i % 3 == 2 ? Wrong : Correct });
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while ((await VerdictsAsync()).Count < 3)
        {
            Assert.True(DateTime.UtcNow < deadline, "judging did not get under way");
            await Task.Delay(100);
        }

        var leaving = cluster.Silos[2];
        await leaving.StopAsync();

        // It shut down by itself (not killed after the 2-minute wait), after draining its judging.
        Assert.True(leaving.ExitCode == 0, $"exit code {leaving.ExitCode}:\n{leaving.RecentLog}");
        Assert.True(leaving.LogContains("Shutting down:"), $"no drain in the log:\n{leaving.RecentLog}");
        Assert.True(leaving.LogContains("Drained: 0 judging job(s) still running"), $"judging left running:\n{leaving.RecentLog}");

        // It said goodbye: its membership row is Dead (6) and no other silo had to suspect it.
        await using (var connection = await cluster.OpenAsync())
        {
            await using var command = new NpgsqlCommand(
                "SELECT status, suspect_times FROM orleans_membership WHERE deployment_id = $1 AND port = $2 ORDER BY generation DESC LIMIT 1",
                connection)
            {
                Parameters = { new() { Value = JudgeCluster.ClusterId }, new() { Value = leaving.SiloPort } },
            };
            await using var reader = await command.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            Assert.Equal(6, reader.GetInt32(0));
            // suspect_times lists "address@generation,time" per suspicion, joined by '|'. Orleans records a silo that
            // declares itself dead on the way out as its own suspecter; anyone else there would mean it was detected.
            var suspecters = reader.IsDBNull(1) ? [] : reader.GetString(1).Split('|', StringSplitOptions.RemoveEmptyEntries).Select(s => s.Split(',')[0]).ToList();
            Assert.All(suspecters, suspecter => Assert.StartsWith($"127.0.0.1:{leaving.SiloPort}@", suspecter));
        }

        // Everything is judged by the two that stay, each with its one right verdict.
        deadline = DateTime.UtcNow.AddMinutes(5);
        Dictionary<string, string> verdicts;
        while ((verdicts = await VerdictsAsync()).Count < ids.Count)
        {
            Assert.True(DateTime.UtcNow < deadline,
                $"{verdicts.Count} of {ids.Count} finished 5 minutes after the SIGTERM:\n{cluster.Silos[0].RecentLog}");
            await Task.Delay(200);
        }
        for (var i = 0; i < ids.Count; i++)
            Assert.Equal(Expected(i), verdicts[ids[i]]);
        for (var i = 0; i < ids.Count; i++)
        {
            var submission = await cluster.Silos[i % 2].GetJsonAsync($"/api/submissions/{ids[i]}");
            Assert.Equal(Expected(i), submission.GetProperty("verdict").GetString());
        }
    }

    private async Task<Dictionary<string, string>> VerdictsAsync()
    {
        await using var connection = await cluster.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT id, verdict FROM judge_submissions WHERE id LIKE 'sigterm-%' AND status = 'finished'", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var verdicts = new Dictionary<string, string>();
        while (await reader.ReadAsync())
            verdicts[reader.GetString(0)] = reader.GetString(1);
        return verdicts;
    }
}
