using System.Net.Http.Json;
using System.Text.Json;

namespace Judge.Ingress.IntegrationTests;

/// <summary>The ingress reports its queues' depth, in-flight and dead-lettered counts to the cluster (GET /api/cluster).</summary>
[Collection(IngressSiloCollection.Name)]
public sealed class IngressStatusTests(IngressSilo silo)
{
    [Fact]
    public async Task A_standalone_ingress_reports_its_queue_and_dead_letter_counts_to_the_cluster_view()
    {
        var (source, deadLetter) = await silo.Sqs.CreateQueuesAsync($"status-{Guid.NewGuid():N}"[..20]);
        // Two messages already dead-lettered before the ingress starts; one more that the ingress dead-letters itself.
        await silo.Sqs.Client.SendMessageAsync(deadLetter, "earlier failure 1");
        await silo.Sqs.Client.SendMessageAsync(deadLetter, "earlier failure 2");

        await using var ingress = new IngressProcess(silo.GatewayPort, source, silo.Sqs.ServiceUrl);
        ingress.Environment["Judge__Sqs__StatusInterval"] = "00:00:01";
        ingress.Start();
        await silo.Sqs.Client.SendMessageAsync(source, "this is not a submission");

        var deadline = DateTime.UtcNow.AddMinutes(2);
        JsonElement? reported = null;
        while (true)
        {
            var cluster = await silo.Http.GetFromJsonAsync<JsonElement>("/api/cluster");
            reported = cluster.GetProperty("ingress").EnumerateArray().Cast<JsonElement?>()
                .SingleOrDefault(q => q!.Value.GetProperty("queueUrl").GetString() == source);
            if (reported is { } q && q.GetProperty("deadLettered").GetInt64() == 3 && q.GetProperty("depth").GetInt64() == 0
                && q.GetProperty("inFlight").GetInt64() == 0)
                break;
            Assert.False(ingress.HasExited, ingress.RecentLog);
            Assert.True(DateTime.UtcNow < deadline, $"the cluster view shows {reported?.ToString() ?? "no entry"} for {source}:\n{ingress.RecentLog}");
            await Task.Delay(250);
        }
        var status = reported!.Value;
        Assert.Equal(source[(source.LastIndexOf('/') + 1)..], status.GetProperty("name").GetString());
        Assert.True(status.TryGetProperty("updatedAt", out _));
    }
}
