namespace Judge.Interfaces;

/// <summary>The stable language ids of the public contract (ARCHITECTURE.md section 6); a silo offers those whose toolchain it has.</summary>
public static class LanguageIds
{
    public static IReadOnlyList<string> All { get; } =
        ["cpp17", "cpp20", "c11", "python3", "pypy3", "java", "kotlin", "rust", "go", "javascript", "csharp"];

    public static bool IsKnown(string id) => All.Contains(id, StringComparer.Ordinal);
}
