using System.Net.Http.Json;
using System.Text.Json;

namespace Judge.Cluster.EndToEndTests;

/// <summary>Two silo processes over PostgreSQL with different toolchains, for the live feed: silo0 offers only C++17,
/// silo1 only Python 3. One of its tests kills silo1.</summary>
public sealed class LiveFeedCluster : JudgeCluster
{
    public LiveFeedCluster() : base("cpp17", "python3")
    {
    }
}

/// <summary>The feed, the list and the cluster view are cluster-wide: a page on one silo sees what another judges.</summary>
public sealed class LiveFeedClusterTests(LiveFeedCluster cluster) : IClassFixture<LiveFeedCluster>
{
    private const string Cpp = "#include <iostream>\nint main(){long long a,b;std::cin>>a>>b;std::cout<<a+b<<\"\\n\";}\n";
    private const string Python = "a, b = map(int, input().split())\nprint(a + b)\n";

    private static string Id(ServerSentEvent e) => e.Json.GetProperty("id").GetString()!;

    private static string Status(ServerSentEvent e) => e.Json.GetProperty("status").GetString()!;

    private static async Task<List<JsonElement>> SilosAsync(SiloProcess via) =>
        (await via.GetJsonAsync("/api/cluster")).GetProperty("silos").EnumerateArray().ToList();

