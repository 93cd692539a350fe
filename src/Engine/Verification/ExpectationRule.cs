using Judge.Engine.Verdicts;

namespace Judge.Engine.Verification;

/// <summary>One requirement on a judged submission, as the Kattis format's <c>submissions.yaml</c> states it: every judged
/// test of <see cref="Tests"/> has a verdict in <see cref="Permitted"/>, at least one has a verdict in <see cref="Required"/>,
/// the submission's verdict is in <see cref="Final"/>, its score lies in <see cref="Score"/>, and some test's judge message
/// contains <see cref="Message"/>.</summary>
/// <remarks>Tests skipped after an earlier failure (<c>SK</c>) are not judged and count for nothing; a submission with no
/// judged test (it did not compile, or its validator did not build) counts as one test with the submission's verdict.</remarks>
public sealed record ExpectationRule
{
    /// <summary>A glob over test and group names under <c>data/</c> (<c>secret/group1</c>, <c>sample</c>, <c>secret/*-easy</c>); a
    /// test matches when its name or one of its groups does. <c>null</c>: every test.</summary>
    public string? Tests { get; init; }

    /// <summary>The verdicts every judged test must have, or <c>null</c> for any.</summary>
    public IReadOnlySet<Verdict>? Permitted { get; init; }

    /// <summary>At least one judged test must have one of these verdicts, or <c>null</c> for no such requirement.</summary>
    public IReadOnlySet<Verdict>? Required { get; init; }

    /// <summary>The verdicts the submission as a whole may get, or <c>null</c> for any.</summary>
    public IReadOnlySet<Verdict>? Final { get; init; }

    /// <summary>The inclusive range the submission's score must lie in (scoring problems), or <c>null</c>.</summary>
    public (double Min, double Max)? Score { get; init; }

    /// <summary>Text that at least one judged test's judge message must contain, or <c>null</c>.</summary>
    public string? Message { get; init; }

    /// <summary>Whether <see cref="Message"/> is compared ignoring case (BAPCtools' <c>judge_message</c>).</summary>
    public bool MessageIgnoresCase { get; init; }

    /// <summary>Whether this rule needs every test judged, not only those up to the first failure: it names a group, or asks for
    /// a verdict that judging could stop before.</summary>
    public bool NeedsEveryTest => Tests is not null || Message is not null;

    /// <summary>The verdicts the format's default directories and DOMjudge's and BAPCtools' names stand for. The format's
    /// <c>RTE</c> covers every way a run can crash: a non-zero exit or signal (<c>RE</c>), running out of memory (<c>MLE</c>)
    /// and writing too much (<c>OLE</c>); its <c>WA</c> covers a presentation error (<c>PE</c>).</summary>
    public static IReadOnlySet<Verdict>? Verdicts(string token) =>
        Normalize(token) switch
        {
            "ac" or "accepted" or "correct" => Set(Verdict.AC),
            "wa" or "wronganswer" or "nooutput" => Set(Verdict.WA, Verdict.PE),
            "pe" or "presentationerror" => Set(Verdict.PE),
            "tle" or "timelimitexceeded" or "timelimit" => Set(Verdict.TLE),
            "rte" or "runtimeerror" or "runerror" or "runtimeexception" => Set(Verdict.RE, Verdict.MLE, Verdict.OLE),
            "re" => Set(Verdict.RE),
            "mle" or "memorylimitexceeded" or "memorylimit" => Set(Verdict.MLE),
            "ole" or "outputlimitexceeded" or "outputlimit" => Set(Verdict.OLE),
            "ce" or "compileerror" or "compilererror" => Set(Verdict.CE),
            "ie" or "judgeerror" or "internalerror" => Set(Verdict.IE),
            _ => null,
        };

    /// <summary>The rule a directory of <c>submissions/</c> stands for by its name alone, or <c>null</c> for a name with no
    /// meaning (a submission there needs an expectation from elsewhere).</summary>
    public static ExpectationRule? ForDirectory(string name)
    {
        var failures = Set(Verdict.WA, Verdict.PE, Verdict.TLE, Verdict.MLE, Verdict.OLE, Verdict.RE);
        return Normalize(name) switch
        {
            "accepted" or "correct" => new ExpectationRule { Permitted = Set(Verdict.AC) },
            "rejected" or "notaccepted" or "mixedrejected" => new ExpectationRule { Permitted = Set([Verdict.AC, .. failures]), Required = failures },
            "bruteforce" or "doesnotterminate" => new ExpectationRule
            {
                Permitted = Set(Verdict.AC, Verdict.TLE, Verdict.RE, Verdict.MLE, Verdict.OLE),
                Required = Set(Verdict.TLE, Verdict.RE, Verdict.MLE, Verdict.OLE),
            },
            "compileerror" or "compilererror" => new ExpectationRule { Final = Set(Verdict.CE) },
            "tleorcorrect" or "mixedtleorcorrect" => new ExpectationRule { Permitted = Set(Verdict.AC, Verdict.TLE) },
            var other when Verdicts(other) is { } verdicts && !verdicts.Contains(Verdict.AC) && !verdicts.Contains(Verdict.IE) =>
                new ExpectationRule { Permitted = Set([Verdict.AC, .. verdicts]), Required = verdicts },
            _ => null,
        };
    }

    /// <summary>A short text of what this rule expects, for the verify table (<c>WA</c>, <c>AC|TLE</c>, <c>score 30</c>).</summary>
    public string Describe()
    {
        var parts = new List<string>();
        if (Final is { } final)
            parts.Add(Join(final));
        else if (Required is { } required)
            parts.Add(Join(required));
        else if (Permitted is { } permitted)
            parts.Add(Join(permitted));
        if (Score is { } score)
            parts.Add(score.Min == score.Max ? $"score {Number(score.Min)}" : $"score {Number(score.Min)}-{Number(score.Max)}");
        var text = string.Join(' ', parts);
        return Tests is null ? text : $"{Tests}: {text}";
    }

    private static string Join(IReadOnlySet<Verdict> verdicts) =>
        verdicts.SetEquals([Verdict.RE, Verdict.MLE, Verdict.OLE]) ? "RTE"
        : verdicts.SetEquals([Verdict.WA, Verdict.PE]) ? "WA"
        : string.Join('|', verdicts.Order().Where(v => !(v == Verdict.PE && verdicts.Contains(Verdict.WA))));

    internal static string Number(double value) => value.ToString("0.######", System.Globalization.CultureInfo.InvariantCulture);

    private static string Normalize(string token) =>
        new(token.Trim().ToLowerInvariant().Where(char.IsLetter).ToArray());

    /// <summary>A set of verdicts.</summary>
    public static IReadOnlySet<Verdict> Set(params Verdict[] verdicts) => new HashSet<Verdict>(verdicts);
}
