namespace Judge.Engine.Sandbox;

/// <summary>One process to run: argv, working directory, standard streams and limits.</summary>
public sealed record SandboxRequest
{
    /// <summary>The program and its arguments; <c>Argv[0]</c> is an absolute path, or starts with <c>./</c> for a program in the working directory.</summary>
    public required IReadOnlyList<string> Argv { get; init; }

    /// <summary>The directory the program starts in (shown to the program as its working directory).</summary>
    public required string WorkingDirectory { get; init; }

    /// <summary>Whether changes to the working directory are kept (a compiler's artifacts). Otherwise the program works
    /// in a fresh writable copy of the directory whose changes are discarded, so every run starts from the same files.</summary>
    public bool PersistWorkingDirectory { get; init; }

    /// <summary>File read as standard input; <c>null</c> means an empty input.</summary>
    public string? StdinPath { get; init; }

    /// <summary>File that receives standard output (created or truncated, at most <see cref="SandboxLimits.OutputBytes"/>); <c>null</c> discards it.</summary>
    public string? StdoutPath { get; init; }

    /// <summary>File that receives standard error (truncated silently at <see cref="SandboxLimits.StderrBytes"/>); <c>null</c> discards it.</summary>
    public string? StderrPath { get; init; }

    /// <summary>Sends standard error into the standard output file too (compilers: one interleaved log).</summary>
    public bool MergeStderrIntoStdout { get; init; }

    /// <summary>The complete environment the program sees; nothing of the host's is inherited.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = DefaultEnvironment;

    /// <summary>The limits of this run.</summary>
    public required SandboxLimits Limits { get; init; }

    /// <summary>A minimal environment for untrusted programs.</summary>
    public static IReadOnlyDictionary<string, string> DefaultEnvironment { get; } = new Dictionary<string, string>
    {
        ["PATH"] = "/usr/local/bin:/usr/bin:/bin",
        ["LANG"] = "C.UTF-8",
        ["HOME"] = "/tmp",
    };
}
