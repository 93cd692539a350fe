using System.Text.Json;
using System.Text.Json.Serialization;

namespace Judge.Sandbox.IntegrationTests;

/// <summary>One folder of tests/hostile/cases: a source file and its case.json (language, acceptable verdicts, host effect to check).</summary>
public sealed record HostileCase
{
    private static readonly string[] SourceNames = ["source.cpp", "source.py", "Source.java"];

    /// <summary>The folder name.</summary>
    public required string Name { get; init; }

    /// <summary>The language id (<c>cpp17</c>, <c>python3</c>, <c>java</c>).</summary>
    public required string Language { get; init; }

    /// <summary>The verdicts an honest, secure judge may give.</summary>
    public required IReadOnlyList<string> Expect { get; init; }

    /// <summary><c>none</c>, <c>no-file:/path</c>, <c>no-process:marker</c>, <c>no-connection</c> or <c>output-lacks:text</c>.</summary>
    public required string Effect { get; init; }

    /// <summary>What the case attempts.</summary>
    public required string Note { get; init; }

    /// <summary>Whether running the case without isolation could harm the machine (fork bombs, kill(-1), filling /tmp).</summary>
    public bool DangerousUnsandboxed { get; init; }

    /// <summary>The submission's source text.</summary>
    public required string Source { get; init; }

    /// <summary>The names of every case folder, sorted.</summary>
    public static IEnumerable<string> Names(string casesDirectory) =>
        Directory.EnumerateDirectories(casesDirectory).Select(d => Path.GetFileName(d)!).Order(StringComparer.Ordinal);

    /// <summary>Reads the case in <paramref name="directory"/>.</summary>
    public static HostileCase Load(string directory)
    {
        var name = Path.GetFileName(directory)!;
        var json = JsonSerializer.Deserialize<CaseJson>(File.ReadAllText(Path.Combine(directory, "case.json")))
            ?? throw new InvalidDataException($"{name}/case.json is empty");
        var sources = SourceNames.Select(s => Path.Combine(directory, s)).Where(File.Exists).ToList();
        if (sources.Count != 1)
            throw new InvalidDataException($"{name} must hold exactly one of {string.Join(", ", SourceNames)}, found {sources.Count}");
        if (json.Problem != "hostile")
            throw new InvalidDataException($"{name}/case.json: problem must be 'hostile'");
        if (json.Expect is not { Length: > 0 })
            throw new InvalidDataException($"{name}/case.json: expect lists no verdict");
        return new HostileCase
        {
            Name = name,
            Language = json.Language ?? throw new InvalidDataException($"{name}/case.json: language is missing"),
            Expect = json.Expect,
            Effect = json.Effect ?? "none",
            Note = json.Note ?? "",
            DangerousUnsandboxed = json.DangerousUnsandboxed,
            Source = File.ReadAllText(sources[0]),
        };
    }

    private sealed record CaseJson
    {
        [JsonPropertyName("language")] public string? Language { get; init; }
        [JsonPropertyName("problem")] public string? Problem { get; init; }
        [JsonPropertyName("expect")] public string[]? Expect { get; init; }
        [JsonPropertyName("effect")] public string? Effect { get; init; }
        [JsonPropertyName("note")] public string? Note { get; init; }
        [JsonPropertyName("dangerous_unsandboxed")] public bool DangerousUnsandboxed { get; init; }
    }
}
