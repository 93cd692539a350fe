using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Judge.Sandbox.IntegrationTests;

/// <summary>
/// Judges every case of tests/hostile/cases through a real silo process that runs as an unprivileged user and reaches its
/// sandbox daemon over a Unix socket (<see cref="HostileSilo"/>), over HTTP: the verdict must be one the case expects, and
/// the host must show no effect of the attack. A case whose attack succeeds prints something other than the answer, so
/// success shows as a different verdict.
/// </summary>
public class HostileSubmissionTests(HostileSilo silo, ITestOutputHelper output) : IClassFixture<HostileSilo>
{
    private HostileHost host => silo.Host;

    private static readonly TimeSpan CaseTimeout = TimeSpan.FromMinutes(4);

    public static TheoryData<string> Cases => new(HostileCase.Names(RepositoryPaths.HostileCases));

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Hostile_submission_is_contained(string name)
    {
        var hostile = HostileCase.Load(Path.Combine(RepositoryPaths.HostileCases, name));
        output.WriteLine($"{hostile.Name} ({hostile.Language}): {hostile.Note}");
        output.WriteLine($"expect {string.Join(" or ", hostile.Expect)}; effect {hostile.Effect}");
        var effect = Effect.Parse(hostile.Effect);
        effect.Prepare();
        var contactsBefore = host.Contacts;

        using var response = await silo.Silo.Http.PostAsJsonAsync($"/api/submissions?wait=true&timeout={(int)CaseTimeout.TotalSeconds}",
            new { problem = "hostile", language = hostile.Language, source = hostile.Source });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{name}: {(int)response.StatusCode} {body}\n{silo.Silo.RecentLog}");
        var report = Report.From(JsonDocument.Parse(body).RootElement);

        var problems = new List<string>();
        var verdict = report.Verdict;
        if (!hostile.Expect.Contains(verdict))
            problems.Add($"verdict {verdict}, expected {string.Join(" or ", hostile.Expect)}");
        if (effect.Check(host, contactsBefore, report) is { } harm)
            problems.Add(harm);

        output.WriteLine($"verdict {verdict}{(report.Message is null ? "" : ": " + report.Message)}");
        foreach (var test in report.Tests)
            output.WriteLine($"  test {test.Name}: {test.Verdict} cpu {test.TimeMs} ms, peak {test.MemoryKb} KiB {test.Message}");
        if (report.CompileOutput is { Length: > 0 } compileOutput)
            output.WriteLine("compile output:\n" + Truncate(compileOutput.Replace(host.Secret, "<SECRET>", StringComparison.Ordinal), 2000));

        Assert.True(problems.Count == 0, $"{name} ({hostile.Note}): {string.Join("; ", problems)}");
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length] + "...";

    /// <summary>What the judge answered for a case (the submission's JSON).</summary>
    public sealed record Report(string Verdict, string? Message, string? CompileOutput, IReadOnlyList<TestReport> Tests)
    {
        public static Report From(JsonElement json) => new(
            json.GetProperty("verdict").GetString() ?? "",
            Text(json, "message"),
            Text(json, "compileOutput"),
            json.GetProperty("tests").EnumerateArray().Select(t => new TestReport(
                Text(t, "name") ?? "", Text(t, "verdict") ?? "", t.GetProperty("timeMs").GetInt64(), t.GetProperty("memoryKb").GetInt64(),
                Text(t, "message"))).ToList());

        private static string? Text(JsonElement json, string name) =>
            json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
    }

    /// <summary>One test of a <see cref="Report"/>.</summary>
    public sealed record TestReport(string Name, string Verdict, long TimeMs, long MemoryKb, string? Message);

    /// <summary>The host-side check of one case's <c>effect</c>.</summary>
    private abstract record Effect
    {
        public static Effect Parse(string text)
        {
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            var (kind, argument) = colon < 0 ? (text, "") : (text[..colon], text[(colon + 1)..]);
            return kind switch
            {
                "none" => new None(),
                "no-file" when argument.StartsWith('/') => new NoFile(argument),
                "no-process" when argument.Length > 0 => new NoProcess(argument),
                "no-connection" => new NoConnection(),
                "output-lacks" when argument.Length > 0 => new OutputLacks(argument),
                _ => throw new InvalidDataException($"unknown effect '{text}'"),
            };
        }

        /// <summary>Clears the host before the run (a file left by an earlier run).</summary>
        public virtual void Prepare() { }

        /// <summary>The harm found after the run, or <c>null</c>.</summary>
        public abstract string? Check(HostileHost host, int contactsBefore, Report report);
    }

    private sealed record None : Effect
    {
        public override string? Check(HostileHost host, int contactsBefore, Report report) => null;
    }

    private sealed record NoFile(string Path) : Effect
    {
        public override void Prepare() => File.Delete(Path);

        public override string? Check(HostileHost host, int contactsBefore, Report report)
        {
            var exists = File.Exists(Path) || Directory.Exists(Path) || new FileInfo(Path).LinkTarget is not null;
            File.Delete(Path); // leave the machine clean either way
            return exists ? $"the submission created {Path} on the host" : null;
        }
    }

    private sealed record NoProcess(string Marker) : Effect
    {
        public override string? Check(HostileHost host, int contactsBefore, Report report)
        {
            var survivors = ProcessesWithMarker(Marker);
            foreach (var pid in survivors)
            {
                try
                {
                    System.Diagnostics.Process.GetProcessById(pid).Kill();
                }
                catch (ArgumentException) { }
                catch (InvalidOperationException) { }
                catch (System.ComponentModel.Win32Exception) { }
            }
            return survivors.Count == 0 ? null : $"processes outlived the run: {string.Join(", ", survivors)} (cmdline contains '{Marker}'; killed now)";
        }

        private static List<int> ProcessesWithMarker(string marker)
        {
            var found = new List<int>();
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(System.IO.Path.GetFileName(dir), out var pid) || pid == Environment.ProcessId)
                    continue;
                try
                {
                    var cmdline = Encoding.UTF8.GetString(File.ReadAllBytes(System.IO.Path.Combine(dir, "cmdline"))).Replace('\0', ' ');
                    if (cmdline.Contains(marker, StringComparison.Ordinal))
                        found.Add(pid);
                }
                catch (IOException) { }
                catch (UnauthorizedAccessException) { }
            }
            return found;
        }
    }

    private sealed record NoConnection : Effect
    {
        public override string? Check(HostileHost host, int contactsBefore, Report report)
        {
            // Let a datagram or a connection in flight land before counting.
            Thread.Sleep(200);
            var contacts = host.Contacts - contactsBefore;
            return contacts == 0 ? null : $"the host's listener on 127.0.0.1:{HostileHost.Port} saw {contacts} connection(s) or datagram(s)";
        }
    }

    private sealed record OutputLacks(string Text) : Effect
    {
        public override string? Check(HostileHost host, int contactsBefore, Report report)
        {
            var needle = Text == HostileHost.SecretVariable ? host.Secret : Text;
            var shown = new[] { report.CompileOutput, report.Message }.Concat(report.Tests.Select(t => t.Message));
            return shown.Any(s => s is not null && s.Contains(needle, StringComparison.Ordinal))
                ? $"the judge's output shows {(Text == HostileHost.SecretVariable ? "the host's secret" : $"'{Text}'")}"
                : null;
        }
    }
}