    [Fact]
    public async Task Each_silo_streams_and_lists_every_state_of_submissions_judged_on_the_other_and_notices_its_death()
    {
        var (cppSilo, pythonSilo) = (cluster.Silos[0], cluster.Silos[1]);

        // Both silos registered with each other; each refreshes its list of receivers every heartbeat (3 s).
        var deadline = DateTime.UtcNow.AddMinutes(2);
        foreach (var silo in cluster.Silos)
        {
            while ((await SilosAsync(silo)).Count(s => !s.GetProperty("stale").GetBoolean()) < 2)
            {
                Assert.True(DateTime.UtcNow < deadline, $"{silo.Name} does not list both silos:\n{await silo.Http.GetStringAsync("/api/cluster")}");
                await Task.Delay(200);
            }
        }
        await Task.Delay(TimeSpan.FromSeconds(7));

        // Each silo's cluster view lists both silos with their own languages.
        foreach (var via in cluster.Silos)
        {
            var silos = await SilosAsync(via);
            foreach (var (silo, language, other) in new[] { (cppSilo, "cpp17", "python3"), (pythonSilo, "python3", "cpp17") })
            {
                var view = silos.Single(s => s.GetProperty("address").GetString()!.StartsWith(silo.AddressPrefix, StringComparison.Ordinal));
                var languages = view.GetProperty("languages").EnumerateArray().Select(l => l.GetProperty("id").GetString()).ToList();
                Assert.Contains(language, languages);
                Assert.DoesNotContain(other, languages);
                Assert.Equal("active", view.GetProperty("status").GetString());
                Assert.Equal(1, view.GetProperty("slotsTotal").GetInt32());
            }
        }

        await using var onCpp = await EventStream.OpenAsync(cppSilo.Http, "/api/events");
        await using var onPython = await EventStream.OpenAsync(pythonSilo.Http, "/api/events");

        // Python work is judged on silo1, C++ work on silo0, whichever silo it arrives at and wherever its grain lives.
        var submissions = new List<(string Id, string Language, SiloProcess Judge)>();
        for (var i = 0; i < 3; i++)
        {
            submissions.Add(($"feed-py-{i}-{Guid.NewGuid():N}", "python3", pythonSilo));
            submissions.Add(($"feed-cpp-{i}-{Guid.NewGuid():N}", "cpp17", cppSilo));
        }
        foreach (var (id, language, _) in submissions)
        {
            using var response = await cluster.Silos[submissions.FindIndex(s => s.Id == id) % 2].Http.PostAsJsonAsync("/api/submissions",
                new { id, problem = "aplusb", language, source = language == "cpp17" ? Cpp : Python });
            response.EnsureSuccessStatusCode();
        }

        var seen = new Dictionary<EventStream, Dictionary<string, List<string>>>();
        foreach (var stream in new[] { onCpp, onPython })
        {
            var pending = submissions.Select(s => s.Id).ToHashSet();
            var byId = submissions.ToDictionary(s => s.Id, _ => new List<string>());
            await stream.ReadUntilAsync(e =>
            {
                if (byId.TryGetValue(Id(e), out var states))
                {
                    states.Add(e.Data);
                    if (Status(e) == "finished")
                        pending.Remove(Id(e));
                }
                return pending.Count == 0;
            }, "every submission finished", TimeSpan.FromMinutes(4));
            seen[stream] = byId;
        }

        foreach (var (id, _, judge) in submissions)
        {
            // Every state, in order, identical on both silos.
            Assert.True(seen[onCpp][id].SequenceEqual(seen[onPython][id]),
                $"{id}: the silos streamed different states\non silo0: {Describe(seen[onCpp][id])}\non silo1: {Describe(seen[onPython][id])}\n"
                + $"first difference:\n{seen[onCpp][id].Zip(seen[onPython][id]).FirstOrDefault(p => p.First != p.Second)}");
            var states = seen[onCpp][id].Select(data => JsonDocument.Parse(data).RootElement).ToList();
            Assert.Equal(["queued", "compiling", "running", "finished"], states.Select(s => s.GetProperty("status").GetString()).Distinct());
            // Tests done count up from 0 to 9; progress is published at most every 50 ms (issue 14), so fast tests show in steps.
            var done = states.Select(s => s.GetProperty("testsDone").GetInt32()).ToList();
            Assert.Equal(done.Order(), done);
            Assert.Equal(0, done[0]);
            Assert.Equal(9, done[^1]);
            var last = states[^1];
            Assert.Equal("AC", last.GetProperty("verdict").GetString());
            Assert.StartsWith(judge.AddressPrefix, last.GetProperty("judgedBy").GetString());

            // Both silos list it (from the results table), finished.
            foreach (var via in cluster.Silos)
            {
                var row = (await via.GetJsonAsync($"/api/submissions?idPrefix={id}")).GetProperty("items").EnumerateArray().Single();
                Assert.Equal(id, row.GetProperty("id").GetString());
                Assert.Equal("finished", row.GetProperty("status").GetString());
                Assert.Equal(9, row.GetProperty("testsDone").GetInt32());
                Assert.StartsWith(judge.AddressPrefix, row.GetProperty("judgedBy").GetString());
            }
        }
        var stats = (await cppSilo.GetJsonAsync("/api/cluster")).GetProperty("stats");
        Assert.True(stats.GetProperty("verdicts").GetProperty("AC").GetInt32() >= submissions.Count);

        // Silo1 dies: silo0's cluster view marks it stale, then drops it.
        await pythonSilo.KillAsync();
        deadline = DateTime.UtcNow.AddMinutes(1);
        while (true)
        {
            var python = (await SilosAsync(cppSilo)).SingleOrDefault(s => s.GetProperty("address").GetString()!.StartsWith(pythonSilo.AddressPrefix, StringComparison.Ordinal));
            if (python.ValueKind == JsonValueKind.Undefined || python.GetProperty("stale").GetBoolean())
                break;
            Assert.True(DateTime.UtcNow < deadline, $"silo0 still shows the killed silo1 as live: {python}");
            await Task.Delay(250);
        }
        var cppView = (await SilosAsync(cppSilo)).Single(s => s.GetProperty("address").GetString()!.StartsWith(cppSilo.AddressPrefix, StringComparison.Ordinal));
        Assert.False(cppView.GetProperty("stale").GetBoolean());
    }

    /// <summary>Each streamed state as status, tests done and verdict, for a failure message.</summary>
    private static string Describe(List<string> states) => string.Join(" | ", states.Select(data =>
    {
        var state = JsonDocument.Parse(data).RootElement;
        var verdict = state.TryGetProperty("verdict", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : "-";
        return $"{state.GetProperty("status").GetString()} {state.GetProperty("testsDone").GetInt32()} {verdict}";
    }));
}
