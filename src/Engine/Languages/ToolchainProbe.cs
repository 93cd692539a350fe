using CliWrap;
using CliWrap.Buffered;
using Judge.Engine.Judging;

namespace Judge.Engine.Languages;

/// <summary>Finds which languages this machine can judge: runs each toolchain's version command, then its self-test through the sandbox.</summary>
public sealed class ToolchainProbe(SubmissionJudge judge)
{
    /// <summary>The outcome for one language: the language with its detected version, or why it is unavailable.</summary>
    public sealed record Result(Language Language, bool Available, string? Problem);

    /// <summary>Probes all <paramref name="languages"/> in parallel.</summary>
    public async Task<IReadOnlyList<Result>> ProbeAsync(IEnumerable<Language> languages, CancellationToken cancellationToken = default) =>
        await Task.WhenAll(languages.Select(l => ProbeAsync(l, cancellationToken)));

    /// <summary>Probes one language.</summary>
    public async Task<Result> ProbeAsync(Language language, CancellationToken cancellationToken = default)
    {
        var command = language.VersionCommand;
        if (!File.Exists(command[0]))
            return new Result(language, false, $"{command[0]} not found");

        string version;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(30));
            var result = await Cli.Wrap(command[0]).WithArguments(command.Skip(1))
                .WithEnvironmentVariables(e => e.Set("LANG", "C.UTF-8"))
                .WithValidation(CommandResultValidation.None)
                .ExecuteBufferedAsync(timeout.Token);
            if (result.ExitCode != 0)
                return new Result(language, false, $"'{string.Join(' ', command)}' exited with {result.ExitCode}: {result.StandardError.Trim()}");
            version = language.ParseVersion(result.StandardOutput.Length > 0 ? result.StandardOutput : result.StandardError);
        }
        catch (Exception e) when (e is OperationCanceledException or System.ComponentModel.Win32Exception or CliWrap.Exceptions.CliWrapException)
        {
            return new Result(language, false, $"'{string.Join(' ', command)}' failed: {e.Message}");
        }

        var probed = language with { Version = version };
        var selfTest = await judge.SelfTestAsync(probed, cancellationToken);
        return selfTest is null ? new Result(probed, true, null) : new Result(probed, false, selfTest);
    }
}
