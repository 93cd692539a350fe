using System.Text.Json;
using System.Text.Json.Serialization;
using Judge.Engine.Judging;
using Judge.Engine.Verdicts;

namespace Judge.Engine.Verification;

/// <summary>This repository's own case layout (tests/packages/README.md): a folder <c>submissions/&lt;case&gt;/</c> holding one
/// source and a <c>case.json</c> with the language, the exact verdict (or the verdicts that are all honest), and optionally
/// the score, <c>runAll</c>, message fragments, the signal, single tests' verdicts and a host effect the test suites check.</summary>
public sealed record PackageCase
{
    /// <summary>The case file's name.</summary>
    public const string FileName = "case.json";

    /// <summary>The source file names a case folder may hold (exactly one of them).</summary>
    public static IReadOnlyList<string> SourceNames { get; } = ["source.cpp", "source.c", "source.py", "Source.java",
        "source.kt", "source.rs", "source.go", "source.js", "source.cs"];

    public required string Language { get; init; }

    /// <summary>The verdicts the case accepts (<c>verdict</c>, or <c>verdicts</c> when several are honest), in file order.</summary>
    public required IReadOnlyList<string> Verdicts { get; init; }

    /// <summary>The expected verdict as text: <c>WA</c>, or <c>OLE|RE</c> when several are accepted.</summary>
    public string Verdict => string.Join("|", Verdicts);

    /// <summary>What must not happen on the host, checked by the test suites after the judgement (tests/packages/hostile/README.md):
    /// <c>none</c>, <c>no-file:/path</c>, <c>no-process:marker</c>, <c>no-connection</c> or <c>output-lacks:text</c>.</summary>
    public string Effect { get; init; } = "none";

    /// <summary>What the case does or attempts.</summary>
    public string? Note { get; init; }

    /// <summary>Whether the case could harm a machine judging without isolation (fork bombs, <c>kill(-1)</c>, filling /tmp).</summary>
    public bool DangerousUnsandboxed { get; init; }
    public double? Score { get; init; }
    public bool RunAll { get; init; }

    /// <summary>Text the first failing test's message contains.</summary>
    public string? Message { get; init; }

    /// <summary>Text the first failing test's judge message contains (what the checker or interactor told the judges).</summary>
    public string? JudgeMessage { get; init; }

    /// <summary>The signal that ended the submission in the first failing test (<c>SIGPIPE</c>), when the case names one.</summary>
    public string? Signal { get; init; }

    /// <summary>Text the compiler's output must contain (a compile error's message).</summary>
    public string? CompileOutput { get; init; }

    /// <summary>Text no test's message nor judge message may contain (a host file a hostile validator tried to leak).</summary>
    public string? MessagesLack { get; init; }

    /// <summary>Verdicts of single tests, by test name.</summary>
    public IReadOnlyDictionary<string, string> Tests { get; init; } = new Dictionary<string, string>();

    /// <summary>The case folder's one source file.</summary>
    public required string SourcePath { get; init; }

    /// <summary>Reads the case of <paramref name="directory"/>; <paramref name="name"/> names it in errors.</summary>
    /// <exception cref="InvalidDataException">The case.json or the source is missing or malformed; the message names the file.</exception>
    public static PackageCase Load(string directory, string name)
    {
        CaseJson json;
        try
        {
            json = JsonSerializer.Deserialize<CaseJson>(File.ReadAllText(Path.Combine(directory, FileName)))
                ?? throw new InvalidDataException($"{name}/{FileName} is empty");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{name}/{FileName} is not valid: {e.Message}", e);
        }
        var sources = SourceNames.Select(s => Path.Combine(directory, s)).Where(File.Exists).ToList();
        if (sources.Count != 1)
            throw new InvalidDataException($"{name} must hold exactly one of {string.Join(", ", SourceNames)}, found {sources.Count}");
        if (json.Verdict is not null && json.Verdicts is not null)
            throw new InvalidDataException($"{name}/{FileName}: give verdict or verdicts, not both");
        IReadOnlyList<string> verdicts = json.Verdict is { } one ? [one] : json.Verdicts is { Length: > 0 } several ? several
            : throw new InvalidDataException($"{name}/{FileName}: verdict is missing");
        foreach (var verdict in verdicts)
        {
            if (!Enum.TryParse<Verdict>(verdict, ignoreCase: false, out _))
                throw new InvalidDataException($"{name}/{FileName}: verdict '{verdict}' is not one of {string.Join(", ", Enum.GetNames<Verdict>())}");
        }
        var effect = json.Effect ?? "none";
        if (!IsEffect(effect))
            throw new InvalidDataException($"{name}/{FileName}: effect '{effect}' is not none, no-file:/path, no-process:marker, no-connection or output-lacks:text");
        return new PackageCase
        {
            Language = json.Language ?? throw new InvalidDataException($"{name}/{FileName}: language is missing"),
            Verdicts = verdicts,
            Effect = effect,
            Note = json.Note,
            DangerousUnsandboxed = json.DangerousUnsandboxed,
            Score = json.Score,
            RunAll = json.RunAll,
            Message = json.Message,
            JudgeMessage = json.JudgeMessage,
            Signal = json.Signal,
            CompileOutput = json.CompileOutput,
            MessagesLack = json.MessagesLack,
            Tests = json.Tests ?? new Dictionary<string, string>(),
            SourcePath = sources[0],
        };
    }

