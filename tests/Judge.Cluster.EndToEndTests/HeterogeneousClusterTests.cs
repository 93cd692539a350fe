using System.Net;
using System.Net.Http.Json;
using Npgsql;

namespace Judge.Cluster.EndToEndTests;

/// <summary>Silos with different toolchains over PostgreSQL: each language is judged only by the silos that have it,
/// whichever silo a submission arrives at.</summary>
public sealed class HeterogeneousClusterTests(HeterogeneousJudgeCluster cluster) : IClassFixture<HeterogeneousJudgeCluster>
{
    [Fact]
    public void Every_silo_runs_unprivileged_and_reaches_its_sandbox_only_through_the_socket()
    {
        foreach (var silo in cluster.Silos)
        {
            var status = File.ReadAllLines($"/proc/{silo.ProcessId}/status")
                .Select(line => line.Split(':', 2))
                .ToDictionary(parts => parts[0], parts => parts[1].Trim());
            Assert.All(status["Uid"].Split('\t'), uid => Assert.Equal(Unprivileged.Uid.ToString(), uid));
            Assert.All(status["Gid"].Split('\t'), gid => Assert.Equal(Unprivileged.Uid.ToString(), gid));
            foreach (var set in new[] { "CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb" })
                Assert.Equal("0000000000000000", status[set]);
            Assert.Equal("", status["Groups"]);
            // the daemon is not the silo's child: it runs on its own, as root, and the silo talks to it over its socket
            Assert.DoesNotContain(Children(silo.ProcessId!.Value), child => child.Command == "judge-sandbox");
            Assert.True(File.Exists(silo.SandboxSocket), silo.SandboxSocket);
        }
    }

    /// <summary>The processes whose parent is <paramref name="pid"/> (from every thread of it), with their command names.</summary>
    private static IEnumerable<(int Pid, string Command)> Children(int pid)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc").Where(d => int.TryParse(Path.GetFileName(d), out _)))
        {
            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(dir, "stat"));
            }
            catch (IOException)
            {
                continue; // gone meanwhile
            }
            var close = stat.LastIndexOf(')');
            var fields = stat[(close + 2)..].Split(' ');
            if (int.Parse(fields[1]) == pid)
                yield return (int.Parse(Path.GetFileName(dir)), stat[(stat.IndexOf('(') + 1)..close]);
        }
    }

    [Fact]
    public async Task A_silo_restricted_to_python3_never_runs_cpp_work_and_the_cpp_silo_never_runs_python()
    {
        const string cpp = "#include <iostream>\nint main(){long long a,b;std::cin>>a>>b;std::cout<<a+b<<\"\\n\";}\n";
        const string python = "a, b = map(int, input().split())\nprint(a + b)\n";
        var cppSilo = cluster.Silos[0];
        var pythonSilo = cluster.Silos[1];

        // Both languages arrive at both silos.
        var submissions = Enumerable.Range(0, 16)
            .Select(i => (Id: $"hetero-{i:00}-{Guid.NewGuid():N}", Language: i % 2 == 0 ? "cpp17" : "python3", Via: cluster.Silos[i / 2 % 2]))
            .ToList();
        foreach (var (id, language, via) in submissions)
        {
            using var response = await via.Http.PostAsJsonAsync("/api/submissions",
                new { id, problem = "aplusb", language, source = language == "cpp17" ? cpp : python });
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        var deadline = DateTime.UtcNow.AddMinutes(4);
        Dictionary<string, (string Verdict, string JudgedBy)> rows;
        while ((rows = await FinishedAsync(submissions.Select(s => s.Id))).Count < submissions.Count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{rows.Count} of {submissions.Count} finished:\n{cppSilo.RecentLog}\n{pythonSilo.RecentLog}");
            await Task.Delay(200);
        }
        foreach (var (id, language, _) in submissions)
        {
            var (verdict, judgedBy) = rows[id];
            Assert.Equal("AC", verdict);
            var expected = language == "cpp17" ? cppSilo : pythonSilo;
            Assert.True(judgedBy.StartsWith(expected.AddressPrefix, StringComparison.Ordinal),
                $"{id} ({language}) was judged by {judgedBy}, not {expected.Name} ({expected.AddressPrefix}...)");
        }

        // The cluster's language list is the union, whichever silo answers.
        foreach (var silo in cluster.Silos)
        {
            var languages = (await silo.GetJsonAsync("/api/languages")).EnumerateArray().Select(l => l.GetProperty("id").GetString()).ToHashSet();
            Assert.Contains("cpp17", languages);
            Assert.Contains("python3", languages);
            Assert.DoesNotContain("java", languages);
        }
    }

    private async Task<Dictionary<string, (string, string)>> FinishedAsync(IEnumerable<string> ids)
    {
        await using var connection = await cluster.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT id, verdict, judged_by FROM judge_submissions WHERE id = ANY($1) AND status = 'finished'", connection)
        {
            Parameters = { new() { Value = ids.ToArray() } },
        };
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new Dictionary<string, (string, string)>();
        while (await reader.ReadAsync())
            rows[reader.GetString(0)] = (reader.GetString(1), reader.GetString(2));
        return rows;
    }
}
