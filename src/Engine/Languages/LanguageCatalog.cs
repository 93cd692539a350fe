namespace Judge.Engine.Languages;

/// <summary>Every language this engine knows, before probing; a silo offers those whose toolchain it finds.</summary>
public static class LanguageCatalog
{
    /// <summary>The languages with their default toolchain paths: the single list of languages, in contract order. A
    /// language is one class (its file in this folder) and one line here; silos host a worker per language
    /// (<c>AddLanguage</c>), and scripts/languages.packages lists their Debian packages.</summary>
    public static IReadOnlyList<Language> All { get; } = new List<Language>()
        .AddLanguage<Cpp17>()
        .AddLanguage<Cpp20>()
        .AddLanguage<C11>()
        .AddLanguage<Python3>()
        .AddLanguage<PyPy3>()
        .AddLanguage<Java>()
        .AddLanguage<Kotlin>()
        .AddLanguage<Rust>()
        .AddLanguage<Go>()
        .AddLanguage<JavaScript>()
        .AddLanguage<CSharp>();

    /// <summary>Adds a language with its defaults to a list of languages.</summary>
    public static List<Language> AddLanguage<T>(this List<Language> languages) where T : Language, new()
    {
        languages.Add(new T());
        return languages;
    }

    /// <summary>The language with this id, or <c>null</c>.</summary>
    public static Language? Find(string id) => All.FirstOrDefault(l => l.Id == id);

    /// <summary>Applies configured toolchain paths, flags and time factor to a language.</summary>
    public static Language Configure(Language language, LanguageSettings? settings) =>
        settings is null ? language : language.Configure(settings);
}

/// <summary>Configured overrides of one language (<c>Judge:Languages:&lt;id&gt;</c>): toolchain paths and compiler flags.</summary>
public sealed record LanguageSettings
{
    /// <summary>Compiler path (<c>Judge:Languages:&lt;id&gt;:Compiler</c>).</summary>
    public string? Compiler { get; init; }

    /// <summary>Interpreter or virtual machine path (<c>Judge:Languages:&lt;id&gt;:Runtime</c>).</summary>
    public string? Runtime { get; init; }

    /// <summary>Compiler flags replacing the defaults, space-separated (<c>Judge:Languages:&lt;id&gt;:Flags</c>).</summary>
    public string? Flags { get; init; }

    /// <summary>The language's time factor (<c>Judge:Languages:&lt;id&gt;:TimeFactor</c>): a run gets the problem's time
    /// limit times this.</summary>
    public double? TimeFactor { get; init; }

    /// <summary>Whether runs ask <c>malloc</c> for transparent huge pages (<c>Judge:Languages:&lt;id&gt;:HugePages</c>,
    /// <see cref="Language.HugePages"/>).</summary>
    public bool? HugePages { get; init; }
}
