namespace Judge.Deploy.Tests.Ec2;

/// <summary>A systemd unit file read as systemd reads it: sections of <c>Key=Value</c> lines, comments (<c>#</c>,
/// <c>;</c>) ignored, a key given several times keeps every value in order.</summary>
public sealed class SystemdUnit
{
    private readonly Dictionary<(string Section, string Key), List<string>> values = [];

    public SystemdUnit(string path)
    {
        Path = path;
        var section = "";
        foreach (var raw in File.ReadAllLines(path))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';')
                continue;
            if (line.StartsWith('[') && line.EndsWith(']'))
            {
                section = line[1..^1];
                continue;
            }
            var equals = line.IndexOf('=');
            if (equals < 0)
                throw new FormatException($"{path}: not a Key=Value line: {line}");
            var key = (section, line[..equals].Trim());
            if (!values.TryGetValue(key, out var list))
                values[key] = list = [];
            list.Add(line[(equals + 1)..].Trim());
        }
    }

    public string Path { get; }

    /// <summary>The last value of <paramref name="key"/> in [Service] (or <paramref name="section"/>); null when absent.</summary>
    public string? this[string key, string section = "Service"] =>
        values.TryGetValue((section, key), out var list) ? list[^1] : null;

    /// <summary>Every value of <paramref name="key"/>, in order (empty when absent).</summary>
    public IReadOnlyList<string> All(string key, string section = "Service") =>
        values.TryGetValue((section, key), out var list) ? list : [];

    /// <summary>The space-separated words of every value of <paramref name="key"/>.</summary>
    public IReadOnlyList<string> Words(string key, string section = "Service") =>
        All(key, section).SelectMany(v => v.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
}
