namespace Judge.Engine.Languages;

/// <summary>Every language this engine knows, before probing; a silo offers those whose toolchain it finds.</summary>
public static class LanguageCatalog
{
    /// <summary>The languages with their default toolchain paths.</summary>
    public static IReadOnlyList<Language> All { get; } = [new Cpp17(), new Cpp20(), new C11(), new Python3(), new PyPy3(), new Java()];

    /// <summary>The language with this id, or <c>null</c>.</summary>
    public static Language? Find(string id) => All.FirstOrDefault(l => l.Id == id);

    /// <summary>Applies configured toolchain paths and flags to a language.</summary>
    public static Language Configure(Language language, LanguageSettings? settings)
    {
        if (settings is null)
            return language;
        return language switch
        {
            NativeLanguage native => native with
            {
                Compiler = settings.Compiler ?? native.Compiler,
                Flags = settings.Flags is { } flags ? flags.Split(' ', StringSplitOptions.RemoveEmptyEntries) : native.Flags,
            },
            PythonLanguage python => python with { Runtime = settings.Runtime ?? python.Runtime },
            Java java => java with { Compiler = settings.Compiler ?? java.Compiler, Runtime = settings.Runtime ?? java.Runtime },
            _ => language,
        };
    }
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
}
