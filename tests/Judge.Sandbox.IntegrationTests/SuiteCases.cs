using Judge.Engine.Verification;

namespace Judge.Sandbox.IntegrationTests;

/// <summary>One case of the package suite: a submission of a package with what it must get (its <c>case.json</c>, or the Kattis
/// layout's verdict folder, <c>submissions.yaml</c> or <c>@EXPECTED_RESULTS@</c>), named <c>package/path</c>.</summary>
public sealed record SuiteCase(string Name, string Package, string PackageDirectory, PackageSubmission Submission)
{
    /// <summary>The case.json checks, when the case has one (null for the Kattis layout).</summary>
    public PackageCase? Case => Submission.Expectation?.Case;

    /// <summary>A case with a host effect to check, or one that may harm a machine without isolation, runs with no other
    /// case beside it, so that what the host sees during it is its own doing.</summary>
    public bool RunsAlone => Case is { } c && (c.Effect is not ("none" or "") && !c.Effect.StartsWith("output-lacks:", StringComparison.Ordinal) || c.DangerousUnsandboxed);
}

/// <summary>The one enumeration of the package suite's cases, which the engine-level (<see cref="PackageSuiteTests"/>) and the
/// HTTP-level (<see cref="PackageSuiteHttpTests"/>) suites both run: every submission of every package under
/// examples/problems and tests/packages, read by <see cref="PackageSubmissions"/> (the reader <c>verify</c> uses); and the
/// packages that must be refused (a file <c>refused.txt</c> holding text of the reason).</summary>
public static class SuiteCases
{
    /// <summary>The environment variable that narrows a local run to the cases whose names start with one of its
    /// comma-separated prefixes (<c>JUDGE_SUITE_CASES=hostile/,languages/kotlin-</c>); unset, every case runs.</summary>
    public const string FilterVariable = "JUDGE_SUITE_CASES";

    /// <summary>The file that marks a package the loader must refuse; it holds text the refusal's reason contains.</summary>
    public const string RefusedFile = "refused.txt";

    private static readonly Lazy<IReadOnlyList<SuiteCase>> Cases = new(Read);

    /// <summary>Every package directory of the suite, sorted by id (ids are unique across both roots).</summary>
    public static IReadOnlyList<string> PackageDirectories { get; } = Directory.GetDirectories(Repository.ExampleProblems)
        .Concat(Directory.GetDirectories(RepositoryPaths.Packages)).OrderBy(Path.GetFileName, StringComparer.Ordinal).ToList();

    /// <summary>Every case, sorted by name.</summary>
    public static IReadOnlyList<SuiteCase> All => Cases.Value;

    /// <summary>The case of this name.</summary>
    public static SuiteCase Find(string name) => All.Single(c => c.Name == name);

    /// <summary>The packages that must be refused, by id, with the text their refusal names.</summary>
    public static IReadOnlyList<(string Package, string Directory, string Reason)> Refused { get; } = PackageDirectories
        .Where(d => File.Exists(Path.Combine(d, RefusedFile)))
        .Select(d => (Path.GetFileName(d), d, File.ReadAllText(Path.Combine(d, RefusedFile)).Trim())).ToList();

    /// <summary>The case names, for a theory.</summary>
    public static TheoryData<string> Names() => new(All.Select(c => c.Name));

    /// <summary>The package whose cases attack the judge (tests/packages/hostile).</summary>
    public const string HostilePackage = "hostile";

    private static readonly Lazy<IReadOnlyList<SuiteCase>> HttpCases = new(() => ChooseOverHttp(All));

    /// <summary>The cases the HTTP level runs (tests/packages/README.md says why): every case outside the hostile package,
    /// and of the hostile cases those whose outcome the silo's path can change (a secret in the silo's environment must not
    /// reach the output: <c>output-lacks:</c>), the first of each language and expected verdicts, and the first of each
    /// other kind of host effect. The engine level runs every case.</summary>
    public static IReadOnlyList<SuiteCase> OverHttp => HttpCases.Value;

    /// <summary>The names of <see cref="OverHttp"/>, for a theory.</summary>
    public static TheoryData<string> HttpNames() => new(OverHttp.Select(c => c.Name));

    /// <summary>The choice of <see cref="OverHttp"/> from <paramref name="cases"/> (sorted by name, so the first of a kind
    /// is always the same case).</summary>
    public static IReadOnlyList<SuiteCase> ChooseOverHttp(IReadOnlyList<SuiteCase> cases)
    {
        var kinds = new HashSet<string>(StringComparer.Ordinal);
        return cases.Where(c =>
        {
            if (c.Package != HostilePackage)
                return true;
            var effect = c.Case?.Effect ?? "none";
            var effectKind = effect.Split(':')[0];
            var verdicts = string.Join(',', (c.Case?.Verdicts ?? []).Order(StringComparer.Ordinal));
            // Not short-circuited: each case marks its kinds as seen, so a later case of the same kinds is left out.
            var firstOfVerdicts = kinds.Add($"verdicts {c.Submission.Language} {verdicts}");
            var firstOfEffect = kinds.Add($"effect {effectKind}");
            return effectKind == "output-lacks" || firstOfVerdicts || firstOfEffect;
        }).ToList();
    }

    private static IReadOnlyList<SuiteCase> Read()
    {
        var ids = PackageDirectories.Select(Path.GetFileName).ToList();
        if (ids.Distinct(StringComparer.Ordinal).Count() != ids.Count)
            throw new InvalidDataException($"package ids must be unique across examples/problems and tests/packages: {string.Join(", ", ids)}");
        return PackageDirectories
            .Where(d => !File.Exists(Path.Combine(d, RefusedFile)))
            .SelectMany(d => PackageSubmissions.Read(d).Select(s => new SuiteCase($"{Path.GetFileName(d)}/{s.Path}", Path.GetFileName(d)!, d, s)))
            .Where(c => Filter is not { } prefixes || prefixes.Any(p => c.Name.StartsWith(p, StringComparison.Ordinal)))
            .OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
    }

    private static string[]? Filter => Environment.GetEnvironmentVariable(FilterVariable) is { Length: > 0 } text
        ? text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        : null;
}
