using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Amazon.SQS.Model;
using Judge.Ingress.Pump;
using Judge.Interfaces;
using Xunit.Abstractions;

namespace Judge.Ingress.IntegrationTests;

[Collection(IngressSiloCollection.Name)]
public sealed class ResultsOutTests(IngressSilo silo, ITestOutputHelper output)
{
    private const string Correct = "a, b = map(int, input().split())\nprint(a + b)\n";
    private const string Wrong = "a, b = map(int, input().split())\nprint(a - b)\n";
    private const string NotPython = "a, b = map(int, input().split()\nprint(a + b)\n";
    private const string CorrectCpp = "#include <iostream>\nint main(){long long a,b;std::cin>>a>>b;std::cout<<a+b<<\"\\n\";}\n";

    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(6);

    private static string Body(string id, string source, string language = "python3", string? callbackUrl = null) =>
        JsonSerializer.Serialize(callbackUrl is null
            ? (object)new { version = 1, id, problem = "aplusb", language, source }
            : new { version = 1, id, problem = "aplusb", language, source, callbackUrl });

    private async Task SendAsync(string queueUrl, IEnumerable<string> bodies)
    {
        foreach (var batch in bodies.Chunk(10))
        {
            var response = await silo.Sqs.Client.SendMessageBatchAsync(queueUrl,
                batch.Select((b, i) => new SendMessageBatchRequestEntry($"m{i}", b)).ToList());
            Assert.True(response.Failed is null or { Count: 0 }, "the emulator refused a message");
        }
    }

