namespace Judge.Engine.Sandbox;

/// <summary>Checks a request before any sandbox runs it; a malformed request is a programming error, not a verdict.</summary>
internal static class SandboxRequestValidation
{
    /// <exception cref="ArgumentException">The request cannot be run; the message says why.</exception>
    public static void Validate(SandboxRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Limits, nameof(request));
        if (request.Argv.Count == 0)
        {
            throw new ArgumentException("Argv must name the program to run.", nameof(request));
        }

        if (!Path.IsPathFullyQualified(request.Argv[0]) && !request.Argv[0].StartsWith("./", StringComparison.Ordinal))
        {
            throw new ArgumentException($"Argv[0] must be an absolute path or start with './', not '{request.Argv[0]}'.", nameof(request));
        }

        if (request.Argv.Any(a => a.Contains('\0', StringComparison.Ordinal)))
        {
            throw new ArgumentException("Arguments must not contain NUL characters.", nameof(request));
        }

        if (!Directory.Exists(request.WorkingDirectory))
        {
            throw new ArgumentException($"The working directory '{request.WorkingDirectory}' does not exist.", nameof(request));
        }

        foreach (var key in request.Environment.Keys)
        {
            if (key.Length == 0 || key.Contains('=', StringComparison.Ordinal) || key.Contains('\0', StringComparison.Ordinal))
            {
                throw new ArgumentException($"Invalid environment variable name '{key}'.", nameof(request));
            }
        }

        if (request.Limits.CpuTime <= TimeSpan.Zero || request.Limits.EffectiveWallTime <= TimeSpan.Zero || request.Limits.MemoryBytes <= 0)
        {
            throw new ArgumentException("CPU time, wall time and memory limits must be positive.", nameof(request));
        }
    }

    /// <summary>Checks the two requests of a connected run: each valid, and neither naming a standard input or output file.</summary>
    /// <exception cref="ArgumentException">They cannot be run; the message says why.</exception>
    public static void ValidateConnected(SandboxRequest first, SandboxRequest second)
    {
        Validate(first);
        Validate(second);
        foreach (var (request, name) in new[] { (first, nameof(first)), (second, nameof(second)) })
        {
            if (request.StdinPath is not null || request.StdoutPath is not null || request.MergeStderrIntoStdout)
                throw new ArgumentException("A connected run's standard input and output are the pipes to its peer: StdinPath, StdoutPath and MergeStderrIntoStdout must not be set.", name);
        }
    }
}
