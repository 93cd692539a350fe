using System.Text;
using Judge.Engine.Judging;

namespace Judge.Sandbox.IntegrationTests;

/// <summary>The host-side check of a case's <c>effect</c> (tests/packages/hostile/README.md): what must not have happened on the
/// host when the judgement is back.</summary>
public abstract record HostEffect
{
    /// <summary>Reads <c>none</c>, <c>no-file:/path</c>, <c>no-process:marker</c>, <c>no-connection</c> or <c>output-lacks:text</c>.</summary>
    public static HostEffect Parse(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var (kind, argument) = colon < 0 ? (text, "") : (text[..colon], text[(colon + 1)..]);
        return kind switch
        {
            "none" or "" => new None(),
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
    public abstract string? Check(HostileHost host, int contactsBefore, JudgeReport report);

    private sealed record None : HostEffect
    {
        public override string? Check(HostileHost host, int contactsBefore, JudgeReport report) => null;
    }

    private sealed record NoFile(string Path) : HostEffect
    {
        public override void Prepare() => File.Delete(Path);

        public override string? Check(HostileHost host, int contactsBefore, JudgeReport report)
        {
            var exists = File.Exists(Path) || Directory.Exists(Path) || new FileInfo(Path).LinkTarget is not null;
            File.Delete(Path); // leave the machine clean either way
            return exists ? $"the submission created {Path} on the host" : null;
        }
    }

    private sealed record NoProcess(string Marker) : HostEffect
    {
        public override string? Check(HostileHost host, int contactsBefore, JudgeReport report)
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

    private sealed record NoConnection : HostEffect
    {
        public override string? Check(HostileHost host, int contactsBefore, JudgeReport report)
        {
            // Let a datagram or a connection in flight land before counting.
            Thread.Sleep(200);
            var contacts = host.Contacts - contactsBefore;
            return contacts == 0 ? null : $"the host's listener on 127.0.0.1:{HostileHost.Port} saw {contacts} connection(s) or datagram(s)";
        }
    }

    private sealed record OutputLacks(string Text) : HostEffect
    {
        public override string? Check(HostileHost host, int contactsBefore, JudgeReport report)
        {
            var needle = Text == HostileHost.SecretVariable ? host.Secret : Text;
            var shown = new[] { report.CompileOutput, report.Message }.Concat(report.Tests.SelectMany(t => new[] { t.Message, t.JudgeMessage }));
            return shown.Any(s => s is not null && s.Contains(needle, StringComparison.Ordinal))
                ? $"the judge's output shows {(Text == HostileHost.SecretVariable ? "the host's secret" : $"'{Text}'")}"
                : null;
        }
    }
}
