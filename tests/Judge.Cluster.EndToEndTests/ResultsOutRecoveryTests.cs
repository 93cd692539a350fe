using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Amazon.SQS.Model;
using Judge.Ingress.IntegrationTests;
using Npgsql;
using Xunit.Abstractions;

namespace Judge.Cluster.EndToEndTests;

/// <summary>SQS in and results out over PostgreSQL with silo processes: a silo killed with results owed, or while the
/// ingress hands submissions off, loses nothing, and every result is published once.</summary>
public sealed class ResultsOutRecoveryTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string ClusterId = "results-out";
    private readonly PostgresServer postgres = new();
    private readonly SqsEmulator sqs = new();
    private readonly string workRoot = Directory.CreateTempSubdirectory("judge-results-out-").FullName;
    private readonly List<SiloProcess> silos = [];
    private string connectionString = "";

    public async Task InitializeAsync()
    {
        await postgres.InitializeAsync();
        connectionString = await postgres.CreateDatabaseAsync("results");
        await Judge.Silo.Database.JudgeSchema.MigrateAsync(connectionString);
        await sqs.InitializeAsync();
    }

    private SiloProcess Silo(string resultsQueue)
    {
        var index = silos.Count;
        var silo = new SiloProcess($"silo{index}", connectionString, ClusterId, 10 + index, Path.Combine(workRoot, $"silo{index}"),
            extraArguments: SiloProcess.SoonerRecovery);
        silo.Environment["Judge__Results__QueueUrl"] = resultsQueue;
        // Owed results of a dead silo are resumed at their reminder's next tick: every 5 s, not every minute.
        silo.Environment["Judge__Results__ReminderPeriod"] = "00:00:05";
        silo.Environment["Judge__Results__ServiceUrl"] = sqs.ServiceUrl;
        silo.Environment["Judge__Results__Region"] = SqsEmulator.Region;
        silo.Environment["Judge__Results__RetryDelay"] = "00:00:00.5";
        silo.Environment["AWS_ACCESS_KEY_ID"] = SqsEmulator.AccessKey;
        silo.Environment["AWS_SECRET_ACCESS_KEY"] = SqsEmulator.SecretKey;
        silos.Add(silo);
        return silo;
    }

    private async Task<long> PublisherRemindersAsync(string id)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM orleans_reminders WHERE grain_id = $1", connection)
        {
            Parameters = { new() { Value = $"result-publisher/{id}" } },
        };
        return (long)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task Result_owed_by_a_silo_killed_before_it_could_publish_is_published_once_by_the_survivor()
    {
        // The results queue does not exist yet: the first silo judges, stores the result and keeps failing to send it.
        var queue = (await sqs.Client.CreateQueueAsync("results")).QueueUrl;
        await sqs.Client.DeleteQueueAsync(queue);
        var first = Silo(queue);
        first.Start();
        await first.WaitReadyAsync();

        const string id = "owed-1";
        using (var response = await first.Http.PostAsJsonAsync("/api/submissions?wait=true&timeout=300",
            new { id, problem = "aplusb", language = "python3", source = "a, b = map(int, input().split())\nprint(a + b)\n" }))
        {
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}\n{first.RecentLog}");
        }
        Assert.Equal(1, await PublisherRemindersAsync(id)); // owed, watched by its reminder
        var failing = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (!first.RecentLog.Contains($"Sending the result of {id} to the results queue failed", StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < failing, $"the first silo did not try to send the result:\n{first.RecentLog}");
            await Task.Delay(100);
        }

        var second = Silo(queue);
        second.Start();
        await second.WaitReadyAsync();
        await first.KillAsync();
        Assert.Equal(queue, (await sqs.Client.CreateQueueAsync("results")).QueueUrl);

        // The survivor's reminder service takes over the dead silo's reminders, wakes the publisher, which finds the
        // stored result and sends it. Once it is done, its reminder is gone: nothing more will be sent.
        var received = new List<Message>();
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(5);
        while (received.Count == 0 || await PublisherRemindersAsync(id) > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the owed result was not published:\n{second.RecentLog}");
            received.AddRange(await sqs.DrainAsync(queue));
        }
        received.AddRange(await sqs.DrainAsync(queue));

        var result = Assert.Single(received);
        using var json = JsonDocument.Parse(result.Body);
        Assert.Equal(id, json.RootElement.GetProperty("id").GetString());
        Assert.Equal("AC", json.RootElement.GetProperty("verdict").GetString());
        var stored = await second.GetJsonAsync($"/api/submissions/{id}");
        Assert.Equal(stored.GetProperty("judgedBy").GetString(), json.RootElement.GetProperty("judgedBy").GetString());
        Assert.Contains($":{first.SiloPort}:", json.RootElement.GetProperty("judgedBy").GetString()); // judged by the silo that died
    }

    [Fact]
    public async Task Silo_killed_while_the_ingress_hands_off_loses_no_message_and_each_result_is_published_once()
    {
        var (source, deadLetter) = await sqs.CreateQueuesAsync("submissions", visibilitySeconds: 10, maxReceiveCount: 20);
        var results = (await sqs.Client.CreateQueueAsync("results")).QueueUrl;
        await using var collector = new ResultsCollector(sqs.Client, results);
        collector.Start();
        var victim = Silo(results);
        var survivor = Silo(results);
        foreach (var silo in silos)
        {
            silo.Start();
            await silo.WaitReadyAsync();
        }
        await using var ingress = new IngressProcess(0, source, sqs.ServiceUrl);
        ingress.Environment["ConnectionStrings__Judge"] = connectionString;
        ingress.Environment["Judge__Cluster__Id"] = ClusterId;
        ingress.Start();

        // Every fourth accepted (9 tests), the others wrong (1 test) or not Python at all (CE at the syntax check).
        var ids = Enumerable.Range(0, 40).Select(i => $"handoff-{i}").ToList();
        static string Expected(int i) => (i % 4) switch { 0 => "AC", 1 or 2 => "WA", _ => "CE" };
        static string Source(string verdict) => verdict switch
        {
            "AC" => "a, b = map(int, input().split())\nprint(a + b)\n",
            "WA" => "a, b = map(int, input().split())\nprint(a - b)\n",
            _ => "a, b = map(int, input().split()\n",
        };
        foreach (var batch in ids.Select((id, i) => JsonSerializer.Serialize(new { version = 1, id, problem = "aplusb", language = "python3", source = Source(Expected(i)) })).Chunk(10))
            await sqs.Client.SendMessageBatchAsync(source, batch.Select((b, i) => new SendMessageBatchRequestEntry($"m{i}", b)).ToList());

        // Kill a silo while the ingress holds received messages it has not handed off yet, with judging under way.
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(5);
        while (ids.Count(id => collector.For(id).Count > 0) < 3 || await NotVisibleAsync(source) == 0)
        {
            Assert.False(ingress.HasExited, ingress.RecentLog);
            Assert.True(DateTime.UtcNow < deadline, "the ingress did not get going:\n" + ingress.RecentLog);
            await Task.Delay(20);
        }
        await victim.KillAsync();

        Dictionary<string, JsonElement> judged;
        try
        {
            judged = await collector.WaitForAsync(ids, TimeSpan.FromMinutes(3));
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\ningress:\n{ingress.RecentLog}\nsurvivor:\n{survivor.RecentLog}", e);
        }
        for (var i = 0; i < ids.Count; i++)
            Assert.Equal(Expected(i), judged[ids[i]].GetProperty("verdict").GetString());
        // Every publisher done (its reminder gone), the source and results queues drained: one result per id.
        foreach (var id in ids)
        {
            while (await PublisherRemindersAsync(id) > 0)
            {
                Assert.True(DateTime.UtcNow < deadline + TimeSpan.FromMinutes(6), $"the publisher of {id} did not finish:\n{survivor.RecentLog}");
                await Task.Delay(200);
            }
        }
        while (await sqs.CountAsync(source) > 0 || await sqs.CountAsync(results) > 0)
        {
            Assert.True(DateTime.UtcNow < deadline + TimeSpan.FromMinutes(6), "the queues did not empty:\n" + ingress.RecentLog);
            await Task.Delay(200);
        }
        // One result per id, except where the kill fell between SQS taking a result and the publisher storing that it
        // did: then the same message again, byte for byte, for the consumer to de-duplicate by id (issue 6's contract).
        Assert.All(ids, id =>
        {
            var copies = collector.For(id);
            Assert.NotEmpty(copies);
            Assert.All(copies, copy => Assert.Equal(copies[0], copy));
        });
        output.WriteLine($"{ids.Count(id => collector.For(id).Count > 1)} of {ids.Count} results arrived twice (identical copies)");
        Assert.Empty(collector.Unreadable);
        Assert.Empty(await sqs.DrainAsync(deadLetter));
    }

    private async Task<int> NotVisibleAsync(string queueUrl) => int.Parse(
        (await sqs.Client.GetQueueAttributesAsync(queueUrl, ["ApproximateNumberOfMessagesNotVisible"])).Attributes["ApproximateNumberOfMessagesNotVisible"],
        System.Globalization.CultureInfo.InvariantCulture);

    public async Task DisposeAsync()
    {
        foreach (var silo in silos)
            await silo.DisposeAsync();
        await sqs.DisposeAsync();
        await postgres.DisposeAsync();
        try
        {
            Directory.Delete(workRoot, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // a sandbox may still be releasing a directory; it is under the temporary directory
        }
    }
}
