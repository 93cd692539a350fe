using System.Collections.Immutable;
using System.Text;
using System.Text.Json.Serialization;

namespace Judge.Interfaces;

/// <summary>What a client submits: a problem, a language id and the source; <paramref name="RunAll"/> judges every test even
/// after a failure (the problem's <c>on_reject: break</c> is ignored); <paramref name="CallbackUrl"/> is where the final
/// result is POSTed (see <see cref="SubmissionJson.CallbackUrlRule"/>); <paramref name="SubmittedBy"/> is the name of the API key
/// that made it (<c>null</c> when anonymous or from the SQS ingress).</summary>
[GenerateSerializer, Immutable, Alias("judge.SubmissionRequest")]
public sealed record SubmissionRequest(
    [property: Id(0)] string Problem,
    [property: Id(1)] string Language,
    [property: Id(2)] string Source,
    [property: Id(3)] bool RunAll = false,
    [property: Id(4)] string? CallbackUrl = null,
    [property: Id(5)] string? SubmittedBy = null)
{
    /// <summary>The source's exact bytes when they are not UTF-8 text (sent with <c>"sourceEncoding": "base64"</c>); then
    /// <see cref="Source"/> shows them decoded with replacement characters. <c>null</c> when <see cref="Source"/> is the source,
    /// as in every request stored before this field existed.</summary>
    [Id(6)] public byte[]? SourceBytes { get; init; }

    /// <summary>The exact bytes to compile.</summary>
    public byte[] SourceContent() => SourceBytes ?? Encoding.UTF8.GetBytes(Source);

    /// <summary>A request for the source <paramref name="source"/>: held as text when it is UTF-8, so that one source sent as
    /// text or as base64 makes the same submission, else as bytes.</summary>
    public static SubmissionRequest ForSource(string problem, string language, byte[] source, bool runAll = false, string? callbackUrl = null) =>
        SubmissionJson.TryUtf8(source, out var text)
            ? new(problem, language, text, runAll, callbackUrl)
            : new(problem, language, Encoding.UTF8.GetString(source), runAll, callbackUrl) { SourceBytes = source };

    /// <summary>Same fields, and the same source bytes (by content, not by array).</summary>
    public bool Equals(SubmissionRequest? other) =>
        other is not null
        && Problem == other.Problem && Language == other.Language && Source == other.Source && RunAll == other.RunAll
        && CallbackUrl == other.CallbackUrl && SubmittedBy == other.SubmittedBy
        && (SourceBytes is null) == (other.SourceBytes is null)
        && SourceBytes.AsSpan().SequenceEqual(other.SourceBytes);

    public override int GetHashCode() => HashCode.Combine(Problem, Language, Source, RunAll, CallbackUrl, SubmittedBy, SourceBytes?.Length);
}

