using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Judge.Engine.Judging;
using Judge.Engine.Problems;
using Judge.Engine.Problems.Store;
using Judge.Grains.Problems;
using Judge.Grains.Toolchains;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Judge.Silo.EndToEndTests;

/// <summary>A silo whose problems are an interactive one (examples/problems/guess), a multi-pass one
/// (tests/packages/doubling), one whose time limit is derived (tests/packages/derivedlegacy) and one refused for stating
/// no time limit and having no accepted submission. The derivation waits at its store until a test lets it go.</summary>
public sealed class DerivingJudgeServer : JudgeServer
{
    private readonly string scratch = Directory.CreateTempSubdirectory("judge-problems-api-").FullName;

    /// <summary>Lets the derivation of derivedlegacy look its store up, and so go on.</summary>
    public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private string ProblemsRoot => Path.Combine(scratch, "problems");

    private string WorkRoot => Path.Combine(scratch, "work");

    protected override IEnumerable<string> Arguments
    {
        get
        {
            Copy(Path.Combine(Repository.ExampleProblems, "guess"), Path.Combine(ProblemsRoot, "guess"));
            Copy(Path.Combine(Repository.Root, "tests", "packages", "doubling"), Path.Combine(ProblemsRoot, "doubling"));
            Copy(Path.Combine(Repository.Root, "tests", "packages", "derivedlegacy"), Path.Combine(ProblemsRoot, "derivedlegacy"));
            Directory.CreateDirectory(Path.Combine(ProblemsRoot, "nolimit", "data", "sample"));
            File.WriteAllText(Path.Combine(ProblemsRoot, "nolimit", "problem.yaml"), "name: No Limit\n");
            File.WriteAllText(Path.Combine(ProblemsRoot, "nolimit", "data", "sample", "1.in"), "1\n");
            File.WriteAllText(Path.Combine(ProblemsRoot, "nolimit", "data", "sample", "1.ans"), "1\n");
            // Kotlin left out: derivedlegacy's sum.kt stands for a submission in a language this judge does not offer.
            return [$"--Judge:Problems:Root={ProblemsRoot}", $"--Judge:WorkRoot={WorkRoot}", "--Judge:Toolchains=cpp17,cpp20,c11,python3,pypy3,java"];
        }
    }

    protected override void Configure(WebApplicationBuilder builder) =>
        builder.Services.AddSingleton(sp => new TimeLimitDerivation(
            sp.GetRequiredService<TimeLimitDeriver>(),
            () => sp.GetRequiredService<ToolchainInventory>().Available,
            // The silo's own store (its file next to the cached version, then the version's grain), held at a gate.
            new GatedStore(new GrainDerivedTimeLimitStore(sp.GetRequiredService<IGrainFactory>(), new FileDerivedTimeLimitStore(Path.Combine(WorkRoot, "problems")),
                "test silo", Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance), Release.Task),
            TimeSpan.FromMinutes(5)));

    public override async Task DisposeAsync()
    {
        Release.TrySetResult();
        await base.DisposeAsync();
        Directory.Delete(scratch, recursive: true);
    }

    private static void Copy(string source, string destination)
    {
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(destination, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy, overwrite: true);
        }
    }

    private sealed class GatedStore(IDerivedTimeLimitStore inner, Task gate) : IDerivedTimeLimitStore
    {
        public async Task<DerivedTimeLimit?> FindAsync(string problemId, string contentHash, CancellationToken cancellationToken)
        {
            if (problemId == "derivedlegacy")
                await gate.WaitAsync(cancellationToken);
            return await inner.FindAsync(problemId, contentHash, cancellationToken);
        }

        public Task<DerivedTimeLimit> RecordAsync(string problemId, string contentHash, DerivedTimeLimit derived, CancellationToken cancellationToken) =>
            inner.RecordAsync(problemId, contentHash, derived, cancellationToken);
    }
}

/// <summary><c>GET /api/problems</c> says where each time limit came from and which problems are interactive or multi-pass;
/// <c>?all=true</c> also lists problems still deriving their time limit and problems refused at load, with the reason; a
/// submission to a problem whose limit is being derived is accepted and judged once the limit is known. One test: the
/// derivation is let go in its middle.</summary>
public sealed class ProblemsApiTests : IClassFixture<DerivingJudgeServer>
{
    private readonly DerivingJudgeServer server;

    public ProblemsApiTests(DerivingJudgeServer server) => this.server = server;

    private async Task<Dictionary<string, JsonElement>> ProblemsAsync(string query = "")
    {
        var list = await server.Http.GetFromJsonAsync<JsonElement>($"/api/problems{query}");
        return list.EnumerateArray().ToDictionary(p => p.GetProperty("id").GetString()!, p => p.Clone());
    }

