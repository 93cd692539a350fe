using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Judge.Silo.Database;
using Judge.Silo.Health;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Judge.Cluster.EndToEndTests;

/// <summary>Three silo processes over one PostgreSQL database: they form a cluster, judge, keep the results tables,
/// report health, and keep every submission across a restart of the whole cluster.</summary>
[Collection(JudgeClusterCollection.Name)]
public class ClusterTests(JudgeCluster cluster)
{
    private const string PythonAplusb = "a, b = map(int, input().split())\nprint(a + b)\n";

    private async Task<JsonElement> JudgeAsync(SiloProcess silo, string id, string source)
    {
        using var response = await silo.Http.PostAsJsonAsync("/api/submissions?wait=true&timeout=300",
            new { id, problem = "aplusb", language = "python3", source });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"expected 200, got {(int)response.StatusCode}: {body}\n{silo.RecentLog}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private async Task<Dictionary<string, object?>?> SubmissionRowAsync(string id)
    {
        await using var connection = await cluster.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT * FROM judge_submissions WHERE id = $1", connection) { Parameters = { new() { Value = id } } };
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
            return null;
        return Enumerable.Range(0, reader.FieldCount).ToDictionary(reader.GetName, i => reader.IsDBNull(i) ? null : reader.GetValue(i));
    }

    private async Task<List<(int Ordinal, string Name, string Verdict)>> TestRowsAsync(string id)
    {
        await using var connection = await cluster.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT ordinal, name, verdict FROM judge_test_results WHERE submission_id = $1 ORDER BY ordinal", connection)
        {
            Parameters = { new() { Value = id } },
        };
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(int, string, string)>();
        while (await reader.ReadAsync())
            rows.Add((reader.GetInt32(0), reader.GetString(1), reader.GetString(2)));
        return rows;
    }

    [Fact]
    public async Task Three_silos_on_distinct_ports_form_one_cluster_in_the_membership_table()
    {
        await using var connection = await cluster.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT port FROM orleans_membership WHERE deployment_id = $1 AND status = 3 ORDER BY port", connection)
        {
            Parameters = { new() { Value = JudgeCluster.ClusterId } },
        };
        var active = new List<int>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
                active.Add(reader.GetInt32(0));
        }
        Assert.Equal(cluster.Silos.Select(s => s.SiloPort).Order(), active);
    }

    [Fact]
    public async Task A_submission_is_judged_and_its_final_verdict_and_tests_are_in_the_results_tables()
    {
        var id = $"e2e-ac-{Guid.NewGuid():N}";
        var submission = await JudgeAsync(cluster.Silos[1], id, PythonAplusb);
        Assert.Equal("AC", submission.GetProperty("verdict").GetString());

        var row = await SubmissionRowAsync(id);
        Assert.NotNull(row);
        Assert.Equal("aplusb", row["problem"]);
        Assert.Equal("python3", row["language"]);
        Assert.Equal("finished", row["status"]);
        Assert.Equal("AC", row["verdict"]);
        Assert.Equal(1.0, row["score"]);
        Assert.NotNull(row["time_ms"]);
        Assert.NotNull(row["memory_kb"]);
        Assert.NotNull(row["created_at"]);
        Assert.NotNull(row["finished_at"]);
        Assert.Equal(submission.GetProperty("judgedBy").GetString(), row["judged_by"]);
        Assert.StartsWith("S127.0.0.1:", (string)row["judged_by"]!);

        var tests = await TestRowsAsync(id);
        var expected = submission.GetProperty("tests").EnumerateArray().Select(t => t.GetProperty("name").GetString()).ToList();
        Assert.Equal(expected, tests.Select(t => t.Name));
        Assert.Equal(Enumerable.Range(0, expected.Count), tests.Select(t => t.Ordinal));
        Assert.All(tests, t => Assert.Equal("AC", t.Verdict));
    }