/// <summary>The result of one test; <paramref name="Score"/> is the fraction of its points it earned (0 to 1) in a scoring problem;
/// <paramref name="Message"/> is for the submitter (a validator's <c>teammessage.txt</c>), <paramref name="JudgeMessage"/> only for
/// judges (its <c>judgemessage.txt</c> and log): the HTTP API leaves it out unless a judge asks for it.</summary>
[GenerateSerializer, Immutable, Alias("judge.TestResult")]
public sealed record TestResult(
    [property: Id(0)] string Name,
    [property: Id(1)] Verdict Verdict,
    [property: Id(2)] long TimeMs,
    [property: Id(3)] long WallMs,
    [property: Id(4)] long MemoryKb,
    [property: Id(5)] int? ExitCode = null,
    [property: Id(6)] string? Signal = null,
    [property: Id(7)] string? Message = null,
    [property: Id(8)] double? Score = null,
    [property: Id(9), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? JudgeMessage = null);

/// <summary>A submission as clients see it: lifecycle, verdict and per-test results so far.</summary>
[GenerateSerializer, Immutable, Alias("judge.Submission")]
public sealed record Submission
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required string Problem { get; init; }
    [Id(2)] public required string Language { get; init; }
    [Id(3)] public SubmissionStatus Status { get; init; }

    /// <summary>The final verdict; <c>null</c> until finished.</summary>
    [Id(4)] public Verdict? Verdict { get; init; }

    /// <summary>Pass-fail problems: 1 for accepted, 0 otherwise. Scoring problems: the points earned (see <see cref="MaxScore"/>).</summary>
    [Id(5)] public double? Score { get; init; }

    /// <summary>Largest CPU time over the tests run, in milliseconds.</summary>
    [Id(6)] public long? TimeMs { get; init; }

    /// <summary>Largest peak memory over the tests run, in KiB.</summary>
    [Id(7)] public long? MemoryKb { get; init; }

    [Id(8)] public string? CompileOutput { get; init; }

    /// <summary>Results of the tests judged so far, in run order.</summary>
    [Id(9)] public ImmutableArray<TestResult> Tests { get; init; } = [];

    [Id(10)] public DateTimeOffset CreatedAt { get; init; }
    [Id(11)] public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>How many tests the problem has, once known.</summary>
    [Id(12)] public int? TestCount { get; init; }

    /// <summary>The test running now, while running.</summary>
    [Id(13)] public string? CurrentTest { get; init; }

    /// <summary>Why a submission ended in a judge error (IE) or a compilation error without compiler output.</summary>
    [Id(14)] public string? Message { get; init; }

    /// <summary>The silo that judged the final attempt.</summary>
    [Id(15)] public string? JudgedBy { get; init; }

    /// <summary>The most points the problem gives: 1 for pass-fail problems, the scoring problem's total otherwise; <c>null</c> until finished.</summary>
    [Id(16)] public double? MaxScore { get; init; }

    /// <summary>The name of the API key that made this submission; <c>null</c> when anonymous or from the SQS ingress.</summary>
    [Id(17)] public string? SubmittedBy { get; init; }

    /// <summary>When a worker took the current judging (compiling started); <c>null</c> while queued. Queue wait is
    /// <c>StartedAt - CreatedAt</c>, judging time <c>FinishedAt - StartedAt</c>.</summary>
    [Id(18)] public DateTimeOffset? StartedAt { get; init; }

    /// <summary>Which judging this is: 1 for the first, n for the n-th after rejudges (<see cref="ISubmissionGrain.Rejudge"/>).
    /// State stored before rejudging existed reads as 0, which the submission grain takes as 1.</summary>
    [Id(19)] public int Judging { get; init; } = 1;

    /// <summary>The earlier judgings of this submission, oldest first; empty if it was judged once.</summary>
    [Id(20)] public ImmutableArray<JudgingSummary> Judgings { get; init; } = [];

    /// <summary>This submission as its submitter may see it: without the tests' judge messages.</summary>
    public Submission WithoutJudgeMessages() =>
        Tests.IsDefaultOrEmpty || Tests.All(t => t.JudgeMessage is null)
            ? this
            : this with { Tests = [.. Tests.Select(t => t with { JudgeMessage = null })] };
}

/// <summary>The outcome of one finished judging of a submission, kept when it is judged again.</summary>
[GenerateSerializer, Immutable, Alias("judge.JudgingSummary")]
public sealed record JudgingSummary(
    [property: Id(0)] int Judging,
    [property: Id(1)] Verdict Verdict,
    [property: Id(2)] double? Score,
    [property: Id(3)] double? MaxScore,
    [property: Id(4)] long? TimeMs,
    [property: Id(5)] long? MemoryKb,
    [property: Id(6)] DateTimeOffset? StartedAt,
    [property: Id(7)] DateTimeOffset? FinishedAt,
    [property: Id(8)] string? JudgedBy);

/// <summary>How a submit call was taken.</summary>
public enum SubmitOutcome
{
    /// <summary>New: it will be judged.</summary>
    Accepted,
    /// <summary>The same id with the same body was submitted before; judged once.</summary>
    Duplicate,
    /// <summary>The id is taken by a different submission.</summary>
    Conflict,
}
