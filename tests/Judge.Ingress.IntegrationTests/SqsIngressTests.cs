using System.Text.Json;
using Amazon.SQS.Model;
using Judge.Ingress.Pump;
using Judge.Interfaces;

namespace Judge.Ingress.IntegrationTests;

[Collection(IngressSiloCollection.Name)]
public sealed class SqsIngressTests(IngressSilo silo)
{
    private const string Correct = "a, b = map(int, input().split())\nprint(a + b)\n";
    private const string Wrong = "a, b = map(int, input().split())\nprint(a - b)\n";

    private static string Body(string? id, string source, string problem = "aplusb", string language = "python3") =>
        JsonSerializer.Serialize(id is null
            ? (object)new { version = 1, problem, language, source }
            : new { version = 1, id, problem, language, source });

    private async Task SendAsync(IEnumerable<string> bodies)
    {
        foreach (var batch in bodies.Chunk(10))
        {
            var response = await silo.Sqs.Client.SendMessageBatchAsync(silo.SourceQueue,
                batch.Select((b, i) => new SendMessageBatchRequestEntry($"m{i}", b)).ToList());
            Assert.True(response.Failed is null or { Count: 0 }, "the emulator refused a message");
        }
    }

    private async Task<Submission> JudgedAsync(string id)
    {
        var grain = silo.Grains.GetGrain<ISubmissionGrain>(id);
        var deadline = DateTime.UtcNow.AddMinutes(5);
        while (DateTime.UtcNow < deadline)
        {
            var seen = await grain.WaitForResult(TimeSpan.FromSeconds(30));
            if (seen is { Status: SubmissionStatus.Finished })
                return seen;
            if (seen is null) // not handed over yet: WaitForResult answers at once
                await Task.Delay(200);
        }
        throw new TimeoutException($"submission {id} was not judged within 5 minutes");
    }

    private async Task<List<Message>> DeadLetteredAsync(int expected)
    {
        var found = new List<Message>();
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (found.Count < expected && DateTime.UtcNow < deadline)
            found.AddRange(await silo.Sqs.DrainAsync(silo.DeadLetterQueue));
        return found;
    }

