using System.Collections.Concurrent;
using Judge.Engine.Judging;
using Judge.Engine.Languages;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Judge.Engine.Compilation;

/// <summary>A precompiled <c>bits/stdc++.h</c> per g++ language, built at silo start with exactly the language's flags
/// (g++ uses a precompiled header only when the flags and macros match; otherwise it reads the header as usual). A
/// compile gets it as <c>.judge-pch/bits/stdc++.h.gch</c> in its working directory and <c>-I.judge-pch</c>, which g++
/// searches before the system directories.</summary>
public sealed partial class CppPrecompiledHeader(string directory, ILogger<CppPrecompiledHeader>? logger = null) : ILanguageWarmup
{
    /// <summary>The directory, relative to the compile's working directory, that holds <c>bits/stdc++.h.gch</c>.</summary>
    public const string IncludeDirectory = ".judge-pch";

    private readonly ILogger logger = logger ?? NullLogger<CppPrecompiledHeader>.Instance;
    private readonly ConcurrentDictionary<string, string> ready = new(StringComparer.Ordinal);

    public bool AppliesTo(Language language) => language is NativeLanguage native && Path.GetFileName(native.Compiler).Contains("g++", StringComparison.Ordinal);

    /// <summary>The precompiled header ready for <paramref name="language"/>, if any.</summary>
    public string? ReadyFor(Language language) => ready.TryGetValue(Fingerprint((NativeLanguage)language), out var path) ? path : null;

    private static string Fingerprint(NativeLanguage language) =>
        WarmupFiles.Fingerprint([language.Id, language.Compiler, language.Version ?? ""], language.Flags);

    public async Task PrepareAsync(Language language, CancellationToken cancellationToken)
    {
        var native = (NativeLanguage)language;
        var fingerprint = Fingerprint(native);
        var target = Path.Combine(directory, fingerprint, "stdc++.h.gch");
        if (!File.Exists(target))
        {
            var work = Path.Combine(directory, fingerprint, Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(work);
            try
            {
                File.WriteAllText(Path.Combine(work, "stdc++.h"), "#include <bits/stdc++.h>\n");
                await WarmupFiles.RunAsync([native.Compiler, .. native.Flags, "-x", "c++-header", "stdc++.h", "-o", "stdc++.h.gch"],
                    work, language.Environment, cancellationToken);
                WarmupFiles.Publish(Path.Combine(work, "stdc++.h.gch"), target);
            }
            finally
            {
                Workspace.DeleteTree(work);
            }
        }
        ready[fingerprint] = target;
        LogReady(logger, language.Id, target);
    }

    public IReadOnlyList<string> BeforeCompile(Language language, string sourceDirectory)
    {
        if (ReadyFor(language) is not { } header)
            return [];
        if (!WarmupFiles.TryLink(header, sourceDirectory, Path.Combine(IncludeDirectory, "bits", "stdc++.h.gch")))
        {
            AfterCompile(sourceDirectory);
            return [];
        }
        return ["-I" + IncludeDirectory];
    }

    public void AfterCompile(string sourceDirectory) => Workspace.DeleteTree(Path.Combine(sourceDirectory, IncludeDirectory));

    public Language BeforeRuns(Language language, string sourceDirectory) => language;

    [LoggerMessage(Level = LogLevel.Information, Message = "Precompiled bits/stdc++.h ready for {Language}: {Path}")]
    private static partial void LogReady(ILogger logger, string language, string path);
}
