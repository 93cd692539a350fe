using Judge.Engine.Languages;

namespace Judge.Grains.Options;

/// <summary>Configuration of judging on a silo (section <c>Judge</c>).</summary>
public sealed class JudgingOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Judge";

    /// <summary>Where problems come from.</summary>
    public ProblemsOptions Problems { get; set; } = new();

    /// <summary>Comma-separated language ids this silo may offer (<c>Judge:Toolchains</c>); empty means every language whose toolchain is found.</summary>
    public string? Toolchains { get; set; }

    /// <summary>Directory for working directories of submissions being judged (<c>Judge:WorkRoot</c>).</summary>
    public string? WorkRoot { get; set; }

    /// <summary>How many submissions this silo judges at once (<c>Judge:Slots</c>); default: one per core.</summary>
    public int Slots { get; set; } = Environment.ProcessorCount;

    /// <summary>Per-language toolchain paths and flags (<c>Judge:Languages:&lt;id&gt;:Compiler|Runtime|Flags</c>).</summary>
    public Dictionary<string, LanguageSettings> Languages { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The language ids of <see cref="Toolchains"/>, or <c>null</c> when unrestricted.</summary>
    public IReadOnlySet<string>? ToolchainRestriction =>
        string.IsNullOrWhiteSpace(Toolchains)
            ? null
            : Toolchains.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
}

/// <summary>Where problem packages are read from (<c>Judge:Problems</c>).</summary>
public sealed class ProblemsOptions
{
    /// <summary>The directory holding one Kattis package per subdirectory (<c>Judge:Problems:Root</c>, env <c>Judge__Problems__Root</c>).</summary>
    public string? Root { get; set; }
}
