using System.Diagnostics.Metrics;

namespace Judge.Results.Publishing;

/// <summary>Results out on the <c>Judge</c> meter: results delivered and delivery attempts that failed, by channel
/// (<c>queue</c>, <c>webhook</c>).</summary>
public sealed class ResultsMetrics
{
    private readonly Counter<long> published;
    private readonly Counter<long> failed;

    public ResultsMetrics(IMeterFactory meters)
    {
        var meter = meters.Create("Judge");
        published = meter.CreateCounter<long>("judge.results.published", "{result}",
            "Results delivered to the results queue or a webhook, by channel");
        failed = meter.CreateCounter<long>("judge.results.failed", "{attempt}",
            "Failed deliveries of a result (each retried until it succeeds or, for webhooks, the attempts run out), by channel");
    }

    /// <summary>A result reached <paramref name="channel"/>.</summary>
    public void Published(string channel) => published.Add(1, new KeyValuePair<string, object?>("channel", channel));

    /// <summary>Delivering a result to <paramref name="channel"/> failed once.</summary>
    public void Failed(string channel) => failed.Add(1, new KeyValuePair<string, object?>("channel", channel));
}