    [Fact]
    public async Task The_results_tables_follow_judging_while_it_runs()
    {
        // Sleeps (wall time, little CPU) on every test, so judging lasts several seconds.
        const string slow = "import time\ntime.sleep(0.4)\nimport sys\nprint(sum(map(int, sys.stdin.read().split()[1:])))\n";
        var id = $"e2e-progress-{Guid.NewGuid():N}";
        using (var post = await cluster.Silos[0].Http.PostAsJsonAsync("/api/submissions", new { id, problem = "groups", language = "python3", source = slow }))
            Assert.Equal(HttpStatusCode.Accepted, post.StatusCode);

        var seen = new HashSet<string>();
        var sawPartialTests = false;
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(5);
        Dictionary<string, object?>? row;
        do
        {
            await Task.Delay(100);
            row = await SubmissionRowAsync(id);
            if (row is null)
                continue;
            seen.Add((string)row["status"]!);
            var tests = (await TestRowsAsync(id)).Count;
            if ((string)row["status"]! == "running" && tests > 0 && tests < (int)row["test_count"]!)
                sawPartialTests = true;
        } while (row?["status"] as string != "finished" && DateTime.UtcNow < deadline);

        Assert.Equal("finished", row?["status"]);
        Assert.Equal("AC", row!["verdict"]);
        Assert.Contains("running", seen);
        Assert.True(sawPartialTests, "while running, the test rows judged so far are in judge_test_results");
        Assert.Equal((int)row["test_count"]!, (await TestRowsAsync(id)).Count);
    }

    [Fact]
    public async Task A_wrong_answer_is_recorded_with_its_failing_and_skipped_tests()
    {
        var id = $"e2e-wa-{Guid.NewGuid():N}";
        var submission = await JudgeAsync(cluster.Silos[2], id, "print(0)\n");
        Assert.Equal("WA", submission.GetProperty("verdict").GetString());

        var row = await SubmissionRowAsync(id);
        Assert.Equal("WA", row!["verdict"]);
        Assert.Equal(0.0, row["score"]);
        var tests = await TestRowsAsync(id);
        Assert.Equal("WA", tests[0].Verdict);
        Assert.All(tests.Skip(1), t => Assert.Equal("SK", t.Verdict));
    }

    [Fact]
    public async Task Health_answers_live_and_ready_names_the_silo_and_storage_checks()
    {
        foreach (var silo in cluster.Silos)
        {
            Assert.Equal("ok", (await silo.GetJsonAsync("/health")).GetProperty("status").GetString());
            using var ready = await silo.Http.GetAsync("/ready");
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            var body = await ready.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("ready", body.GetProperty("status").GetString());
            Assert.Equal("silo active", body.GetProperty("checks").GetProperty("silo").GetString());
            Assert.Equal("storage reachable", body.GetProperty("checks").GetProperty("storage").GetString());
        }
    }

    [Fact]
    public async Task Readiness_fails_when_the_database_does_not_answer()
    {
        var unreachable = new NpgsqlConnectionStringBuilder(cluster.ConnectionString) { Port = Ports.Free(), Timeout = 2 }.ConnectionString;
        await using var database = NpgsqlDataSource.Create(unreachable);

        var result = await new DatabaseHealthCheck(database, new DatabasePools(database, TimeProvider.System, NullLogger<DatabasePools>.Instance))
            .CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.StartsWith("storage unreachable", result.Description);
    }

    [Fact]
    public async Task Submissions_survive_restarting_every_silo()
    {
        var id = $"e2e-restart-{Guid.NewGuid():N}";
        var before = await JudgeAsync(cluster.Silos[0], id, PythonAplusb);

        await cluster.StopAllAsync();
        await cluster.StartAllAsync();

        // Another silo than the one that judged it answers, from the state in PostgreSQL.
        var after = await cluster.Silos[2].GetJsonAsync($"/api/submissions/{id}");
        Assert.Equal("finished", after.GetProperty("status").GetString());
        Assert.Equal("AC", after.GetProperty("verdict").GetString());
        Assert.Equal(before.GetProperty("finishedAt").GetString(), after.GetProperty("finishedAt").GetString());
        Assert.Equal(before.GetProperty("tests").GetArrayLength(), after.GetProperty("tests").GetArrayLength());

        // And the cluster judges again after the restart.
        var again = await JudgeAsync(cluster.Silos[1], $"{id}-again", PythonAplusb);
        Assert.Equal("AC", again.GetProperty("verdict").GetString());
        Assert.Equal("AC", (await SubmissionRowAsync(id))!["verdict"]);
    }

