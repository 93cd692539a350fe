using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Judge.Engine.Problems;
using Judge.Engine.Sandbox;

namespace Judge.Engine.Checkers;

/// <summary>A package program ready to run: a directory of files to copy next to it and the command that runs it there.</summary>
/// <param name="Directory">The built program's files (only regular files are used).</param>
/// <param name="Argv">The command, relative to the directory the program's files are copied to.</param>
/// <param name="Error">Why it could not be built (the judge's fault, never the submitter's); then nothing else is set.</param>
public sealed record BuiltProgram(string Directory, IReadOnlyList<string> Argv, string? Error = null)
{
    /// <summary>Copies the program's regular files into <paramref name="target"/>: never links, FIFOs or devices, and
    /// never through a link, although the build that made them was problem-setter code.</summary>
    public void CopyTo(string target)
    {
        foreach (var file in new DirectoryInfo(Directory).EnumerateFiles())
        {
            if (!file.Name.StartsWith('.') && SandboxFiles.KindOf(Path.Combine(target, file.Name)) == EntryKind.Missing)
                SandboxFiles.CopyRegular(file.FullName, Path.Combine(target, file.Name), executable: file.Name == PackagePrograms.BinaryName);
        }
    }
}

/// <summary>Toolchains for problem-setter programs (output validators, checkers).</summary>
public sealed record PackageToolchain
{
    public string CppCompiler { get; init; } = "/usr/bin/g++";
    public IReadOnlyList<string> CppFlags { get; init; } = ["-std=gnu++20", "-O2", "-pipe"];
    public string CCompiler { get; init; } = "/usr/bin/gcc";
    public IReadOnlyList<string> CFlags { get; init; } = ["-std=gnu11", "-O2", "-pipe"];
    public string Python { get; init; } = "/usr/bin/python3";

    public static PackageToolchain Default { get; } = new();
}

/// <summary>Builds package programs once and keeps them, keyed by a hash of their files and toolchain, under a cache directory
/// inside the sandbox's work root. Compilation runs in the sandbox: it is problem-setter code, so it only ever sees a
/// <c>build</c> directory of its own. Its marker and logs are written next to that directory, where the compile cannot
/// write, and what it leaves is accepted only when it holds nothing but regular files and directories.</summary>
public sealed class PackagePrograms(ISandbox sandbox, string cacheRoot, SandboxLimits compileLimits, PackageToolchain toolchain)
{
    /// <summary>The file name of a compiled program.</summary>
    public const string BinaryName = "program";

    /// <summary>The directory of a cached build that holds the program's files (and the only one the compile could write).</summary>
    public const string BuildDirectory = "build";

    private const string Marker = ".built";

    // Part of every hash: a cache laid out before the build had a directory of its own is never taken for a built one.
    private const string Layout = "layout 2";
    private readonly ConcurrentDictionary<string, Lazy<Task<BuiltProgram>>> builds = new(StringComparer.Ordinal);

    /// <summary>The built program (from the cache when its hash was built before, by this process or an earlier one).</summary>
    /// <remarks>A failed build is not kept: the next call tries again (the failure may have been the sandbox's).</remarks>
    public async Task<BuiltProgram> GetAsync(OutputValidatorProgram program, CancellationToken cancellationToken = default)
    {
        var hash = Hash(program);
        var lazy = builds.GetOrAdd(hash, _ => new Lazy<Task<BuiltProgram>>(() => BuildAsync(program, hash, CancellationToken.None)));
        var built = await lazy.Value.WaitAsync(cancellationToken);
        if (built.Error is not null)
            builds.TryRemove(new KeyValuePair<string, Lazy<Task<BuiltProgram>>>(hash, lazy));
        return built;
    }

