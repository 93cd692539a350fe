using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Microsoft.AspNetCore.Builder;

/// <summary>How a Judge host ends on a configuration it cannot run with: before anything starts, one line per problem
/// on stderr, each naming the key, and exit code <see cref="ExitCode"/>; no stack trace, no unhandled exception.</summary>
public static class InvalidConfiguration
{
    /// <summary>The exit code of a host that refused its configuration (as <c>migrate</c>'s); units list it in
    /// <c>RestartPreventExitStatus=</c>, since starting again cannot help.</summary>
    public const int ExitCode = 2;

    /// <summary>Binds and validates every option registered with <c>ValidateOnStart</c> now, so that a value that does
    /// not convert (<c>Judge:FanOut=maybe</c>) or fails its validator stops the host before Orleans or a listener starts.</summary>
    public static WebApplication ValidateConfiguration(this WebApplication app)
    {
        app.Services.GetService<IStartupValidator>()?.Validate();
        return app;
    }

    /// <summary>Runs a host (<paramref name="run"/> builds, validates and runs it); a configuration error anywhere in it is
    /// written to <paramref name="error"/> as <c>{host}: invalid configuration: {message}</c> lines and answers
    /// <see cref="ExitCode"/>. Any other failure propagates as before.</summary>
    public static async Task<int> RunAsync(string host, Func<Task> run, TextWriter error)
    {
        try
        {
            await run();
            return 0;
        }
        catch (Exception e) when (Describe(e) is { } problems)
        {
            foreach (var problem in problems)
                await error.WriteLineAsync($"{host}: invalid configuration: {problem}");
            return ExitCode;
        }
    }

    /// <summary>The problems <paramref name="exception"/> reports when it is a configuration error (a validator's
    /// failures, or a value the configuration binder could not convert); null for anything else.</summary>
    public static IReadOnlyList<string>? Describe(Exception exception) => exception switch
    {
        OptionsValidationException validation => validation.Failures.Any() ? [.. validation.Failures] : [validation.Message],
        AggregateException aggregate when aggregate.InnerExceptions.Count > 0 =>
            aggregate.InnerExceptions.Select(Describe).ToList() is var inner && inner.All(p => p is not null) ? [.. inner.SelectMany(p => p!)] : null,
        InvalidOperationException binding when IsBinderError(binding) => [binding.Message],
        _ => null,
    };

    /// <summary>An error the configuration binder threw itself: a value it could not convert, or a key the options do not
    /// have (<c>ErrorOnUnknownConfiguration</c>). Its message names the key and the value.</summary>
    private static bool IsBinderError(InvalidOperationException exception) =>
        exception.TargetSite?.DeclaringType?.Namespace is { } ns && ns.StartsWith("Microsoft.Extensions.Configuration", StringComparison.Ordinal);
}
