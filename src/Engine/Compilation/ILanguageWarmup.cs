using Judge.Engine.Languages;

namespace Judge.Engine.Compilation;

/// <summary>Something a silo prepares once at start for one language (a precompiled header, a class-data-sharing
/// archive) and what a compile or a run gains from it. Until it is ready, compiles and runs go on without it.</summary>
public interface ILanguageWarmup
{
    /// <summary>Whether this warmup serves <paramref name="language"/>.</summary>
    bool AppliesTo(Language language);

    /// <summary>Prepares the warmup for <paramref name="language"/> (in the background, at silo start).</summary>
    Task PrepareAsync(Language language, CancellationToken cancellationToken);

    /// <summary>Places what a compile needs into <paramref name="sourceDirectory"/> and returns the arguments to insert
    /// after the compiler's path; empty when not ready. The compile cache key never includes them: they must not change
    /// what the compiler makes.</summary>
    IReadOnlyList<string> BeforeCompile(Language language, string sourceDirectory);

    /// <summary>Removes what <see cref="BeforeCompile"/> placed, before the compiled files are kept or run.</summary>
    void AfterCompile(string sourceDirectory);

    /// <summary>Places what the runs need into <paramref name="sourceDirectory"/> and returns the language to run with
    /// (<paramref name="language"/> itself when not ready).</summary>
    Language BeforeRuns(Language language, string sourceDirectory);
}
