using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Judge.ServiceDefaults.Http;

/// <summary>The limits a Judge host puts on HTTP traffic so that a flood is refused quickly instead of queued without bound
/// (<c>Judge:Http:*</c>).</summary>
public sealed class JudgeHttpOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Judge:Http";

    /// <summary>Requests handled at once (<c>Judge:Http:MaxConcurrentRequests</c>); <c>/health</c>, <c>/ready</c>,
    /// <c>/metrics</c> and event streams are not counted.</summary>
    public int MaxConcurrentRequests { get; set; } = 256;

    /// <summary>Requests that may wait for one of those places (<c>Judge:Http:RequestQueueLimit</c>); more get 503.</summary>
    public int RequestQueueLimit { get; set; } = 512;

    /// <summary>How long a request may wait for a place before it gets 503 (<c>Judge:Http:RequestQueueTimeout</c>).</summary>
    public TimeSpan RequestQueueTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Open connections (<c>Judge:Http:MaxConnections</c>); Kestrel closes more at once.</summary>
    public long MaxConnections { get; set; } = 4096;

    /// <summary>The largest request body in bytes (<c>Judge:Http:MaxRequestBodyBytes</c>); larger ones get 413.</summary>
    public long MaxRequestBodyBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>The largest total size of a request's headers in bytes (<c>Judge:Http:MaxRequestHeadersBytes</c>); 431 above.</summary>
    public int MaxRequestHeadersBytes { get; set; } = 32 * 1024;

    /// <summary>How long a client may take to send its headers (<c>Judge:Http:RequestHeadersTimeout</c>).</summary>
    public TimeSpan RequestHeadersTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The slowest body upload in bytes per second, after a grace period (<c>Judge:Http:MinRequestBodyBytesPerSecond</c>);
    /// a slower client is cut off with 408.</summary>
    public double MinRequestBodyBytesPerSecond { get; set; } = 1024;

    /// <summary>How long a slow upload is tolerated before the rate applies (<c>Judge:Http:MinRequestBodyGracePeriod</c>).</summary>
    public TimeSpan MinRequestBodyGracePeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Submissions this silo accepted over HTTP that are not finished yet (<c>Judge:Http:MaxUnfinishedSubmissions</c>);
    /// past it <c>POST /api/submissions</c> answers 503 until some finish.</summary>
    public int MaxUnfinishedSubmissions { get; set; } = 10_000;

    /// <summary>The <c>Retry-After</c> a refused request is given, in seconds (<c>Judge:Http:RetryAfterSeconds</c>).</summary>
    public int RetryAfterSeconds { get; set; } = 2;

    /// <summary>Reads the options; values of the wrong type are returned in <paramref name="parseErrors"/>, naming the key.</summary>
    public static JudgeHttpOptions Read(IConfiguration configuration, out IReadOnlyList<string> parseErrors)
    {
        var errors = new List<string>();
        var options = new JudgeHttpOptions();
        options.MaxConcurrentRequests = Int(configuration, nameof(MaxConcurrentRequests), options.MaxConcurrentRequests, errors);
        options.RequestQueueLimit = Int(configuration, nameof(RequestQueueLimit), options.RequestQueueLimit, errors);
        options.RequestQueueTimeout = Span(configuration, nameof(RequestQueueTimeout), options.RequestQueueTimeout, errors);
        options.MaxConnections = Long(configuration, nameof(MaxConnections), options.MaxConnections, errors);
        options.MaxRequestBodyBytes = Long(configuration, nameof(MaxRequestBodyBytes), options.MaxRequestBodyBytes, errors);
        options.MaxRequestHeadersBytes = Int(configuration, nameof(MaxRequestHeadersBytes), options.MaxRequestHeadersBytes, errors);
        options.RequestHeadersTimeout = Span(configuration, nameof(RequestHeadersTimeout), options.RequestHeadersTimeout, errors);
        options.MinRequestBodyBytesPerSecond = Number(configuration, nameof(MinRequestBodyBytesPerSecond), options.MinRequestBodyBytesPerSecond, errors);
        options.MinRequestBodyGracePeriod = Span(configuration, nameof(MinRequestBodyGracePeriod), options.MinRequestBodyGracePeriod, errors);
        options.MaxUnfinishedSubmissions = Int(configuration, nameof(MaxUnfinishedSubmissions), options.MaxUnfinishedSubmissions, errors);
        options.RetryAfterSeconds = Int(configuration, nameof(RetryAfterSeconds), options.RetryAfterSeconds, errors);
        parseErrors = errors;
        return options;
    }

    private static int Int(IConfiguration configuration, string name, int fallback, List<string> errors) =>
        configuration[$"{Section}:{name}"] is not { Length: > 0 } text ? fallback
        : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value
        : Fail(errors, $"{Section}:{name} must be a whole number, not '{text}'", fallback);

    private static long Long(IConfiguration configuration, string name, long fallback, List<string> errors) =>
        configuration[$"{Section}:{name}"] is not { Length: > 0 } text ? fallback
        : long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value
        : Fail(errors, $"{Section}:{name} must be a whole number, not '{text}'", fallback);

    private static double Number(IConfiguration configuration, string name, double fallback, List<string> errors) =>
        configuration[$"{Section}:{name}"] is not { Length: > 0 } text ? fallback
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value
        : Fail(errors, $"{Section}:{name} must be a number, not '{text}'", fallback);

    private static TimeSpan Span(IConfiguration configuration, string name, TimeSpan fallback, List<string> errors) =>
        configuration[$"{Section}:{name}"] is not { Length: > 0 } text ? fallback
        : TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var value) ? value
        : Fail(errors, $"{Section}:{name} must be a time span such as 00:00:30, not '{text}'", fallback);

    private static T Fail<T>(List<string> errors, string error, T fallback)
    {
        errors.Add(error);
        return fallback;
    }
}