    private async Task SourceQueueEmptiesAsync()
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (await silo.Sqs.CountAsync(silo.SourceQueue) > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the source queue did not empty");
            await Task.Delay(200);
        }
    }

    [Fact]
    public async Task Every_valid_message_is_judged_and_deleted_and_sqs_holds_what_the_cluster_cannot_take_yet()
    {
        var ids = Enumerable.Range(0, 40).Select(i => $"valid-{i}").ToList();
        using var sampling = new CancellationTokenSource();
        var maxInFlight = 0;
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                maxInFlight = Math.Max(maxInFlight, silo.Ingress.InFlight);
                await Task.Delay(5);
            }
        });
        await SendAsync(ids.Select((id, i) => Body(id, i % 4 == 3 ? Wrong : Correct)));

        var judged = await Task.WhenAll(ids.Select(JudgedAsync));
        await sampling.CancelAsync();
        await sampler;
        // Judge:Sqs:MaxInFlight=8: never more handed over and unjudged; 40 messages fill that bound.
        Assert.Equal(8, maxInFlight);
        for (var i = 0; i < ids.Count; i++)
            Assert.Equal(i % 4 == 3 ? Verdict.WA : Verdict.AC, judged[i].Verdict);
        await SourceQueueEmptiesAsync();
        Assert.Empty(await silo.Sqs.DrainAsync(silo.DeadLetterQueue));
    }

    [Fact]
    public async Task Message_without_id_is_judged_under_its_sqs_message_id()
    {
        var sent = await silo.Sqs.Client.SendMessageAsync(silo.SourceQueue, Body(null, Correct));
        Assert.Equal(Verdict.AC, (await JudgedAsync(sent.MessageId)).Verdict);
    }

    [Fact]
    public async Task Redelivered_and_duplicate_messages_make_one_submission()
    {
        // Sent three times over: the submission grain takes the first and answers the others "duplicate"; every copy is deleted.
        await SendAsync(Enumerable.Repeat(Body("dup-1", Correct), 3));
        var judged = await JudgedAsync("dup-1");
        Assert.Equal(Verdict.AC, judged.Verdict);
        await SourceQueueEmptiesAsync();
        Assert.Empty(await silo.Sqs.DrainAsync(silo.DeadLetterQueue));

        // The same id with another source is not the same submission: dead-lettered, the first one stands.
        await SendAsync([Body("dup-1", Wrong)]);
        var conflict = Assert.Single(await DeadLetteredAsync(1));
        Assert.Contains("already taken by a different submission", conflict.MessageAttributes[SqsIngressService.ErrorAttribute].StringValue);
        Assert.Equal(Verdict.AC, (await JudgedAsync("dup-1")).Verdict);
    }

    [Fact]
    public async Task Malformed_and_unjudgeable_messages_go_to_the_dead_letter_queue_with_their_reason_and_block_nothing()
    {
        var bad = new Dictionary<string, string>
        {
            ["{not json"] = "not valid JSON",
            ["[]"] = "must be a JSON object",
            ["""{"problem":"aplusb","language":"python3","source":"x"}"""] = "field 'version' is required",
            ["""{"version":9,"problem":"aplusb","language":"python3","source":"x"}"""] = "field 'version' must be 1",
            ["""{"version":1,"language":"python3","source":"x"}"""] = "field 'problem' is required",
            ["""{"version":1,"problem":"aplusb","language":"python3","source":42}"""] = "field 'source' must be a string",
            ["""{"version":1,"problem":"aplusb","language":"python3","source":"x","extra":1}"""] = "unknown field 'extra'",
            ["""{"version":1,"id":"bad id!","problem":"aplusb","language":"python3","source":"x"}"""] = "field 'id' must be",
            [Body("dl-unknown-problem", Correct, problem: "no-such-problem")] = "unknown problem 'no-such-problem'",
            [Body("dl-unknown-language", Correct, language: "cobol")] = "unknown language 'cobol'",
            [Body("dl-not-offered", Correct, language: "rust")] = "language 'rust' is not offered",
        };
        var good = Enumerable.Range(0, 10).Select(i => $"between-{i}").ToList();
        await SendAsync(bad.Keys.Zip(good, (b, g) => new[] { b, Body(g, Correct) }).SelectMany(p => p).Concat(bad.Keys.Skip(good.Count)));

        var dead = await DeadLetteredAsync(bad.Count);
        Assert.Equal(bad.Count, dead.Count);
        foreach (var (body, reason) in bad)
        {
            var message = Assert.Single(dead, m => m.Body == body);
            Assert.Contains(reason, message.MessageAttributes[SqsIngressService.ErrorAttribute].StringValue);
        }
        foreach (var id in good)
            Assert.Equal(Verdict.AC, (await JudgedAsync(id)).Verdict);
        await SourceQueueEmptiesAsync();
    }

    [Fact]
    public async Task Messages_with_invalid_unicode_a_duplicate_key_or_bad_base64_go_to_the_dead_letter_queue_and_a_base64_source_is_judged()
    {
        var bad = new Dictionary<string, string>
        {
            ["""{"version":1,"id":"dl-surrogate","problem":"aplusb","language":"python3","source":"print(1) # \udcff"}"""] = "field 'source' must be valid Unicode text",
            ["""{"version":1,"id":"dl-surrogate-problem","problem":"aplusb\ud800","language":"python3","source":"print(1)"}"""] = "field 'problem' must be valid Unicode text",
            ["""{"version":1,"id":"dl-duplicate","problem":"aplusb","language":"python3","source":"print(1)","source":"print(2)"}"""] = "field 'source' appears more than once",
            ["""{"version":1,"id":"dl-base64","problem":"aplusb","language":"cpp17","sourceEncoding":"base64","source":"#include <cstdio>"}"""] = "field 'source' is not valid base64",
        };
        // A+B in C++ with a Latin-1 comment and a NUL byte: only base64 carries it.
        byte[] cpp = [.. "// caf"u8, 0xe9, 0x00, .. "\n#include <iostream>\nint main(){long long a,b;std::cin>>a>>b;std::cout<<a+b<<\"\\n\";}\n"u8];
        var good = JsonSerializer.Serialize(new { version = 1, id = "sqs-base64", problem = "aplusb", language = "cpp17", sourceEncoding = "base64", source = Convert.ToBase64String(cpp) });
        await SendAsync([.. bad.Keys, good]);

        var dead = await DeadLetteredAsync(bad.Count);
        Assert.Equal(bad.Count, dead.Count);
        foreach (var (body, reason) in bad)
        {
            var message = Assert.Single(dead, m => m.Body == body);
            Assert.Contains(reason, message.MessageAttributes[SqsIngressService.ErrorAttribute].StringValue);
        }
        Assert.Equal(Verdict.AC, (await JudgedAsync("sqs-base64")).Verdict);
        Assert.Equal(cpp, (await silo.Grains.GetGrain<ISubmissionGrain>("sqs-base64").GetRequest())!.SourceContent());
        await SourceQueueEmptiesAsync();
    }
}