    /// <summary>The content hash a program is cached under.</summary>
    public string Hash(OutputValidatorProgram program)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string text) => sha.AppendData(Encoding.UTF8.GetBytes(text + "\0"));
        Add(Layout);
        Add(program.Kind.ToString());
        Add(string.Join(' ', program.Sources));
        Add(string.Join(' ', [toolchain.CppCompiler, .. toolchain.CppFlags, toolchain.CCompiler, .. toolchain.CFlags, toolchain.Python]));
        foreach (var file in Directory.GetFiles(program.Directory).Order(StringComparer.Ordinal))
        {
            Add(Path.GetFileName(file));
            sha.AppendData(File.ReadAllBytes(file));
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset())[..32];
    }

    private async Task<BuiltProgram> BuildAsync(OutputValidatorProgram program, string hash, CancellationToken cancellationToken)
    {
        var final = Path.Combine(cacheRoot, hash);
        var argv = Argv(program);
        if (SandboxFiles.KindOf(Path.Combine(final, Marker)) == EntryKind.Regular)
            return new BuiltProgram(Path.Combine(final, BuildDirectory), argv);

        Directory.CreateDirectory(cacheRoot);
        var staging = $"{final}.{Guid.NewGuid():N}";
        var build = Path.Combine(staging, BuildDirectory);
        Directory.CreateDirectory(build);
        try
        {
            foreach (var file in Directory.GetFiles(program.Directory))
                SandboxFiles.CopyIn(file, Path.Combine(build, Path.GetFileName(file)));

            if (Compile(program) is { } command)
            {
                var log = Path.Combine(staging, "compile.log");
                var result = await sandbox.RunAsync(new SandboxRequest
                {
                    Argv = command,
                    WorkingDirectory = build,
                    StdoutPath = log,
                    MergeStderrIntoStdout = true,
                    PersistWorkingDirectory = true,
                    Limits = compileLimits,
                }, cancellationToken);
                var output = SandboxFiles.ReadText(log, 8192) ?? "";
                File.Delete(log);
                if (result.Status != SandboxStatus.Ok)
                    return Failed($"{program.Name} did not compile ({Describe(result)}): {output}".Trim());
                if (Unexpected(build, build) is { } odd)
                    return Failed($"{program.Name}: the build left {odd}; only regular files and directories may be left");
                if (SandboxFiles.KindOf(Path.Combine(build, BinaryName)) != EntryKind.Regular)
                    return Failed($"{program.Name}: the compiler made no program");
            }

            // Exclusive: the staging directory is this process's own, so nothing can be there already.
            using (var marker = new FileStream(Path.Combine(staging, Marker), FileMode.CreateNew, FileAccess.Write))
                marker.Write(System.Text.Encoding.UTF8.GetBytes(hash));
            if (Directory.Exists(final) && SandboxFiles.KindOf(Path.Combine(final, Marker)) != EntryKind.Regular)
                Directory.Delete(final, recursive: true); // left half-made by a process that died
            try
            {
                Directory.Move(staging, final);
            }
            catch (IOException) when (SandboxFiles.KindOf(Path.Combine(final, Marker)) == EntryKind.Regular)
            {
                // another process built the same program first
            }
            return new BuiltProgram(Path.Combine(final, BuildDirectory), argv);
        }
        finally
        {
            if (Directory.Exists(staging))
                Directory.Delete(staging, recursive: true); // removes links themselves, never their targets
        }
    }

    /// <summary>The first entry under <paramref name="directory"/> that is neither a regular file nor a directory (a
    /// symbolic link, a FIFO, a socket, a device), described relative to <paramref name="root"/>; <c>null</c> when none.</summary>
    private static string? Unexpected(string root, string directory)
    {
        foreach (var entry in Directory.EnumerateFileSystemEntries(directory).Order(StringComparer.Ordinal))
        {
            var kind = SandboxFiles.KindOf(entry);
            var name = Path.GetRelativePath(root, entry);
            switch (kind)
            {
                case EntryKind.Regular:
                    continue;
                case EntryKind.Directory:
                    if (Unexpected(root, entry) is { } nested)
                        return nested;
                    continue;
                case EntryKind.SymbolicLink:
                    return $"'{name}', a symbolic link";
                default:
                    return $"'{name}', a FIFO, socket or device";
            }
        }
        return null;
    }

    private static BuiltProgram Failed(string error) => new("", [], error);

    private static string Describe(SandboxResult result) => result.Status switch
    {
        SandboxStatus.NonZeroExit => $"exit code {result.ExitCode}",
        SandboxStatus.Signaled => $"killed by {result.SignalName}",
        _ => result.Message ?? result.Status.ToString(),
    };

    // Every file name goes in as "./name": a package file called "@opts.cpp" or "-wrapper.cpp" is then a file, never an
    // option of the compiler or the interpreter.
    private IReadOnlyList<string>? Compile(OutputValidatorProgram program) => program.Kind switch
    {
        ProgramKind.Cpp => [toolchain.CppCompiler, .. toolchain.CppFlags, "-o", BinaryName, .. program.Sources.Select(AsPath)],
        ProgramKind.C => [toolchain.CCompiler, .. toolchain.CFlags, "-o", BinaryName, .. program.Sources.Select(AsPath), "-lm"],
        _ => null,
    };

    private IReadOnlyList<string> Argv(OutputValidatorProgram program) => program.Kind switch
    {
        ProgramKind.Python => [toolchain.Python, "-B", AsPath(program.Sources[0])],
        _ => [AsPath(BinaryName)],
    };

    private static string AsPath(string fileName) => "./" + fileName;
}
