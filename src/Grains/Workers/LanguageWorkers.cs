using Judge.Engine.Judging;
using Judge.Engine.Problems;
using Judge.Grains.Toolchains;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Orleans.Runtime;

namespace Judge.Grains.Workers;

// One grain class per language, each with a pinned grain type: a silo that lacks a toolchain drops that class at start,
// and the cluster manifest then routes the language only to silos that have it.

[StatelessWorker, GrainType("worker-cpp17")]
public sealed class Cpp17Worker(JudgeWorkerServices services)
    : JudgeWorker(services)
{
    protected override string LanguageId => "cpp17";
}

[StatelessWorker, GrainType("worker-cpp20")]
public sealed class Cpp20Worker(JudgeWorkerServices services)
    : JudgeWorker(services)
{
    protected override string LanguageId => "cpp20";
}

[StatelessWorker, GrainType("worker-c11")]
public sealed class C11Worker(JudgeWorkerServices services)
    : JudgeWorker(services)
{
    protected override string LanguageId => "c11";
}

[StatelessWorker, GrainType("worker-python3")]
public sealed class Python3Worker(JudgeWorkerServices services)
    : JudgeWorker(services)
{
    protected override string LanguageId => "python3";
}

[StatelessWorker, GrainType("worker-pypy3")]
public sealed class PyPy3Worker(JudgeWorkerServices services)
    : JudgeWorker(services)
{
    protected override string LanguageId => "pypy3";
}

[StatelessWorker, GrainType("worker-java")]
public sealed class JavaWorker(JudgeWorkerServices services)
    : JudgeWorker(services)
{
    protected override string LanguageId => "java";
}

/// <summary>The worker grain class of each language id.</summary>
public static class LanguageWorkers
{
    public static IReadOnlyDictionary<string, Type> ByLanguage { get; } = new Dictionary<string, Type>(StringComparer.Ordinal)
    {
        ["cpp17"] = typeof(Cpp17Worker),
        ["cpp20"] = typeof(Cpp20Worker),
        ["c11"] = typeof(C11Worker),
        ["python3"] = typeof(Python3Worker),
        ["pypy3"] = typeof(PyPy3Worker),
        ["java"] = typeof(JavaWorker),
    };
}
