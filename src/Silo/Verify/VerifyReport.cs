using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Judge.Silo.Verify;

/// <summary>What <c>verify</c> found: a table of submissions and a summary line, or the same as JSON.</summary>
internal sealed class VerifyReport(IReadOnlyList<PackageResult> packages, IReadOnlyList<SubmissionResult> submissions, bool interrupted)
{
    public int Agree => submissions.Count(s => s.Outcome == Outcome.Agree);
    public int Disagree => submissions.Count(s => s.Outcome == Outcome.Disagree);
    public int Skipped => submissions.Count(s => s.Outcome == Outcome.Skipped);
    public int Unloaded => packages.Count(p => p.Error is not null);

    /// <summary>0 when every judged submission agrees, every package loaded and the run was not interrupted, else 1.</summary>
    public int ExitCode => Disagree > 0 || Unloaded > 0 || interrupted ? 1 : 0;

    /// <summary>The one-line summary (<c>N submissions, P agree, D disagree, S skipped</c>, and packages that did not load).</summary>
    public string Summary =>
        $"{submissions.Count} submissions, {Agree} agree, {Disagree} disagree, {Skipped} skipped"
        + (Unloaded > 0 ? $"; {Unloaded} package(s) failed to load" : "")
        + (interrupted ? "; interrupted" : "");

    public async Task WriteTableAsync(TextWriter output)
    {
        string[] header = ["package", "submission", "language", "expected", "got", "time", "result"];
        var rows = submissions.Select(s => new[]
        {
            s.Package, s.Submission, s.Language ?? "?", s.Expected, Got(s), Time(s),
            s.Outcome switch { Outcome.Agree => "OK", Outcome.Disagree => "FAIL", _ => "skipped" },
        }).ToList();
        var widths = Enumerable.Range(0, header.Length).Select(i => rows.Select(r => r[i].Length).Append(header[i].Length).Max()).ToArray();
        string Line(string[] cells) => string.Join("  ", cells.Select((c, i) => i == cells.Length - 1 ? c : c.PadRight(widths[i]))).TrimEnd();

        await output.WriteLineAsync(Line(header));
        foreach (var row in rows)
            await output.WriteLineAsync(Line(row));
        await output.WriteLineAsync();
        foreach (var package in packages.Where(p => p.Error is not null))
            await output.WriteLineAsync($"FAIL {package.Package}: the package does not load: {package.Error}");
        foreach (var s in submissions.Where(s => s.Outcome != Outcome.Agree))
        {
            var label = s.Outcome == Outcome.Disagree ? "FAIL" : "skipped";
            await output.WriteLineAsync($"{label} {s.Package}/{s.Submission}: {string.Join("; ", s.Reasons)}");
        }
        await output.WriteLineAsync(Summary);
    }

    private static string Got(SubmissionResult s) =>
        s.Report is not { } report ? "-"
        : report.Score is { } score ? $"{report.Verdict} score {score.ToString("0.######", CultureInfo.InvariantCulture)}"
        : report.Verdict.ToString();

    private static string Time(SubmissionResult s) =>
        s.Report is { Tests.Count: > 0 } report ? $"{report.MaxCpuTime.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture)} s" : "-";

    public string ToJson() => JsonSerializer.Serialize(new
    {
        summary = new { submissions = submissions.Count, agree = Agree, disagree = Disagree, skipped = Skipped, packagesFailed = Unloaded, interrupted, exitCode = ExitCode },
        packages = packages.Select(p => new { package = p.Package, loaded = p.Error is null, error = p.Error }),
        submissions = submissions.Select(s => new
        {
            package = s.Package,
            submission = s.Submission,
            language = s.Language,
            expected = s.Expected,
            verdict = s.Report?.Verdict.ToString(),
            score = s.Report?.Score,
            timeMs = s.Report is { Tests.Count: > 0 } r ? (long?)r.MaxCpuTime.TotalMilliseconds : null,
            result = s.Outcome.ToString().ToLowerInvariant(),
            reasons = s.Reasons,
            tests = s.Report?.Tests.Select(t => new { name = t.Name, verdict = t.Verdict.ToString(), timeMs = (long)t.CpuTime.TotalMilliseconds, message = t.Message }),
        }),
    }, JsonOptions);

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.Never };
}