    [Fact]
    public async Task Problems_show_where_their_time_limit_came_from_refused_ones_say_why_and_a_deriving_one_judges_once_derived()
    {
        var offered = await ProblemsAsync();
        Assert.Equal(["doubling", "guess"], offered.Keys.Order(StringComparer.Ordinal));
        Assert.Equal((true, false), (offered["guess"].GetProperty("interactive").GetBoolean(), offered["guess"].GetProperty("multiPass").GetBoolean()));
        Assert.Equal((false, true), (offered["doubling"].GetProperty("interactive").GetBoolean(), offered["doubling"].GetProperty("multiPass").GetBoolean()));
        Assert.Equal("problem.yaml limits.time_limit", offered["guess"].GetProperty("timeLimitSource").GetString());
        Assert.Equal(".timelimit", offered["doubling"].GetProperty("timeLimitSource").GetString());
        Assert.Equal(1000, offered["guess"].GetProperty("timeLimitMs").GetInt64()); // the fields that were there stay
        Assert.Equal("pass-fail", offered["guess"].GetProperty("type").GetString());

        // nolimit is refused once its derivation finds nothing recorded and nothing to run (at once, in the background).
        using (var refusal = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            while ((await ProblemsAsync("?all=true"))["nolimit"].GetProperty("status").GetString() != "refused")
                await Task.Delay(50, refusal.Token);
        }

        var all = await ProblemsAsync("?all=true");
        Assert.Equal(["derivedlegacy", "doubling", "guess", "nolimit"], all.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("deriving", all["derivedlegacy"].GetProperty("status").GetString());
        Assert.Equal("refused", all["nolimit"].GetProperty("status").GetString());
        Assert.StartsWith("submissions/accepted: the package states no time limit", all["nolimit"].GetProperty("refused").GetString());
        Assert.Equal("ready", all["guess"].GetProperty("status").GetString());

        var (status, body, _) = await server.PostRawAsync("/api/submissions", """{"problem":"nolimit","language":"python3","source":"print(1)"}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith("problem 'nolimit' is refused: submissions/accepted: the package states no time limit", body.GetProperty("error").GetString());

        // A language the catalog knows that no silo here offers (this server leaves Kotlin out) is a 400, not a queued wait.
        (status, body, _) = await server.PostRawAsync("/api/submissions", """{"problem":"guess","language":"kotlin","source":"fun main() {}"}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith("language 'kotlin' is not offered by any silo", body.GetProperty("error").GetString());

        (status, body, _) = await server.PostRawAsync("/api/problems?all=maybe", "");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, status);
        using var bad = await server.Http.GetAsync("/api/problems?all=maybe");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);

        // While the limit is derived, a submission to the problem is accepted and waits, queued; it is judged once the limit is known.
        var source = "a, b = map(int, input().split())\nprint(a + b)\n";
        using var accepted = await server.Http.PostAsJsonAsync("/api/submissions", new { problem = "derivedlegacy", language = "python3", source });
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var id = (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        var queued = await server.Http.GetFromJsonAsync<JsonElement>($"/api/submissions/{id}");
        Assert.Equal("queued", queued.GetProperty("status").GetString());

        server.Release.TrySetResult();
        var judged = await server.JudgeAsync("derivedlegacy", "python3", source);

        Assert.Equal("AC", judged.GetProperty("verdict").GetString());
        var derived = (await ProblemsAsync())["derivedlegacy"];
        Assert.StartsWith("derived: slowest accepted ", derived.GetProperty("timeLimitSource").GetString());
        Assert.Contains("(submissions/accepted/sum.c) x 3 = ", derived.GetProperty("timeLimitSource").GetString());
        Assert.Equal(0, derived.GetProperty("timeLimitMs").GetInt64() % 1000);
        var hash = server.Services.GetRequiredService<ProblemCache>().ContentHash("derivedlegacy")!;
        var recorded = await server.Services.GetRequiredService<IGrainFactory>().GetGrain<Judge.Interfaces.IDerivedTimeLimitGrain>(
            Judge.Interfaces.IDerivedTimeLimitGrain.KeyOf("derivedlegacy", hash)).Get();
        Assert.Equal(derived.GetProperty("timeLimitMs").GetInt64(), recorded!.TimeLimitMs); // the cluster's record is the limit judged with
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        JsonElement first;
        while ((first = await server.Http.GetFromJsonAsync<JsonElement>($"/api/submissions/{id}", timeout.Token)).GetProperty("status").GetString() != "finished")
            await Task.Delay(200, timeout.Token);
        Assert.Equal("AC", first.GetProperty("verdict").GetString());
    }
}