    private async Task QueueEmptiesAsync(string queueUrl)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (await silo.Sqs.CountAsync(queueUrl) > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the queue {queueUrl} did not empty");
            await Task.Delay(200);
        }
    }

    /// <summary>Waits until every publisher of <paramref name="ids"/> has delivered all it owes (after which it sends
    /// nothing more) and the collector has read everything sent, then answers the copies per id.</summary>
    private async Task<Dictionary<string, IReadOnlyList<string>>> AllPublishedAsync(IReadOnlyCollection<string> ids)
    {
        var deadline = DateTime.UtcNow + Patience;
        foreach (var id in ids)
        {
            var publisher = silo.Grains.GetGrain<IResultPublisherGrain>(id);
            while (!(await publisher.GetStatus()).Done)
            {
                Assert.True(DateTime.UtcNow < deadline, $"the result of {id} was not published");
                await Task.Delay(100);
            }
        }
        await QueueEmptiesAsync(silo.ResultsQueue);
        Assert.Empty(silo.Results.Unreadable);
        return ids.ToDictionary(id => id, silo.Results.For);
    }

    /// <summary>A cheap mix of verdicts: every fourth accepted (9 tests run), the others wrong (1 test) or not compiling.</summary>
    private static Verdict Expected(int i) => (i % 4) switch { 0 => Verdict.AC, 1 or 2 => Verdict.WA, _ => Verdict.CE };

    private static string Source(Verdict expected) => expected switch { Verdict.AC => Correct, Verdict.WA => Wrong, _ => NotPython };

    private static Verdict VerdictOf(JsonElement result) => Enum.Parse<Verdict>(result.GetProperty("verdict").GetString()!);

    [Fact]
    public async Task A_thousand_messages_give_one_right_result_each_on_the_results_queue_and_leave_the_source_queue_empty()
    {
        // Cheap to judge on two cores: an eighth accepted (9 tests each; 13 of them in C++, compiled), half wrong
        // (stopped at the first test), the rest not even Python (CE at the syntax check).
        var cases = Enumerable.Range(0, 1000).Select(i => (
            Id: $"bulk-{i}",
            Language: i % 80 == 0 ? "cpp17" : "python3",
            Expected: (i % 8) switch { 0 => Verdict.AC, <= 4 => Verdict.WA, _ => Verdict.CE })).ToList();
        var clock = Stopwatch.StartNew();
        await SendAsync(silo.SourceQueue, cases.Select(c => Body(c.Id, c.Expected switch
        {
            Verdict.AC => c.Language == "cpp17" ? CorrectCpp : Correct,
            Verdict.WA => Wrong,
            _ => NotPython,
        }, c.Language)));

        var results = await silo.Results.WaitForAsync(cases.Select(c => c.Id).ToList(), Patience);
        clock.Stop();
        output.WriteLine($"1000 submissions (125 AC with 9 tests each, 13 of them C++; 500 WA stopped at the first test; 375 CE) " +
            $"from enqueue to the last result: {clock.Elapsed.TotalSeconds:0.0} s, {1000 / clock.Elapsed.TotalSeconds:0.0} submissions/s");

        foreach (var (id, language, expected) in cases)
        {
            var result = results[id];
            Assert.Equal(1, result.GetProperty("version").GetInt32());
            Assert.Equal("finished", result.GetProperty("status").GetString());
            Assert.Equal(language, result.GetProperty("language").GetString());
            Assert.Equal(expected, VerdictOf(result));
            var tests = result.GetProperty("tests").EnumerateArray().Select(t => t.GetProperty("verdict").GetString()).ToArray();
            Assert.Equal(expected switch
            {
                Verdict.AC => Enumerable.Repeat("AC", 9).ToArray(),
                Verdict.WA => ["WA", .. Enumerable.Repeat("SK", 8)],
                _ => [],
            }, tests);
        }
        var copies = await AllPublishedAsync(cases.Select(c => c.Id).ToList());
        Assert.All(copies, pair => Assert.Single(pair.Value));
        await QueueEmptiesAsync(silo.SourceQueue);
        Assert.Empty(await silo.Sqs.DrainAsync(silo.DeadLetterQueue));
    }

    [Fact]
    public async Task Messages_delivered_twice_by_redelivery_or_duplicate_sends_give_one_result_per_id()
    {
        var ids = Enumerable.Range(0, 40).Select(i => $"twice-{i}").ToList();
        var bodies = ids.Select((id, i) => Body(id, Source(Expected(i)))).ToList();

        // Every body sent twice at once; meanwhile a consumer that crashes takes what it can and never deletes it:
        // SQS delivers those again after their 2 s visibility timeout.
        await SendAsync(silo.SourceQueue, bodies.Concat(bodies));
        var abandoned = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var taken = await silo.Sqs.Client.ReceiveMessageAsync(new ReceiveMessageRequest
            {
                QueueUrl = silo.SourceQueue, MaxNumberOfMessages = 10, VisibilityTimeout = 2, WaitTimeSeconds = 1,
            });
            abandoned.AddRange((taken.Messages ?? []).Select(m => JsonDocument.Parse(m.Body).RootElement.GetProperty("id").GetString()!));
        }
        Assert.NotEmpty(abandoned); // back-pressure keeps most messages waiting in SQS, so the crashing consumer gets some

        var results = await silo.Results.WaitForAsync(ids, Patience);
        for (var i = 0; i < ids.Count; i++)
            Assert.Equal(Expected(i), VerdictOf(results[ids[i]]));
        await QueueEmptiesAsync(silo.SourceQueue);

        // And once more, after judging: the submission grain answers "duplicate", the publisher has delivered and sends nothing.
        await SendAsync(silo.SourceQueue, bodies);
        await QueueEmptiesAsync(silo.SourceQueue);
        var copies = await AllPublishedAsync(ids);
        Assert.All(copies, pair => Assert.Single(pair.Value));
        Assert.Empty(await silo.Sqs.DrainAsync(silo.DeadLetterQueue));
        output.WriteLine($"{abandoned.Count} messages were redelivered after a consumer abandoned them: {string.Join(", ", abandoned.Distinct())}");
    }

    [Fact]
    public async Task Fifty_malformed_messages_reach_the_dead_letter_queue_with_their_reason_and_block_no_valid_one()
    {
        // A judged submission whose id a later message reuses with another source.
        await SendAsync(silo.SourceQueue, [Body("mal-taken", Correct)]);
        await silo.Results.WaitForAsync(["mal-taken"], Patience);

        static string Message(object fields) => JsonSerializer.Serialize(fields);
        const string p = "aplusb", l = "python3", s = Correct;
        var bad = new List<(string Body, string Reason)>
        {
            ("{not json", "not valid JSON"),
            ("{", "not valid JSON"),
            ("nul", "not valid JSON"),
            ("""{"version":1,""", "not valid JSON"),
            ("<submission/>", "not valid JSON"),
            ("[]", "must be a JSON object, not an array"),
            ("42", "must be a JSON object, not a number"),
            ("\"text\"", "must be a JSON object, not a string"),
            ("null", "must be a JSON object, not null"),
            ("true", "must be a JSON object, not a boolean"),
            (Message(new { problem = p, language = l, source = s }), "field 'version' is required"),
            (Message(new { version = 2, problem = p, language = l, source = s }), "field 'version' must be 1, not 2"),
            (Message(new { version = "1", problem = p, language = l, source = s }), "field 'version' must be 1, not \"1\""),
            (Message(new { version = 0, problem = p, language = l, source = s }), "field 'version' must be 1, not 0"),
            (Message(new { version = 1.5, problem = p, language = l, source = s }), "field 'version' must be 1, not 1.5"),
            (Message(new { version = 1, language = l, source = s }), "field 'problem' is required"),
            (Message(new { version = 1, problem = p, source = s }), "field 'language' is required"),
            (Message(new { version = 1, problem = p, language = l }), "field 'source' is required"),
            (Message(new { version = 1, problem = 7, language = l, source = s }), "field 'problem' must be a string, not a number"),
            (Message(new { version = 1, problem = p, language = new[] { l }, source = s }), "field 'language' must be a string, not an array"),
            (Message(new { version = 1, problem = p, language = l, source = new { text = s } }), "field 'source' must be a string, not an object"),
            (Message(new { version = 1, id = 5, problem = p, language = l, source = s }), "field 'id' must be a string, not a number"),
            (Message(new { version = 1, problem = p, language = l, source = s, callbackUrl = true }), "field 'callbackUrl' must be a string, not a boolean"),
            (Message(new { version = 1, problem = "", language = l, source = s }), "field 'problem' is empty"),
            (Message(new { version = 1, problem = p, language = " ", source = s }), "field 'language' is empty"),
            (Message(new { version = 1, problem = p, language = l, source = "" }), "field 'source' is empty"),
            (Message(new { version = 1, problem = p, language = l, source = s, extra = 1 }), "unknown field 'extra'"),
            (Message(new { version = 1, problem = p, language = l, source = s, sourceCode = s }), "unknown field 'sourceCode'"),
            (Message(new { version = 1, problem = p, language = l, source = s, runAll = "yes" }), "field 'runAll' must be a boolean"),
            (Message(new { version = 1, id = "bad id!", problem = p, language = l, source = s }), "field 'id' must be 1 to 128 characters"),
            (Message(new { version = 1, id = "../etc", problem = p, language = l, source = s }), "field 'id' must be 1 to 128 characters"),
            (Message(new { version = 1, id = "-x", problem = p, language = l, source = s }), "field 'id' must be 1 to 128 characters"),
            (Message(new { version = 1, id = new string('a', 129), problem = p, language = l, source = s }), "field 'id' must be 1 to 128 characters"),
            (Message(new { version = 1, id = "mal-np1", problem = "no-such-problem", language = l, source = s }), "unknown problem 'no-such-problem'"),
            (Message(new { version = 1, id = "mal-np2", problem = "APLUSB", language = l, source = s }), "unknown problem 'APLUSB'"),
            (Message(new { version = 1, id = "mal-np3", problem = "../aplusb", language = l, source = s }), "unknown problem '../aplusb'"),
            (Message(new { version = 1, id = "mal-nl1", problem = p, language = "cobol", source = s }), "unknown language 'cobol'"),
            (Message(new { version = 1, id = "mal-nl2", problem = p, language = "Python3", source = s }), "unknown language 'Python3'"),
            (Message(new { version = 1, id = "mal-nl3", problem = p, language = "cpp", source = s }), "unknown language 'cpp'"),
            (Message(new { version = 1, id = "mal-no1", problem = p, language = "rust", source = s }), "language 'rust' is not offered"),
            (Message(new { version = 1, id = "mal-no2", problem = p, language = "go", source = s }), "language 'go' is not offered"),
            (Message(new { version = 1, id = "mal-cb1", problem = p, language = l, source = s, callbackUrl = "not a url" }), "field 'callbackUrl' must be an absolute http or https URL"),
            (Message(new { version = 1, id = "mal-cb2", problem = p, language = l, source = s, callbackUrl = "ftp://127.0.0.1/hook" }), "field 'callbackUrl' must be an absolute http or https URL"),
            (Message(new { version = 1, id = "mal-cb3", problem = p, language = l, source = s, callbackUrl = "http://user:pw@127.0.0.1/hook" }), "without user name, password or fragment"),
            (Message(new { version = 1, id = "mal-cb4", problem = p, language = l, source = s, callbackUrl = "http://127.0.0.1/hook#x" }), "without user name, password or fragment"),
            (Message(new { version = 1, id = "mal-cb5", problem = p, language = l, source = s, callbackUrl = "http://127.0.0.1/" + new string('a', 2100) }), "field 'callbackUrl' is 2117 characters"),
            (Message(new { version = 1, id = "mal-cb6", problem = p, language = l, source = s, callbackUrl = "http://169.254.169.254/latest/meta-data" }), "host '169.254.169.254' is not allowed (Judge:Results:Webhook:AllowedHosts)"),
            (Message(new { version = 1, id = "mal-cb7", problem = p, language = l, source = s, callbackUrl = "https://example.com/hook" }), "host 'example.com' is not allowed (Judge:Results:Webhook:AllowedHosts)"),
            (Message(new { version = 1, id = "mal-cb8", problem = p, language = l, source = s, callbackUrl = "http://localhost:9/hook" }), "host 'localhost' is not allowed"),
            (Body("mal-taken", Wrong), "submission id 'mal-taken' is already taken by a different submission"),
        };
        Assert.Equal(50, bad.Count);
        Assert.Equal(50, bad.Select(b => b.Body).Distinct().Count());

        var good = Enumerable.Range(0, 25).Select(i => $"mal-good-{i}").ToList();
        await SendAsync(silo.SourceQueue, bad.Select(b => b.Body).Chunk(2).Zip(good, (pair, id) => pair.Append(Body(id, Correct))).SelectMany(x => x));

        var dead = new List<Message>();
        var deadline = DateTime.UtcNow + Patience;
        while (dead.Count < bad.Count && DateTime.UtcNow < deadline)
            dead.AddRange(await silo.Sqs.DrainAsync(silo.DeadLetterQueue));
        Assert.Equal(bad.Count, dead.Count);
        foreach (var (body, reason) in bad)
        {
            var message = Assert.Single(dead, m => m.Body == body);
            Assert.Contains(reason, message.MessageAttributes[SqsIngressService.ErrorAttribute].StringValue);
        }
        var results = await silo.Results.WaitForAsync(good, Patience);
        Assert.All(good, id => Assert.Equal(Verdict.AC, VerdictOf(results[id])));
        Assert.Equal(Verdict.AC, (await silo.Grains.GetGrain<ISubmissionGrain>("mal-taken").Get())!.Verdict);
        await QueueEmptiesAsync(silo.SourceQueue);
    }

    [Fact]
    public async Task Webhook_gets_each_result_once_signed_and_is_retried_when_the_receiver_fails_first()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var behaviours = new[] { "ok", "fail-once", "slow-once" };
        var cases = Enumerable.Range(0, 12).Select(i => (Id: $"hook-{i}", Behaviour: behaviours[i % 3], Expected: i % 4 == 1 ? Verdict.WA : Verdict.AC)).ToList();
        // Most arrive by SQS, two by HTTP: the same callbackUrl field in both.
        await SendAsync(silo.SourceQueue, cases.Skip(2).Select(c => Body(c.Id, c.Expected == Verdict.WA ? Wrong : Correct, callbackUrl: $"{receiver.BaseUrl}/hook/{c.Behaviour}")));
        foreach (var c in cases.Take(2))
        {
            using var response = await silo.Http.PostAsJsonAsync("/api/submissions", new
            {
                id = c.Id, problem = "aplusb", language = "python3", source = c.Expected == Verdict.WA ? Wrong : Correct,
                callbackUrl = $"{receiver.BaseUrl}/hook/{c.Behaviour}",
            });
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        var copies = await AllPublishedAsync(cases.Select(c => c.Id).ToList());
        foreach (var (id, behaviour, expected) in cases)
        {
            var queued = Assert.Single(copies[id]);
            var deliveries = receiver.Deliveries.Where(d => d.SubmissionId == id).ToList();
            var status = await silo.Grains.GetGrain<IResultPublisherGrain>(id).GetStatus();
            Assert.False(status.WebhookGaveUp, status.LastError);

            // Exactly one delivery was accepted; a receiver that failed first got exactly one retry.
            Assert.Single(deliveries, d => d.Status == 200);
            Assert.Equal(behaviour == "ok" ? new[] { "1" } : new[] { "1", "2" }, deliveries.Select(d => d.Attempt).ToArray());
            Assert.Equal(behaviour == "ok" ? new[] { 200 } : new[] { behaviour == "fail-once" ? 503 : 0, 200 }, deliveries.Select(d => d.Status).ToArray());
            foreach (var delivery in deliveries)
            {
                // Every copy: the result queue's bytes, signed as README.md tells receivers to check.
                Assert.Equal(queued, Encoding.UTF8.GetString(delivery.Body));
                Assert.StartsWith("application/json", delivery.ContentType);
                byte[] signed = [.. Encoding.UTF8.GetBytes(delivery.Timestamp + "."), .. delivery.Body];
                var expectedSignature = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(IngressSilo.WebhookSecret), signed));
                Assert.Equal(expectedSignature, delivery.Signature);
                Assert.True(long.TryParse(delivery.Timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out _));
            }
            using var json = JsonDocument.Parse(queued);
            Assert.Equal(id, json.RootElement.GetProperty("id").GetString());
            Assert.Equal(expected, VerdictOf(json.RootElement));
        }
    }

    [Fact]
    public async Task A_rejudge_publishes_one_new_result_for_judging_2_and_does_not_send_the_first_again()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var id = $"rejudged-{Guid.NewGuid():N}";
        using (var response = await silo.Http.PostAsJsonAsync("/api/submissions?wait=true&timeout=300", new
        {
            id, problem = "aplusb", language = "python3", source = Correct, callbackUrl = $"{receiver.BaseUrl}/hook/ok",
        }))
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var first = Assert.Single((await AllPublishedAsync([id]))[id]);

        using (var response = await silo.Http.PostAsync($"/api/submissions/{id}/rejudge", null))
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var deadline = DateTime.UtcNow + Patience;
        while (await silo.Grains.GetGrain<ISubmissionGrain>(id).Get() is not { Judging: 2, Status: SubmissionStatus.Finished })
        {
            Assert.True(DateTime.UtcNow < deadline, $"judging 2 of {id} did not finish");
            await Task.Delay(100);
        }
        // Both publishers done (the first judging's under the bare id, the second's under id#2), everything sent read.
        await AllPublishedAsync([id, $"{id}#2"]);

        var copies = silo.Results.For(id);
        Assert.Equal(2, copies.Count);
        Assert.Equal(first, copies[0]);
        using var second = JsonDocument.Parse(copies[1]);
        Assert.Equal(2, second.RootElement.GetProperty("judging").GetInt32());
        Assert.Equal(Verdict.AC, VerdictOf(second.RootElement));
        Assert.Equal(1, JsonDocument.Parse(first).RootElement.GetProperty("judging").GetInt32());

        var deliveries = receiver.Deliveries.Where(d => d.SubmissionId == id).ToList();
        Assert.Equal([200, 200], deliveries.Select(d => d.Status));
        Assert.Equal(copies, deliveries.Select(d => Encoding.UTF8.GetString(d.Body)));
    }

    [Fact]
    public async Task Webhook_that_keeps_failing_is_given_up_after_the_configured_attempts_and_the_queue_still_has_the_result()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await SendAsync(silo.SourceQueue, [Body("hook-down", Correct, callbackUrl: $"{receiver.BaseUrl}/hook/always-fail")]);

        var copies = await AllPublishedAsync(["hook-down"]);
        Assert.Single(copies["hook-down"]);
        var status = await silo.Grains.GetGrain<IResultPublisherGrain>("hook-down").GetStatus();
        Assert.True(status.WebhookGaveUp);
        Assert.Equal(4, status.WebhookAttempts); // Judge:Results:Webhook:MaxAttempts=4 in these tests
        Assert.Contains("the receiver answered 500", status.LastError);
        var deliveries = receiver.Deliveries.Where(d => d.SubmissionId == "hook-down").ToList();
        Assert.Equal(new[] { "1", "2", "3", "4" }, deliveries.Select(d => d.Attempt).ToArray());
        Assert.All(deliveries, d => Assert.Equal(copies["hook-down"][0], Encoding.UTF8.GetString(d.Body)));
    }

    [Fact]
    public async Task Http_api_refuses_a_callback_url_it_may_not_call_with_the_reason()
    {
        foreach (var (url, reason) in new[]
        {
            ("http://10.0.0.8/hook", "host '10.0.0.8' is not allowed (Judge:Results:Webhook:AllowedHosts)"),
            ("gopher://127.0.0.1/hook", "field 'callbackUrl' must be an absolute http or https URL"),
            ("/relative/hook", "field 'callbackUrl' must be an absolute http or https URL"),
        })
        {
            using var response = await silo.Http.PostAsJsonAsync("/api/submissions", new { problem = "aplusb", language = "python3", source = Correct, callbackUrl = url });
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains(reason, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
        }
    }

    [Fact]
    public async Task Ingress_killed_with_sigkill_mid_batch_and_restarted_loses_no_message()
    {
        var (queue, deadLetter) = await silo.Sqs.CreateQueuesAsync("kill-ingress");
        var ids = Enumerable.Range(0, 60).Select(i => $"kill-{i}").ToList();
        await SendAsync(queue, ids.Select((id, i) => Body(id, Source(Expected(i)))));

        await using var first = new IngressProcess(silo.GatewayPort, queue, silo.Sqs.ServiceUrl);
        first.Start();
        // Mid-batch: some results out, and messages received by this ingress that it has not deleted yet.
        var deadline = DateTime.UtcNow + Patience;
        while (ids.Count(id => silo.Results.For(id).Count > 0) < 5 || await NotVisibleAsync(queue) == 0)
        {
            Assert.False(first.HasExited, first.RecentLog);
            Assert.True(DateTime.UtcNow < deadline, "the first ingress did not get going:\n" + first.RecentLog);
            await Task.Delay(20);
        }
        await first.KillAsync();
        var resultsAtKill = ids.Count(id => silo.Results.For(id).Count > 0);
        var leftAtKill = await silo.Sqs.CountAsync(queue);
        output.WriteLine($"killed with {resultsAtKill} results out and {leftAtKill} messages left in the queue");
        Assert.True(leftAtKill > 0);

        await using var second = new IngressProcess(silo.GatewayPort, queue, silo.Sqs.ServiceUrl);
        second.Start();
        var results = await silo.Results.WaitForAsync(ids, Patience);
        for (var i = 0; i < ids.Count; i++)
            Assert.Equal(Expected(i), VerdictOf(results[ids[i]]));
        await QueueEmptiesAsync(queue);
        var copies = await AllPublishedAsync(ids);
        Assert.All(copies, pair => Assert.Single(pair.Value));
        Assert.Empty(await silo.Sqs.DrainAsync(deadLetter));
    }

    private async Task<int> NotVisibleAsync(string queueUrl) => int.Parse(
        (await silo.Sqs.Client.GetQueueAttributesAsync(queueUrl, ["ApproximateNumberOfMessagesNotVisible"])).Attributes["ApproximateNumberOfMessagesNotVisible"],
        CultureInfo.InvariantCulture);
}
