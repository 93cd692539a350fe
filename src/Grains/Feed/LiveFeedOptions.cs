using Microsoft.Extensions.Options;

namespace Judge.Grains.Feed;

/// <summary>Configuration of the live feed and the submissions list (section <c>Judge:Dashboard</c>).</summary>
public sealed class LiveFeedOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Judge:Dashboard";

    /// <summary>How many events each silo keeps for clients that reconnect with <c>Last-Event-ID</c>
    /// (<c>Judge:Dashboard:ReplayEvents</c>).</summary>
    public int ReplayEvents { get; set; } = 10_000;

    /// <summary>How many of the newest submissions the in-memory list keeps (<c>Judge:Dashboard:MaxSubmissions</c>); used
    /// when there is no database.</summary>
    public int MaxSubmissions { get; set; } = 100_000;

    /// <summary>How often a silo renews its feed registration and reports its status (<c>Judge:Dashboard:Heartbeat</c>);
    /// a silo silent for three periods is stale, for five it drops out.</summary>
    public TimeSpan Heartbeat { get; set; } = TimeSpan.FromSeconds(3);
}

/// <summary>Rejects live feed settings that cannot work, naming the key.</summary>
public sealed class LiveFeedOptionsValidator : IValidateOptions<LiveFeedOptions>
{
    public ValidateOptionsResult Validate(string? name, LiveFeedOptions options)
    {
        var failures = new List<string>();
        if (options.ReplayEvents is < 1 or > 10_000_000)
            failures.Add($"Judge:Dashboard:ReplayEvents must be between 1 and 10000000 (was {options.ReplayEvents}).");
        if (options.MaxSubmissions is < 1 or > 10_000_000)
            failures.Add($"Judge:Dashboard:MaxSubmissions must be between 1 and 10000000 (was {options.MaxSubmissions}).");
        if (options.Heartbeat < TimeSpan.FromMilliseconds(100) || options.Heartbeat > TimeSpan.FromMinutes(1))
            failures.Add($"Judge:Dashboard:Heartbeat must be between 00:00:00.1 and 00:01:00 (was {options.Heartbeat}).");
        return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }
}
