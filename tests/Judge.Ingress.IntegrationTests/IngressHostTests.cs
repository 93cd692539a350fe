using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Amazon.SQS.Model;
using Judge.Interfaces;

namespace Judge.Ingress.IntegrationTests;

/// <summary>The ingress host (src/Ingress/Program.cs) as a process: its /health, /ready and /metrics.</summary>
[Collection(IngressSiloCollection.Name)]
public sealed class IngressHostTests(IngressSilo silo)
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    private static string Valid(string id) => JsonSerializer.Serialize(new
    {
        version = 1, id, problem = "aplusb", language = "python3", source = "a, b = map(int, input().split())\nprint(a + b)\n",
    });

    private static async Task<(HttpStatusCode Status, JsonElement Body)> GetJsonAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    [Theory]
    [InlineData(new string[0], "Judge:Sqs:QueueUrl is required")]
    [InlineData(new[] { "--Judge:Sqs:QueueUrl=http://127.0.0.1:9/q", "--Judge:Sqs:WaitTimeSeconds=abc" }, "Failed to convert configuration value 'abc' at 'Judge:Sqs:WaitTimeSeconds'")]
    public async Task An_invalid_setting_stops_the_ingress_with_exit_code_2_and_a_line_naming_the_key(string[] settings, string expected)
    {
        var run = await HostCommand.RunAsync(IngressProcess.Assembly, [$"--Judge:Http:Urls=http://127.0.0.1:{Ports.Free()}", .. settings]);

        HostCommand.AssertRefused("judge-ingress", run, expected);
    }

    [Fact]
    public async Task Ingress_host_answers_health_and_ready_and_counts_its_messages_in_metrics()
    {
        var (queue, deadLetter) = await silo.Sqs.CreateQueuesAsync("ingress-host");
        await using var ingress = new IngressProcess(silo.GatewayPort, queue, silo.Sqs.ServiceUrl);
        ingress.Start();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{ingress.HttpPort}"), Timeout = TimeSpan.FromSeconds(20) };

        // Ready once its cluster client answers and its queue is reachable.
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            Assert.False(ingress.HasExited, ingress.RecentLog);
            Assert.True(DateTime.UtcNow < deadline, "the ingress did not become ready:\n" + ingress.RecentLog);
            try
            {
                var (status, body) = await GetJsonAsync(http, "/ready");
                if (status == HttpStatusCode.OK)
                {
                    Assert.Equal("ready", body.GetProperty("status").GetString());
                    Assert.StartsWith("connected", body.GetProperty("checks").GetProperty("cluster").GetString());
                    Assert.Equal("queue reachable", body.GetProperty("checks").GetProperty("queue").GetString());
                    break;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(200);
        }
        var (healthStatus, health) = await GetJsonAsync(http, "/health");
        Assert.Equal(HttpStatusCode.OK, healthStatus);
        Assert.Equal("ok", health.GetProperty("status").GetString());

        // Two submissions and one malformed message.
        await silo.Sqs.Client.SendMessageBatchAsync(queue,
        [
            new SendMessageBatchRequestEntry("a", Valid("ingress-host-1")),
            new SendMessageBatchRequestEntry("b", Valid("ingress-host-2")),
            new SendMessageBatchRequestEntry("c", "this is not JSON"),
        ]);
        foreach (var id in new[] { "ingress-host-1", "ingress-host-2" })
        {
            var grain = silo.Grains.GetGrain<ISubmissionGrain>(id);
            while ((await grain.WaitForResult(TimeSpan.FromSeconds(5))) is not { Status: SubmissionStatus.Finished })
            {
                Assert.True(DateTime.UtcNow < deadline, $"submission {id} was not judged:\n{ingress.RecentLog}");
                await Task.Delay(100);
            }
        }
        var deadLettered = new List<Message>();
        while (deadLettered.Count < 1)
        {
            Assert.True(DateTime.UtcNow < deadline, "the malformed message did not reach the dead-letter queue");
            deadLettered.AddRange(await silo.Sqs.DrainAsync(deadLetter));
        }

        // The pump's counters, by source queue; nothing in flight once the verdicts are in.
        PrometheusText metrics;
        while (true)
        {
            using var response = await http.GetAsync("/metrics");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            metrics = new PrometheusText(await response.Content.ReadAsStringAsync());
            if (metrics.Find("judge_sqs_messages_in_flight", ("queue", queue)).Any() && metrics.Sum("judge_sqs_messages_in_flight", ("queue", queue)) == 0)
                break;
            Assert.True(DateTime.UtcNow < deadline, "messages stayed in flight:\n" + metrics.Text);
            await Task.Delay(200);
        }
        Assert.Equal(3, metrics.Sum("judge_sqs_messages_received_total", ("queue", queue)));
        Assert.Equal(1, metrics.Sum("judge_sqs_messages_dead_lettered_total", ("queue", queue)));
        Assert.Contains(metrics.Samples, s => s.Name.StartsWith("orleans_", StringComparison.Ordinal));
        Assert.Contains(metrics.Samples, s => s.Name == "http_server_request_duration_seconds_count");

        // A queue that is gone makes the ingress not ready, naming it.
        await silo.Sqs.Client.DeleteQueueAsync(queue);
        var (readyStatus, ready) = await GetJsonAsync(http, "/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, readyStatus);
        Assert.Equal("not ready", ready.GetProperty("status").GetString());
        Assert.Contains($"queue {queue} unreachable", ready.GetProperty("checks").GetProperty("queue").GetString());
    }
}
