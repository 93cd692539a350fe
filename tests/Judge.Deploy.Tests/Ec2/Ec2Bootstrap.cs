using System.Text;
using System.Text.RegularExpressions;

namespace Judge.Deploy.Tests.Ec2;

/// <summary>Reads what deploy/ec2/user-data declares: the environment templates, each pool's variables, and the
/// output of common.sh's own functions run by bash.</summary>
public static partial class Ec2Bootstrap
{
    /// <summary>The <c>KEY=value</c> lines of a template, placeholders left as they are.</summary>
    public static Dictionary<string, string> Template(string name) =>
        File.ReadAllLines(Ec2Files.Path(name))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .ToDictionary(l => l[..l.IndexOf('=')], l => l[(l.IndexOf('=') + 1)..]);

    /// <summary>A scalar assignment <c>NAME=value</c> of a user-data file.</summary>
    public static string Variable(string userData, string name) =>
        Regex.Match(File.ReadAllText(Ec2Files.Path($"user-data/{userData}.sh")), $"^{name}=(\\S+)$", RegexOptions.Multiline) is { Success: true } m
            ? m.Groups[1].Value
            : throw new InvalidOperationException($"user-data/{userData}.sh sets no {name}");

    /// <summary>Every scalar assignment <c>NAME=value</c> at the start of a line of a user-data file (or of common.sh).</summary>
    public static Dictionary<string, string> Variables(string file) =>
        Regex.Matches(File.ReadAllText(Ec2Files.Path($"user-data/{file}.sh")), @"^([A-Z_][A-Z0-9_]*)=([^\s(]\S*)$", RegexOptions.Multiline)
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);

    /// <summary>An array assignment <c>NAME=(a b c)</c> of a user-data file (or of common.sh), across lines.</summary>
    public static IReadOnlyList<string> Array(string file, string name) =>
        Regex.Match(File.ReadAllText(Ec2Files.Path($"user-data/{file}.sh")), $"^{name}=\\(([^)]*)\\)", RegexOptions.Multiline) is { Success: true } m
            ? m.Groups[1].Value.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries)
            : throw new InvalidOperationException($"user-data/{file}.sh sets no array {name}");

    /// <summary>Runs <paramref name="script"/> with bash after sourcing common.sh, with <paramref name="variables"/> set.</summary>
    public static Tool.Output RunCommon(string script, IReadOnlyDictionary<string, string> variables, string? workingDirectory = null) =>
        Tool.Run("bash", ["-c", $"set -euo pipefail; . '{Ec2Files.Path("user-data/common.sh")}'; {script}"], workingDirectory, variables, "bash");

    /// <summary>Renders <paramref name="template"/> with common.sh's judge_render_env into <paramref name="output"/>.</summary>
    public static void Render(string template, string output, IReadOnlyDictionary<string, string> values)
    {
        var result = RunCommon($"judge_render_env '{Ec2Files.Path(template)}' '{output}'", values);
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"judge_render_env {template} exited {result.ExitCode}: {result.All}");
    }

    /// <summary>Reads an environment file as systemd's EnvironmentFile= does for the lines judge_render_env writes:
    /// <c>KEY="value"</c> with <c>\\ \" \$ \`</c> escaped.</summary>
    public static Dictionary<string, string> ReadEnvironmentFile(string path)
    {
        var values = new Dictionary<string, string>();
        foreach (var line in File.ReadAllLines(path).Where(l => l.Length > 0 && !l.StartsWith('#')))
        {
            var equals = line.IndexOf('=');
            var raw = line[(equals + 1)..];
            if (raw.Length < 2 || raw[0] != '"' || raw[^1] != '"')
                throw new FormatException($"{path}: not KEY=\"value\": {line}");
            var value = new StringBuilder();
            for (var i = 1; i < raw.Length - 1; i++)
                value.Append(raw[i] == '\\' && i + 1 < raw.Length - 1 && raw[i + 1] is '\\' or '"' or '$' or '`' ? raw[++i] : raw[i]);
            values[line[..equals]] = value.ToString();
        }
        return values;
    }
}