    [Fact]
    public async Task The_cluster_recovers_by_itself_after_PostgreSQL_restarts_while_idle()
    {
        await cluster.Postgres.StopServerAsync();
        try
        {
            // Every silo notices: not ready while its storage does not answer.
            foreach (var silo in cluster.Silos)
                await WaitForReadinessAsync(silo, HttpStatusCode.ServiceUnavailable);
            await Task.Delay(TimeSpan.FromSeconds(5));
        }
        finally
        {
            await cluster.Postgres.RestartServerAsync();
        }

        // No one touches the silos: each becomes ready again, all three are still one cluster, and each judges.
        foreach (var silo in cluster.Silos)
            await WaitForReadinessAsync(silo, HttpStatusCode.OK);
        await using (var connection = await cluster.OpenAsync())
        {
            await using var command = new NpgsqlCommand(
                "SELECT count(*) FROM orleans_membership WHERE deployment_id = $1 AND status = 3", connection)
            {
                Parameters = { new() { Value = JudgeCluster.ClusterId } },
            };
            Assert.Equal(3L, await command.ExecuteScalarAsync());
        }
        for (var i = 0; i < cluster.Silos.Count; i++)
        {
            var id = $"e2e-pg-restart-{i}-{Guid.NewGuid():N}";
            var judged = await JudgeAsync(cluster.Silos[i], id, PythonAplusb);
            Assert.Equal("AC", judged.GetProperty("verdict").GetString());
            Assert.Equal("AC", (await SubmissionRowAsync(id))!["verdict"]);
        }
    }

    private static async Task WaitForReadinessAsync(SiloProcess silo, HttpStatusCode expected)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        HttpStatusCode? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var response = await silo.Http.GetAsync("/ready");
                last = response.StatusCode;
                if (last == expected)
                    return;
            }
            catch (HttpRequestException)
            {
                last = null;
            }
            await Task.Delay(250);
        }
        Assert.Fail($"{silo.Name}: /ready answered {last?.ToString() ?? "nothing"}, not {expected}, for 2 minutes:\n{silo.RecentLog}");
    }

    [Fact]
    public async Task Submissions_posted_to_one_silo_are_judged_on_every_silo_with_a_free_slot()
    {
        // Three silos with one judging slot each; every job goes to the silo with the most free slots, whichever silo
        // the submission was posted to (and whichever silo its grain lives on).
        const int count = 12;
        var ids = Enumerable.Range(0, count).Select(i => $"spread-{i:00}").ToList();
        await Task.WhenAll(ids.Select(async id =>
        {
            using var response = await cluster.Silos[0].Http.PostAsJsonAsync("/api/submissions",
                new { id, problem = "aplusb", language = "python3", source = PythonAplusb });
            Assert.True(response.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.OK, $"POST {id}: {(int)response.StatusCode}");
        }));

        var deadline = DateTime.UtcNow.AddMinutes(4);
        List<(string Status, string? Verdict, string? JudgedBy)> rows;
        while (true)
        {
            rows = [];
            await using (var connection = await cluster.OpenAsync())
            {
                await using var command = new NpgsqlCommand("SELECT status, verdict, judged_by FROM judge_submissions WHERE id LIKE 'spread-%'", connection);
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                    rows.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2)));
            }
            if (rows.Count == count && rows.All(r => r.Status == "finished"))
                break;
            Assert.True(DateTime.UtcNow < deadline, $"{rows.Count(r => r.Status == "finished")} of {count} finished after 4 minutes");
            await Task.Delay(250);
        }

        Assert.All(rows, r => Assert.Equal("AC", r.Verdict));
        var perSilo = cluster.Silos.Select(s => rows.Count(r => r.JudgedBy?.StartsWith(s.AddressPrefix, StringComparison.Ordinal) == true)).ToList();
        Assert.Equal(count, perSilo.Sum());
        // Evenly would be 4 each (seen: 4/4/4, 3/5/4): each silo's director places the jobs of the submission grains it
        // hosts from the others' reports, which are up to 100 ms old. Half a fair share is the bound.
        Assert.True(perSilo.All(n => n >= count / 6), $"jobs judged per silo: {string.Join(" / ", perSilo)}");
    }
}
