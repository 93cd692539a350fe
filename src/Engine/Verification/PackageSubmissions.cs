namespace Judge.Engine.Verification;

/// <summary>Reads the submissions of a package's <c>submissions/</c> folder with what each must get: the Kattis layout
/// (<c>submissions/&lt;verdict directory&gt;/&lt;file or directory&gt;</c>, with <c>submissions.yaml</c> or
/// <c>expectations.yaml</c>, and <c>@EXPECTED_RESULTS@</c> comments) and this repository's case folders
/// (<c>submissions/&lt;case&gt;/case.json</c>, tests/packages/README.md).</summary>
public static class PackageSubmissions
{
    /// <summary>The folder under a package.</summary>
    public const string Folder = "submissions";

    /// <summary>Source file extensions and the language each stands for (the format's language table, by our ids). Languages
    /// this judge does not know are listed too, so that their submissions are reported as skipped rather than ignored.</summary>
    private static readonly Dictionary<string, string> Extensions = new(StringComparer.Ordinal)
    {
        [".c"] = "c11",
        [".cc"] = "cpp17", [".cpp"] = "cpp17", [".cxx"] = "cpp17", [".c++"] = "cpp17", [".C"] = "cpp17",
        [".py"] = "python3", [".py3"] = "python3",
        [".java"] = "java",
        [".kt"] = "kotlin", [".rs"] = "rust", [".go"] = "go", [".js"] = "javascript", [".cs"] = "csharp",
        [".py2"] = "python2", [".php"] = "php", [".rb"] = "ruby", [".hs"] = "haskell", [".pas"] = "pascal",
        [".scala"] = "scala", [".swift"] = "swift", [".lua"] = "lua", [".f90"] = "fortran", [".f95"] = "fortran",
        [".ml"] = "ocaml", [".pl"] = "perl", [".m"] = "objectivec", [".lisp"] = "lisp", [".clj"] = "clojure", [".sh"] = "bash",
        [".ts"] = "typescript", [".fs"] = "fsharp", [".d"] = "d", [".adb"] = "ada", [".cbl"] = "cobol", [".pro"] = "prolog",
    };

    /// <summary>Language codes of the format's language table (and BAPCtools') by our ids; our own ids map to themselves.</summary>
    private static readonly Dictionary<string, string> LanguageCodes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["c"] = "c11", ["cpp"] = "cpp17", ["c++"] = "cpp17", ["python"] = "python3", ["py3"] = "python3",
        ["kotlin"] = "kotlin", ["rust"] = "rust", ["go"] = "go", ["javascript"] = "javascript", ["csharp"] = "csharp", ["java"] = "java",
    };

    /// <summary>Every submission of the package in <paramref name="packageDirectory"/>, sorted by path; none when it has no
    /// <c>submissions/</c> folder.</summary>
    /// <exception cref="InvalidDataException">The folder's expectations file is malformed; the message names it.</exception>
    public static IReadOnlyList<PackageSubmission> Read(string packageDirectory)
    {
        var root = Path.Combine(packageDirectory, Folder);
        if (!Directory.Exists(root))
            return [];
        var yaml = SubmissionsYaml.Read(root);
        var submissions = new List<PackageSubmission>();
        foreach (var directory in Directory.EnumerateDirectories(root).Where(Visible).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(directory);
            if (File.Exists(Path.Combine(directory, PackageCase.FileName)))
            {
                submissions.Add(Case(directory, name));
                continue;
            }
            foreach (var entry in Directory.EnumerateFileSystemEntries(directory).Where(Visible).Order(StringComparer.Ordinal))
            {
                if (File.Exists(entry) && !Extensions.ContainsKey(Path.GetExtension(entry)))
                    continue; // a README, an input file: not a submission
                submissions.Add(Kattis(entry, name, $"{name}/{Path.GetFileName(entry)}", yaml));
            }
        }
        return submissions;
    }

    /// <summary>The language id a language code or our own id names (<c>cpp</c> → <c>cpp17</c>), or the code itself.</summary>
    public static string LanguageId(string code) => LanguageCodes.GetValueOrDefault(code.Trim(), code.Trim().ToLowerInvariant());

    private static bool Visible(string path) => !Path.GetFileName(path).StartsWith('.');

    private static PackageSubmission Case(string directory, string name)
    {
        PackageCase loaded;
        try
        {
            loaded = PackageCase.Load(directory, $"{Folder}/{name}");
        }
        catch (InvalidDataException e)
        {
            return new PackageSubmission { Path = name, SkipReason = e.Message };
        }
        return new PackageSubmission
        {
            Path = name,
            Language = loaded.Language,
            SourcePath = loaded.SourcePath,
            Expectation = new SubmissionExpectation { Origin = PackageCase.FileName, Case = loaded },
        };
    }

    private static PackageSubmission Kattis(string entry, string directory, string path, SubmissionsYaml? yaml)
    {
        string source;
        if (Directory.Exists(entry))
        {
            var files = Directory.EnumerateFiles(entry).Where(f => Visible(f) && Extensions.ContainsKey(Path.GetExtension(f))).ToList();
            if (files.Count != 1)
                return new PackageSubmission { Path = path, SkipReason = $"a program of {files.Count} source files (only single-file submissions are judged)" };
            source = files[0];
        }
        else
            source = entry;

        var language = yaml?.LanguageFor(path) is { } code ? LanguageId(code) : Extensions[Path.GetExtension(source)];
        string text;
        try
        {
            text = File.ReadAllText(source);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new PackageSubmission { Path = path, Language = language, SkipReason = $"cannot be read: {e.Message}" };
        }

        var rules = new List<ExpectationRule>();
        var origins = new List<string>();
        ExpectationRule? comment;
        try
        {
            comment = ExpectedResults.Read(text);
        }
        catch (InvalidDataException e)
        {
            return new PackageSubmission { Path = path, Language = language, SourcePath = source, SkipReason = e.Message };
        }
        var byDirectory = yaml is null ? ExpectationRule.ForDirectory(directory) : yaml.DirectoryOverride(directory, ExpectationRule.ForDirectory(directory));
        if (comment is not null)
        {
            rules.Add(comment);
            origins.Add("@EXPECTED_RESULTS@");
        }
        else if (byDirectory is not null)
        {
            rules.Add(byDirectory);
            origins.Add($"directory {directory}");
        }
        if (yaml?.RulesFor(path, directory) is { Count: > 0 } more)
        {
            rules.AddRange(more);
            origins.Add(yaml.FileName);
        }

        if (rules.Count == 0)
        {
            return new PackageSubmission
            {
                Path = path, Language = language, SourcePath = source,
                SkipReason = $"no expected verdict: '{directory}' is not a verdict directory, and neither @EXPECTED_RESULTS@ nor submissions.yaml names one",
            };
        }
        return new PackageSubmission
        {
            Path = path,
            Language = language,
            SourcePath = source,
            Expectation = new SubmissionExpectation { Origin = string.Join(" + ", origins), Rules = rules },
        };
    }
}
