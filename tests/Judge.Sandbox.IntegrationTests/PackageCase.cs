using System.Text.Json;
using System.Text.Json.Serialization;

namespace Judge.Sandbox.IntegrationTests;

/// <summary>One folder <c>tests/packages/&lt;problem&gt;/submissions/&lt;case&gt;</c>: a source file and its case.json (language,
/// expected verdict, and optionally score, runAll, message and judge message fragments and per-test verdicts).</summary>
public sealed record PackageCase
{
    private static readonly string[] SourceNames = ["source.cpp", "source.c", "source.py", "Source.java"];

    /// <summary><c>problem/case</c>.</summary>
    public required string Name { get; init; }
    public required string Problem { get; init; }
    public required string Language { get; init; }
    public required string Verdict { get; init; }
    public double? Score { get; init; }
    public bool RunAll { get; init; }
    public string? Message { get; init; }

    /// <summary>Text the first failing test's judge message contains (what the checker or interactor told the judges).</summary>
    public string? JudgeMessage { get; init; }

    /// <summary>The signal that ended the submission in the first failing test (<c>SIGPIPE</c>), when the case names one.</summary>
    public string? Signal { get; init; }

    /// <summary>Text no test's message nor judge message may contain (a host file a hostile validator tried to leak).</summary>
    public string? MessagesLack { get; init; }

    public IReadOnlyDictionary<string, string> Tests { get; init; } = new Dictionary<string, string>();
    public required string Source { get; init; }

    /// <summary>Kattis' own submission folders (<c>submissions/accepted/*</c>, ...), holding a package's submissions by
    /// expected verdict rather than cases: judged by the time limit derivation's tests, not as cases.</summary>
    private static readonly HashSet<string> KattisFolders = new(StringComparer.Ordinal)
    {
        "accepted", "wrong_answer", "time_limit_exceeded", "run_time_error", "memory_limit_exceeded", "output_limit_exceeded",
        "rejected", "partially_accepted", "brute_force", "compile_error",
    };

    /// <summary>Every case of every package under <paramref name="packages"/>, as <c>problem/case</c>, sorted.</summary>
    public static IEnumerable<string> Names(string packages) =>
        Directory.EnumerateDirectories(packages)
            .SelectMany(problem => Directory.Exists(Path.Combine(problem, "submissions"))
                ? Directory.EnumerateDirectories(Path.Combine(problem, "submissions"))
                    .Where(c => !KattisFolders.Contains(Path.GetFileName(c)))
                    .Select(c => $"{Path.GetFileName(problem)}/{Path.GetFileName(c)}")
                : [])
            .Order(StringComparer.Ordinal);

    public static PackageCase Load(string packages, string name)
    {
        var (problem, folder) = (name.Split('/')[0], name.Split('/')[1]);
        var directory = Path.Combine(packages, problem, "submissions", folder);
        var json = JsonSerializer.Deserialize<CaseJson>(File.ReadAllText(Path.Combine(directory, "case.json")))
            ?? throw new InvalidDataException($"{name}/case.json is empty");
        var sources = SourceNames.Select(s => Path.Combine(directory, s)).Where(File.Exists).ToList();
        if (sources.Count != 1)
            throw new InvalidDataException($"{name} must hold exactly one of {string.Join(", ", SourceNames)}, found {sources.Count}");
        return new PackageCase
        {
            Name = name,
            Problem = problem,
            Language = json.Language ?? throw new InvalidDataException($"{name}/case.json: language is missing"),
            Verdict = json.Verdict ?? throw new InvalidDataException($"{name}/case.json: verdict is missing"),
            Score = json.Score,
            RunAll = json.RunAll,
            Message = json.Message,
            JudgeMessage = json.JudgeMessage,
            Signal = json.Signal,
            MessagesLack = json.MessagesLack,
            Tests = json.Tests ?? new Dictionary<string, string>(),
            Source = File.ReadAllText(sources[0]),
        };
    }

    private sealed record CaseJson
    {
        [JsonPropertyName("language")] public string? Language { get; init; }
        [JsonPropertyName("verdict")] public string? Verdict { get; init; }
        [JsonPropertyName("score")] public double? Score { get; init; }
        [JsonPropertyName("runAll")] public bool RunAll { get; init; }
        [JsonPropertyName("message")] public string? Message { get; init; }
        [JsonPropertyName("judgeMessage")] public string? JudgeMessage { get; init; }
        [JsonPropertyName("signal")] public string? Signal { get; init; }
        [JsonPropertyName("messagesLack")] public string? MessagesLack { get; init; }
        [JsonPropertyName("tests")] public Dictionary<string, string>? Tests { get; init; }
    }
}