    /// <summary>Why <paramref name="report"/> is not what this case expects; empty when it is.</summary>
    public IReadOnlyList<string> Disagreements(JudgeReport report)
    {
        var reasons = new List<string>();
        if (!Verdicts.Contains(report.Verdict.ToString()))
            reasons.Add($"verdict {report.Verdict}, expected {string.Join(" or ", Verdicts)}");
        if (Score is { } score)
        {
            if (report.Score is not { } got)
                reasons.Add($"no score, expected {ExpectationRule.Number(score)}");
            else if (Math.Round(got, 6) != Math.Round(score, 6))
                reasons.Add($"score {ExpectationRule.Number(got)}, expected {ExpectationRule.Number(score)}");
        }

        var firstFailure = report.Tests.FirstOrDefault(t => t.Verdict is not (Judge.Engine.Verdicts.Verdict.AC or Judge.Engine.Verdicts.Verdict.SK));
        if (Message is { } fragment)
        {
            var message = firstFailure?.Message ?? report.Tests.FirstOrDefault(t => t.Message is not null)?.Message ?? report.Message;
            if (!(message ?? "").Contains(fragment, StringComparison.Ordinal))
                reasons.Add($"message \"{message}\" lacks \"{fragment}\"");
        }
        if (CompileOutput is { } compilerFragment && !(report.CompileOutput ?? "").Contains(compilerFragment, StringComparison.Ordinal))
            reasons.Add($"compile output \"{report.CompileOutput}\" lacks \"{compilerFragment}\"");
        if (JudgeMessage is { } judgeFragment && !(firstFailure?.JudgeMessage ?? "").Contains(judgeFragment, StringComparison.Ordinal))
            reasons.Add($"judge message \"{firstFailure?.JudgeMessage}\" lacks \"{judgeFragment}\"");
        if (Signal is { } signal && firstFailure?.Signal != signal)
            reasons.Add($"signal {firstFailure?.Signal ?? "none"}, expected {signal}");
        if (MessagesLack is { } secret && report.Tests.FirstOrDefault(t =>
                (t.Message ?? "").Contains(secret, StringComparison.Ordinal) || (t.JudgeMessage ?? "").Contains(secret, StringComparison.Ordinal)) is { } leak)
            reasons.Add($"test {leak.Name}'s messages contain \"{secret}\"");
        foreach (var (test, verdict) in Tests)
        {
            var outcomes = report.Tests.Where(t => t.Name == test).ToList();
            if (outcomes.Count != 1)
                reasons.Add($"test {test} not found in the judged tests");
            else if (outcomes[0].Verdict.ToString() != verdict)
                reasons.Add($"test {test} got {outcomes[0].Verdict}, expected {verdict}");
        }
        return reasons;
    }

    private static bool IsEffect(string effect) =>
        effect is "none" or "no-connection"
        || (effect.StartsWith("no-file:/", StringComparison.Ordinal))
        || (effect.StartsWith("no-process:", StringComparison.Ordinal) && effect.Length > "no-process:".Length)
        || (effect.StartsWith("output-lacks:", StringComparison.Ordinal) && effect.Length > "output-lacks:".Length);

    private sealed record CaseJson
    {
        [JsonPropertyName("language")] public string? Language { get; init; }
        [JsonPropertyName("verdict")] public string? Verdict { get; init; }
        [JsonPropertyName("verdicts")] public string[]? Verdicts { get; init; }
        [JsonPropertyName("effect")] public string? Effect { get; init; }
        [JsonPropertyName("note")] public string? Note { get; init; }
        [JsonPropertyName("dangerousUnsandboxed")] public bool DangerousUnsandboxed { get; init; }
        [JsonPropertyName("score")] public double? Score { get; init; }
        [JsonPropertyName("runAll")] public bool RunAll { get; init; }
        [JsonPropertyName("message")] public string? Message { get; init; }
        [JsonPropertyName("judgeMessage")] public string? JudgeMessage { get; init; }
        [JsonPropertyName("signal")] public string? Signal { get; init; }
        [JsonPropertyName("compileOutput")] public string? CompileOutput { get; init; }
        [JsonPropertyName("messagesLack")] public string? MessagesLack { get; init; }
        [JsonPropertyName("tests")] public Dictionary<string, string>? Tests { get; init; }
    }
}
