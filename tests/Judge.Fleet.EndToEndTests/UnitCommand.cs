using System.Text.RegularExpressions;
using Judge.Deploy.Tests.Ec2;

namespace Judge.Fleet.EndToEndTests;

/// <summary>Turns a unit's Exec line, User= and hardening into the command a host runs, as systemd would: <c>${X}</c>
/// is one word, <c>$X</c> is split into words (systemd.service(5), "Command lines"); the installed paths of the
/// contract (/run/judge, /var/lib/judge, /opt/judge/...) are moved to the host's own directories; User=,
/// NoNewPrivileges= and CapabilityBoundingSet= become <c>setpriv</c> options.</summary>
public static partial class UnitCommand
{
    /// <summary>The contract's users (briefs: contract.md): the rehearsal uses the numeric ids, no user is created.</summary>
    public static readonly IReadOnlyDictionary<string, int> Users = new Dictionary<string, int> { ["judge"] = 10001, ["judge-ingress"] = 10002 };

    /// <summary>The words of <paramref name="line"/> with systemd's variable expansion from <paramref name="environment"/>.</summary>
    public static List<string> Expand(string line, IReadOnlyDictionary<string, string> environment, IReadOnlyDictionary<string, string> paths)
    {
        var words = new List<string>();
        foreach (var word in line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (Braced().Match(word) is { Success: true } one)
                words.Add(environment[one.Groups[1].Value]);
            else if (Bare().Match(word) is { Success: true } many)
                words.AddRange(environment[many.Groups[1].Value].Split(' ', StringSplitOptions.RemoveEmptyEntries));
            else
                words.Add(word);
        }
        return words.Select(w => Move(w, paths)).ToList();
    }

    /// <summary><paramref name="value"/> with an installed path prefix replaced by the host's directory.</summary>
    public static string Move(string value, IReadOnlyDictionary<string, string> paths)
    {
        foreach (var (installed, local) in paths)
        {
            if (value == installed || value.StartsWith(installed + "/", StringComparison.Ordinal))
                return local + value[installed.Length..];
        }
        return value;
    }

    /// <summary>The setpriv prefix for the unit: its user (or root), no_new_privs, and its capability bounding set.</summary>
    public static List<string> Privileges(SystemdUnit unit)
    {
        var command = new List<string> { "setpriv" };
        if (unit["User"] is { } user)
        {
            var id = Users[user].ToString(System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(user, unit["Group"]);
            command.AddRange([$"--reuid={id}", $"--regid={id}", "--clear-groups", "--inh-caps=-all"]);
        }
        if (unit["NoNewPrivileges"] == "yes")
            command.Add("--no-new-privs");
        if (unit["CapabilityBoundingSet"] is { } bounding)
        {
            var keep = bounding.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(c => "+" + c["CAP_".Length..].ToLowerInvariant());
            command.Add("--bounding-set=" + string.Join(',', ["-all", .. keep]));
        }
        return command;
    }

    [GeneratedRegex(@"^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$")]
    private static partial Regex Braced();

    [GeneratedRegex(@"^\$([A-Za-z_][A-Za-z0-9_]*)$")]
    private static partial Regex Bare();
}
