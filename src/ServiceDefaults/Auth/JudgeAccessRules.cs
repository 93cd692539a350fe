using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Judge.ServiceDefaults.Auth;

/// <summary>The access rules in force: the options, the keys and the session cookies. They are read and validated at start
/// (an invalid configuration stops the host) and again whenever the configuration reloads (an invalid reload is logged and
/// the rules in force stay), so a key removed from <c>appsettings.json</c> stops working, its sessions included.</summary>
public sealed partial class JudgeAccessRules : IDisposable
{
    private readonly ILogger<JudgeAccessRules> logger;
    private readonly TimeProvider time;
    private readonly IDisposable? reloads;
    private byte[]? randomSecret;
    private volatile State state;

    /// <summary>What one reading of the configuration gives.</summary>
    public sealed record State(JudgeAuthOptions Options, ApiKeys Keys, SessionCookies Cookies);

    /// <summary>Reads the rules from <paramref name="configuration"/>; throws <see cref="OptionsValidationException"/> naming
    /// every invalid key.</summary>
    public JudgeAccessRules(IConfiguration configuration, ILogger<JudgeAccessRules> logger, TimeProvider time)
    {
        this.logger = logger;
        this.time = time;
        state = Read(configuration);
        if (state.Options.CookieSecret is null && randomSecret is not null && state.Keys.All.Count > 0)
            LogRandomSecret(logger, JudgeAuthOptions.Section + ":CookieSecret");
        reloads = ChangeToken.OnChange(configuration.GetReloadToken, () =>
        {
            try
            {
                state = Read(configuration);
            }
            catch (OptionsValidationException e)
            {
                LogReloadRefused(logger, e.Message);
            }
        });
    }

    /// <summary>The rules in force.</summary>
    public State Current => state;

    /// <summary>Reads and validates the options alone, failing with every invalid key named.</summary>
    public static JudgeAuthOptions ReadOptions(IConfiguration configuration)
    {
        var options = JudgeAuthOptions.Read(configuration, out var parseErrors);
        var errors = parseErrors.ToList();
        if (new JudgeAuthOptionsValidator().Validate(null, options) is { Failed: true } result)
            errors.AddRange(result.Failures);
        if (errors.Count > 0)
            throw new OptionsValidationException(nameof(JudgeAuthOptions), typeof(JudgeAuthOptions), errors);
        return options;
    }

    private State Read(IConfiguration configuration)
    {
        var options = ReadOptions(configuration);
        var secret = SessionCookies.SecretFor(options, out var random);
        if (random)
            secret = randomSecret ??= secret;
        return new State(options, new ApiKeys(options), new SessionCookies(secret, TimeSpan.FromHours(options.SessionHours), time));
    }

    /// <inheritdoc />
    public void Dispose() => reloads?.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Browser sessions are signed with a random secret of this process: set {ConfigurationKey} (the same on every silo) so that every silo accepts the session cookies of the others and sessions survive a restart")]
    private static partial void LogRandomSecret(ILogger logger, string configurationKey);

    [LoggerMessage(Level = LogLevel.Error, Message = "The reloaded access configuration is invalid; the previous access rules stay in force: {Errors}")]
    private static partial void LogReloadRefused(ILogger logger, string errors);
}
