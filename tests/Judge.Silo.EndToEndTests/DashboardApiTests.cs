using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Judge.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Judge.Silo.EndToEndTests;

/// <summary>The dashboard's API on a real embedded silo: the live feed (SSE), the submissions list and the cluster view.</summary>
[Collection(JudgeServerCollection.Name)]
public sealed class DashboardApiTests(JudgeServer server)
{
    private const string PythonAplusb = "a, b = map(int, input().split())\nprint(a + b)\n";
    private const string PythonWrong = "a, b = map(int, input().split())\nprint(a - b)\n";

    private static readonly string[] Lifecycle = ["queued", "compiling", "running", "finished"];

    private async Task SubmitAsync(string id, string source = PythonAplusb, bool wait = false)
    {
        using var response = await server.Http.PostAsJsonAsync(wait ? "/api/submissions?wait=true&timeout=300" : "/api/submissions",
            new { id, problem = "aplusb", language = "python3", source });
        Assert.True(response.IsSuccessStatusCode, $"submitting {id}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private static string StatusOf(ServerSentEvent e) => e.Json.GetProperty("status").GetString()!;

    private static long Sequence(ServerSentEvent e) => long.Parse(e.Id![(e.Id!.LastIndexOf('-') + 1)..]);

    [Fact]
    public async Task The_stream_shows_a_submission_go_from_queued_through_each_test_to_finished_in_order()
    {
        var id = $"feed-order-{Guid.NewGuid():N}";
        await using var stream = await EventStream.OpenAsync(server.Http, "/api/events");
        Assert.Equal("text/event-stream", stream.ContentType);
        Assert.Equal(2000, stream.Retry);

        await SubmitAsync(id);
        var events = (await stream.ReadUntilAsync(e => e.Json.GetProperty("id").GetString() == id && StatusOf(e) == "finished", $"{id} finished"))
            .Where(e => e.Json.GetProperty("id").GetString() == id)
            .ToList();

        Assert.All(events, e => Assert.Equal("submission", e.Type));
        var statuses = events.Select(StatusOf).ToList();
        Assert.Equal(Lifecycle, statuses.Distinct());
        Assert.Equal(statuses.OrderBy(s => Array.IndexOf(Lifecycle, s)), statuses);
        Assert.Equal(events.Select(Sequence).Order(), events.Select(Sequence));

        // While running: "test k of n", k counting up to n, with the test's name. Progress is published live at most
        // every 50 ms (issue 14: nothing is published or stored per test), so tests judged within one such spell show as one step.
        var running = events.Where(e => StatusOf(e) == "running").Select(e => e.Json).ToList();
        Assert.All(running, r => Assert.Equal(9, r.GetProperty("testCount").GetInt32()));
        var done = running.Select(r => r.GetProperty("testsDone").GetInt32()).ToList();
        Assert.Equal(done.Order(), done);
        Assert.Equal(0, done[0]);
        Assert.All(done, k => Assert.InRange(k, 0, 9));
        // The tests named are the problem's, in its order (sample/1, sample/2, secret/01-small, ...: ordinal order is test
        // order here); which of them show depends on how the spells fall (and on the fan-out), so no particular one is required.
        var named = running.Select(r => r.GetProperty("currentTest").GetString()).OfType<string>().ToList();
        Assert.NotEmpty(named);
        Assert.All(named, name => Assert.Matches(@"^(sample/[12]|secret/0[1-7]-[a-z0-9-]+)$", name));
        Assert.Equal(named.Order(StringComparer.Ordinal), named);

        var last = events[^1].Json;
        Assert.Equal("AC", last.GetProperty("verdict").GetString());
        Assert.Equal(9, last.GetProperty("testsDone").GetInt32());
        foreach (var field in new[] { "id", "problem", "language", "status", "verdict", "score", "maxScore", "timeMs", "memoryKb", "testCount",
                     "testsDone", "currentTest", "judgedBy", "submittedBy", "createdAt", "startedAt", "finishedAt", "judging" })
            Assert.True(last.TryGetProperty(field, out _), $"the summary has '{field}'");
        Assert.False(last.TryGetProperty("tests", out _), "the summary has no tests");
        Assert.Equal(1, last.GetProperty("judging").GetInt32());
    }

    [Fact]
    public async Task The_stream_of_one_submission_starts_with_its_current_state_and_carries_its_tests()
    {
        var finishedId = $"feed-one-{Guid.NewGuid():N}";
        await SubmitAsync(finishedId, wait: true);
        await using (var stream = await EventStream.OpenAsync(server.Http, $"/api/events?id={finishedId}"))
        {
            var first = (await stream.NextAsync($"the current state of {finishedId}")).Json;
            Assert.Equal("finished", first.GetProperty("status").GetString());
            Assert.Equal(9, first.GetProperty("tests").GetArrayLength());
            Assert.True(first.TryGetProperty("compileOutput", out _));
        }

        // Other submissions' changes do not show; this one's do, each with the tests judged so far.
        var id = $"feed-one-{Guid.NewGuid():N}";
        var other = $"feed-other-{Guid.NewGuid():N}";
        await SubmitAsync(id);
        await using var live = await EventStream.OpenAsync(server.Http, $"/api/events?id={id}");
        await SubmitAsync(other);
        var events = await live.ReadUntilAsync(e => StatusOf(e) == "finished", $"{id} finished");
        Assert.All(events, e => Assert.Equal(id, e.Json.GetProperty("id").GetString()));
        var tests = events.Select(e => e.Json.GetProperty("tests").GetArrayLength()).ToList();
        Assert.Equal(9, tests[^1]);
        Assert.True(tests.Distinct().Count() > 2, $"the tests fill in: {string.Join(",", tests)}");
    }

    [Fact]
    public async Task The_stream_of_one_submission_replays_what_a_reconnecting_client_missed()
    {
        var id = $"feed-one-replay-{Guid.NewGuid():N}";
        await SubmitAsync(id);
        await using var first = await EventStream.OpenAsync(server.Http, $"/api/events?id={id}");
        var all = await first.ReadUntilAsync(e => StatusOf(e) == "finished", $"{id} finished");
        Assert.True(all.Count > 4, $"{all.Count} events");

        var lastSeen = all[2];
        await using var again = await EventStream.OpenAsync(server.Http, $"/api/events?id={id}", lastEventId: lastSeen.Id);
        var replayed = await again.ReadUntilAsync(e => StatusOf(e) == "finished", $"the replay of {id}");
        Assert.Equal(all.Skip(3).Select(e => (e.Id, e.Data)), replayed.Select(e => (e.Id, e.Data)));
    }

    [Fact]
    public async Task The_stream_of_an_unknown_or_malformed_id_is_404_or_400()
    {
        await using var unknown = await EventStream.OpenAsync(server.Http, $"/api/events?id=never-{Guid.NewGuid():N}");
        Assert.Equal(404, unknown.Status);
        await using var malformed = await EventStream.OpenAsync(server.Http, "/api/events?id=%2Fetc");
        Assert.Equal(400, malformed.Status);
    }

    [Fact]
    public async Task A_client_that_reconnects_with_Last_Event_ID_is_replayed_exactly_the_events_it_missed()
    {
        var id = $"feed-replay-{Guid.NewGuid():N}";
        await using var watcher = await EventStream.OpenAsync(server.Http, "/api/events");
        await SubmitAsync(id);
        var seen = await watcher.ReadUntilAsync(e => e.Json.GetProperty("id").GetString() == id && StatusOf(e) == "finished", $"{id} finished");
        var mine = seen.Where(e => e.Json.GetProperty("id").GetString() == id).ToList();
        Assert.True(mine.Count > 5);

        // A client that saw up to the third state of the submission reconnects.
        var lastSeen = mine[2];
        var missed = seen.SkipWhile(e => e.Id != lastSeen.Id).Skip(1).ToList();
        await using var reconnected = await EventStream.OpenAsync(server.Http, "/api/events", lastEventId: lastSeen.Id);
        var replayed = await reconnected.ReadUntilAsync(e => e.Id == seen[^1].Id, "the replay up to the finished state");
        Assert.Equal(missed.Select(e => (e.Id, e.Data)), replayed.Select(e => (e.Id, e.Data)));
    }

    [Fact]
    public async Task An_event_id_from_another_silo_or_an_earlier_run_gets_a_reset()
    {
        foreach (var foreign in new[] { "0123456789ab-5", "no-such-thing", "x" })
        {
            await using var stream = await EventStream.OpenAsync(server.Http, "/api/events", lastEventId: foreign);
            var reset = await stream.NextAsync($"the reset for {foreign}");
            Assert.Equal("reset", reset.Type);
            Assert.False(string.IsNullOrEmpty(reset.Json.GetProperty("reason").GetString()));
            Assert.NotNull(reset.Id); // reconnecting with it replays what comes next
        }
    }

    [Fact]
    public async Task The_list_is_newest_first_filters_exactly_and_pages_with_next()
    {
        var prefix = $"list-{Guid.NewGuid():N}";
        await SubmitAsync($"{prefix}-1", wait: true);
        await SubmitAsync($"{prefix}-2", PythonWrong, wait: true);
        await SubmitAsync($"{prefix}-3", wait: true);

        // The list follows the feed, which delivers a change within a batch delay of the write that answered the wait.
        var all = await ListUntilAsync($"idPrefix={prefix}&status=finished", page => Ids(page).Count == 3);
        Assert.Equal([$"{prefix}-3", $"{prefix}-2", $"{prefix}-1"], Ids(all));
        Assert.Equal(Ids(all), Ids(await ListAsync($"idPrefix={prefix}")));
        Assert.Equal(JsonValueKind.Null, all.GetProperty("next").ValueKind);

        var first = await ListAsync($"idPrefix={prefix}&limit=2");
        Assert.Equal([$"{prefix}-3", $"{prefix}-2"], Ids(first));
        var next = first.GetProperty("next").GetString()!;
        var second = await ListAsync($"idPrefix={prefix}&limit=2&before={Uri.EscapeDataString(next)}");
        Assert.Equal([$"{prefix}-1"], Ids(second));
        Assert.Equal(JsonValueKind.Null, second.GetProperty("next").ValueKind);

        Assert.Equal([$"{prefix}-2"], Ids(await ListAsync($"idPrefix={prefix}&verdict=WA")));
        Assert.Equal([$"{prefix}-3", $"{prefix}-1"], Ids(await ListAsync($"idPrefix={prefix}&verdict=AC&status=finished&language=python3&problem=aplusb")));
        Assert.Empty(Ids(await ListAsync($"idPrefix={prefix}&problem=triangle")));
        Assert.Empty(Ids(await ListAsync($"idPrefix={prefix}&status=queued")));

        var row = all.GetProperty("items")[0];
        Assert.Equal("finished", row.GetProperty("status").GetString());
        Assert.Equal(9, row.GetProperty("testsDone").GetInt32());
        Assert.StartsWith("S127.0.0.1:", row.GetProperty("judgedBy").GetString());
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=501", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("limit=5&limit=6", "limit")]
    [InlineData("verdict=XX", "verdict")]
    [InlineData("verdict=ac", "verdict")]
    [InlineData("status=done", "status")]
    [InlineData("before=bm9wZQ", "before")]
    [InlineData("before=%%%", "before")]
    public async Task A_bad_list_parameter_is_400_naming_it(string query, string parameter)
    {
        using var response = await server.Http.GetAsync($"/api/submissions?{query}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString();
        Assert.Contains($"'{parameter}'", error);
    }

    [Fact]
    public void A_caller_with_submit_but_not_read_lists_only_its_own_submissions()
    {
        var none = new QueryCollection();
        var own = DashboardApi.ParseQuery(none, new JudgeCaller("alice", new HashSet<string> { JudgeScopes.Submit }), out _)!;
        Assert.True(own.OwnOnly);
        Assert.Equal("alice", own.Owner);
        var reader = DashboardApi.ParseQuery(none, new JudgeCaller("bob", new HashSet<string> { JudgeScopes.Read }), out _)!;
        Assert.False(reader.OwnOnly);
        var open = DashboardApi.ParseQuery(new QueryCollection(new Dictionary<string, StringValues> { ["limit"] = "7" }), JudgeCaller.Open, out _)!;
        Assert.Equal((7, false), (open.Limit, open.OwnOnly));

        var mine = new Judge.Interfaces.SubmissionSummary { Id = "a", Problem = "p", Language = "python3", SubmittedBy = "alice" };
        Assert.True(own.Matches(mine));
        Assert.False(own.Matches(mine with { SubmittedBy = "bob" }));
        Assert.False(own.Matches(mine with { SubmittedBy = null }));
    }

    [Fact]
    public async Task The_cluster_view_shows_this_silo_with_its_languages_slots_and_the_last_hour()
    {
        await SubmitAsync($"cluster-{Guid.NewGuid():N}", wait: true);
        var cluster = await server.Http.GetFromJsonAsync<JsonElement>("/api/cluster");

        var silo = Assert.Single(cluster.GetProperty("silos").EnumerateArray());
        Assert.StartsWith("S127.0.0.1:", silo.GetProperty("address").GetString());
        Assert.Equal("active", silo.GetProperty("status").GetString());
        Assert.False(silo.GetProperty("stale").GetBoolean());
        Assert.True(silo.GetProperty("slotsTotal").GetInt32() >= 1);
        var python = silo.GetProperty("languages").EnumerateArray().Single(l => l.GetProperty("id").GetString() == "python3");
        Assert.StartsWith("Python 3", python.GetProperty("displayName").GetString());
        Assert.True(silo.TryGetProperty("runsPerSecond", out _));
        Assert.True(silo.TryGetProperty("lastHeartbeat", out _));
        Assert.Equal(JsonValueKind.Array, cluster.GetProperty("ingress").ValueKind);

        var stats = cluster.GetProperty("stats");
        var minutes = stats.GetProperty("minutes").EnumerateArray().ToList();
        Assert.Equal(60, minutes.Count);
        Assert.True(minutes[^1].GetProperty("submitted").GetInt32() + minutes[^2].GetProperty("submitted").GetInt32() >= 1);
        Assert.True(stats.GetProperty("verdicts").GetProperty("AC").GetInt32() >= 1);
        Assert.True(stats.GetProperty("judgingMs").GetProperty("p50").GetDouble() > 0);
        foreach (var field in new[] { "p50", "p90", "p99" })
            Assert.True(stats.GetProperty("queueWaitMs").TryGetProperty(field, out _));
    }

    private async Task<JsonElement> ListUntilAsync(string query, Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var page = await ListAsync(query);
            if (done(page))
                return page;
            Assert.True(DateTime.UtcNow < deadline, $"the list did not show what was expected for {query}: {page}");
            await Task.Delay(50);
        }
    }

    private async Task<JsonElement> ListAsync(string query)
    {
        using var response = await server.Http.GetAsync($"/api/submissions?{query}");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{query}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static List<string> Ids(JsonElement page) => page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!).ToList();
}
