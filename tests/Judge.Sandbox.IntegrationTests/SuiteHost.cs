using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Judge.Cluster.EndToEndTests;
using Judge.Engine.Judging;
using Judge.Engine.Languages;
using Judge.Engine.Problems;
using Judge.Engine.Problems.Store;
using Judge.Engine.Verdicts;

namespace Judge.Sandbox.IntegrationTests;

/// <summary>The package suite's two test classes run one after the other, around one <see cref="SuiteHost"/>.</summary>
[CollectionDefinition(Name)]
public sealed class PackageSuiteCollection : ICollectionFixture<SuiteHost>
{
    public const string Name = "package suite";
}

/// <summary>What both levels of the package suite share: the host's bait (<see cref="HostileHost"/>, set up first, so that the
/// silo's environment carries the secret), the engine-level judge (<see cref="SubmissionJudge"/> on the isolating sandbox of
/// <see cref="TestSandbox"/>), and one silo, as production runs it (a process of an unprivileged user with no capabilities,
/// with its own sandbox daemon, every language, two slots), serving every package of the suite over HTTP.</summary>
public sealed class SuiteHost : IAsyncLifetime
{
    /// <summary>Judging slots of the silo, and cases the engine level judges at once.</summary>
    public const int Slots = 2;

    private readonly string scratch = Directory.CreateTempSubdirectory("judge-package-suite-").FullName;
    private readonly string judgeToken = "suite-judge-token-" + Guid.NewGuid().ToString("N");
    private readonly Lazy<SubmissionJudge> engine = new(() =>
        new SubmissionJudge(TestSandbox.Create(), JudgeOptions.Default with { WorkRoot = TestSandbox.WorkRoot }));
    private readonly Dictionary<string, Task<Problem>> problems = new(StringComparer.Ordinal);

    public HostileHost Host { get; } = new();

    public SiloProcess Silo { get; private set; } = null!;

    /// <summary>The engine-level run of every case.</summary>
    public SuiteRun Engine { get; private set; } = null!;

    /// <summary>The HTTP-level run of the cases of <see cref="SuiteCases.OverHttp"/>.</summary>
    public SuiteRun Http { get; private set; } = null!;

    /// <summary>The silo's problems root: a copy of every package (links inside packages kept).</summary>
    public string ProblemsRoot => Path.Combine(scratch, "problems");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(ProblemsRoot);
        foreach (var package in SuiteCases.PackageDirectories)
            await RunAsync("cp", "-a", package, Path.Combine(ProblemsRoot, Path.GetFileName(package)));
        Silo = new SiloProcess("suite", connectionString: "", clusterId: "suite", index: 0, Path.Combine(scratch, "work"),
            toolchains: string.Join(',', LanguageCatalog.All.Select(l => l.Id)),
            extraArguments: [$"--Judge:Slots={Slots}", $"--{JudgeApiJudgeTokenKey}={judgeToken}"])
        {
            ProblemsRoot = ProblemsRoot,
        };
        Silo.Start();
        Engine = new SuiteRun("engine", SuiteCases.All, JudgeOnEngineAsync, Host, Slots);
        Http = new SuiteRun("http", SuiteCases.OverHttp, JudgeOverHttpAsync, Host, Slots);
        await Silo.WaitReadyAsync();
        Silo.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", judgeToken);
    }

    // Judge.Silo.Http.JudgeApi.JudgeTokenKey (the silo is not referenced as an assembly).
    private const string JudgeApiJudgeTokenKey = "Judge:Http:JudgeToken";

    /// <summary>Loads the package as the engine would (deriving its time limit from its accepted submissions when it states
    /// none), once per package.</summary>
    public Task<Problem> ProblemAsync(string directory)
    {
        lock (problems)
        {
            if (!problems.TryGetValue(directory, out var problem))
                problems[directory] = problem = Task.Run(() => LoadAsync(directory));
            return problem;
        }
    }

    private async Task<Problem> LoadAsync(string directory)
    {
        var problem = ProblemLoader.Load(directory);
        if (!problem.Limits.TimeLimitPending)
            return problem;
        var derived = await new TimeLimitDeriver(engine.Value).DeriveAsync(problem, LanguageCatalog.All.ToDictionary(l => l.Id));
        return TimeLimitDerivation.With(problem, derived);
    }

    private async Task<JudgeReport> JudgeOnEngineAsync(SuiteCase c, CancellationToken cancellationToken)
    {
        var problem = await ProblemAsync(c.PackageDirectory);
        var language = LanguageCatalog.Find(c.Submission.Language!) ?? throw new InvalidDataException($"{c.Name}: unknown language '{c.Submission.Language}'");
        var source = await File.ReadAllTextAsync(c.Submission.SourcePath!, cancellationToken);
        return await engine.Value.JudgeAsync(problem, language, source, IJudgeProgress.None, c.Submission.Expectation!.RunAll, cancellationToken);
    }

    private async Task<JudgeReport> JudgeOverHttpAsync(SuiteCase c, CancellationToken cancellationToken)
    {
        var source = await File.ReadAllTextAsync(c.Submission.SourcePath!, cancellationToken);
        using var response = await Silo.Http.PostAsJsonAsync("/api/submissions?wait=true&judge=true&timeout=240",
            new { problem = c.Package, language = c.Submission.Language, source, runAll = c.Submission.Expectation!.RunAll }, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"{(int)response.StatusCode} {body}\n{Silo.RecentLog}");
        return Report(JsonDocument.Parse(body).RootElement);
    }

    /// <summary>A submission's JSON as the engine's report, so that both levels are checked by the same code.</summary>
    public static JudgeReport Report(JsonElement json)
    {
        var verdict = Enum.Parse<Verdict>(json.GetProperty("verdict").GetString() ?? "");
        var tests = json.GetProperty("tests").EnumerateArray().Select(t => new TestOutcome(
            Text(t, "name") ?? "", Enum.Parse<Verdict>(Text(t, "verdict") ?? ""),
            TimeSpan.FromMilliseconds(t.GetProperty("timeMs").GetInt64()), TimeSpan.FromMilliseconds(t.GetProperty("wallMs").GetInt64()),
            t.GetProperty("memoryKb").GetInt64() * 1024, Int(t, "exitCode"), Text(t, "signal"), Text(t, "message"))
        {
            Score = Number(t, "score"),
            JudgeMessage = Text(t, "judgeMessage"),
        }).ToList();
        return new JudgeReport(verdict, Text(json, "compileOutput"), tests, Text(json, "message"))
        {
            Score = Number(json, "score"),
            MaxScore = Number(json, "maxScore"),
        };
    }

    private static string? Text(JsonElement json, string name) =>
        json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static double? Number(JsonElement json, string name) =>
        json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;

    private static int? Int(JsonElement json, string name) =>
        json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt32() : null;

    private static async Task RunAsync(string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true })!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)}: {error}");
    }

    public async Task DisposeAsync()
    {
        await Silo.DisposeAsync();
        Host.Dispose();
        try
        {
            Directory.Delete(scratch, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }
}
