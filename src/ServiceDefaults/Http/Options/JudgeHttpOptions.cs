using Judge.ServiceDefaults.Configuration;
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
        options.MaxConcurrentRequests = ConfigurationValues.Int(configuration, Key(nameof(MaxConcurrentRequests)), options.MaxConcurrentRequests, errors);
        options.RequestQueueLimit = ConfigurationValues.Int(configuration, Key(nameof(RequestQueueLimit)), options.RequestQueueLimit, errors);
        options.RequestQueueTimeout = ConfigurationValues.Span(configuration, Key(nameof(RequestQueueTimeout)), options.RequestQueueTimeout, errors);
        options.MaxConnections = ConfigurationValues.Long(configuration, Key(nameof(MaxConnections)), options.MaxConnections, errors);
        options.MaxRequestBodyBytes = ConfigurationValues.Long(configuration, Key(nameof(MaxRequestBodyBytes)), options.MaxRequestBodyBytes, errors);
        options.MaxRequestHeadersBytes = ConfigurationValues.Int(configuration, Key(nameof(MaxRequestHeadersBytes)), options.MaxRequestHeadersBytes, errors);
        options.RequestHeadersTimeout = ConfigurationValues.Span(configuration, Key(nameof(RequestHeadersTimeout)), options.RequestHeadersTimeout, errors);
        options.MinRequestBodyBytesPerSecond = ConfigurationValues.Number(configuration, Key(nameof(MinRequestBodyBytesPerSecond)), options.MinRequestBodyBytesPerSecond, errors);
        options.MinRequestBodyGracePeriod = ConfigurationValues.Span(configuration, Key(nameof(MinRequestBodyGracePeriod)), options.MinRequestBodyGracePeriod, errors);
        options.MaxUnfinishedSubmissions = ConfigurationValues.Int(configuration, Key(nameof(MaxUnfinishedSubmissions)), options.MaxUnfinishedSubmissions, errors);
        options.RetryAfterSeconds = ConfigurationValues.Int(configuration, Key(nameof(RetryAfterSeconds)), options.RetryAfterSeconds, errors);
        parseErrors = errors;
        return options;
    }

    private static string Key(string name) => $"{Section}:{name}";
}
