using Judge.Engine.Languages;
using Judge.Interfaces;
using Orleans.Metadata;
using Orleans.Runtime;

namespace Judge.Grains.Workers;

/// <summary>The worker grain of the language <typeparamref name="TLanguage"/>: one closed type per language, each with the
/// pinned grain type <c>worker-&lt;id&gt;</c> (<see cref="LanguageWorkerGrainTypes"/>). A silo hosts only the closed types
/// of the languages its toolchain probe proved, so the cluster manifest routes a language only to silos that have it. Each
/// job has its own activation (the submission's id and attempt), placed among those silos on the one with the most free
/// judging slots (<see cref="FreeSlotPlacement"/>), and deactivated after the job.</summary>
[FreeSlotPlacement]
public sealed class LanguageWorker<TLanguage>(JudgeWorkerServices services) : JudgeWorker(services)
    where TLanguage : Language, new()
{
    private static readonly string Id = new TLanguage().Id;

    protected override string LanguageId => Id;
}

/// <summary>Names each closed <see cref="LanguageWorker{TLanguage}"/> <c>worker-&lt;language id&gt;</c>, the grain type
/// <see cref="IJudgeWorker.GrainTypeOf"/> addresses.</summary>
public sealed class LanguageWorkerGrainTypes : IGrainTypeProvider
{
    public bool TryGetGrainType(Type type, out GrainType grainType)
    {
        if (type.IsConstructedGenericType && type.GetGenericTypeDefinition() == typeof(LanguageWorker<>)
            && LanguageCatalog.All.FirstOrDefault(l => l.GetType() == type.GetGenericArguments()[0]) is { } language)
        {
            grainType = GrainType.Create(IJudgeWorker.GrainTypeOf(language.Id));
            return true;
        }
        grainType = default;
        return false;
    }
}

/// <summary>The worker grain class of each language id, made from <see cref="LanguageCatalog.All"/>.</summary>
public static class LanguageWorkers
{
    public static IReadOnlyDictionary<string, Type> ByLanguage { get; } =
        LanguageCatalog.All.ToDictionary(l => l.Id, l => typeof(LanguageWorker<>).MakeGenericType(l.GetType()), StringComparer.Ordinal);
}
