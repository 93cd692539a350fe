namespace Judge.Engine.Languages;

/// <summary>Which language a package's submission file is written in, told by its extension as problemtools and DOMjudge
/// tell it (<c>.cpp</c> C++, <c>.py</c> Python 3, <c>.java</c> Java, ...), among the languages a judge offers.</summary>
public static class SubmissionFileLanguages
{
    // Language ids of the public contract, in order of preference where several fit one extension.
    private static readonly Dictionary<string, string[]> ByExtension = new(StringComparer.Ordinal)
    {
        [".cpp"] = ["cpp20", "cpp17"],
        [".cc"] = ["cpp20", "cpp17"],
        [".cxx"] = ["cpp20", "cpp17"],
        [".c++"] = ["cpp20", "cpp17"],
        [".C"] = ["cpp20", "cpp17"],
        [".c"] = ["c11"],
        [".py"] = ["python3", "pypy3"],
        [".py3"] = ["python3", "pypy3"],
        [".java"] = ["java"],
        [".kt"] = ["kotlin"],
        [".rs"] = ["rust"],
        [".go"] = ["go"],
        [".js"] = ["javascript"],
        [".cs"] = ["csharp"],
    };

    /// <summary>The language ids that may judge a file named <paramref name="fileName"/>, preferred first; empty when its
    /// extension names no language of the contract.</summary>
    public static IReadOnlyList<string> Candidates(string fileName) =>
        ByExtension.TryGetValue(Path.GetExtension(fileName), out var ids) ? ids : [];

    /// <summary>The offered language that judges <paramref name="fileName"/>, or why there is none.</summary>
    public static (Language? Language, string? Reason) Pick(string fileName, IReadOnlyDictionary<string, Language> offered)
    {
        var candidates = Candidates(fileName);
        if (candidates.Count == 0)
            return (null, $"its extension '{Path.GetExtension(fileName)}' names no language this judge knows");
        foreach (var id in candidates)
        {
            if (offered.TryGetValue(id, out var language))
                return (language, null);
        }
        return (null, $"{string.Join(" or ", candidates)} is not offered here");
    }
}
