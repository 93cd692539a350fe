namespace Judge.Silo.EndToEndTests;

/// <summary>A real judge silo with low HTTP limits, so that a short flood reaches every one of them.</summary>
public sealed class LoadJudgeServer : JudgeServer
{
    public const int MaxConcurrentRequests = 16, RequestQueueLimit = 16, MaxUnfinishedSubmissions = 20;

    protected override IEnumerable<string> Arguments =>
    [
        $"--Judge:WorkRoot={Path.Combine(Path.GetTempPath(), "judge-e2e-load")}",
        $"--Judge:Http:MaxConcurrentRequests={MaxConcurrentRequests}",
        $"--Judge:Http:RequestQueueLimit={RequestQueueLimit}",
        "--Judge:Http:RequestQueueTimeout=00:00:01",
        $"--Judge:Http:MaxUnfinishedSubmissions={MaxUnfinishedSubmissions}",
        "--Judge:Http:MinRequestBodyBytesPerSecond=4096",
        "--Judge:Http:MinRequestBodyGracePeriod=00:00:02",
        "--Judge:Http:RetryAfterSeconds=1",
        // The per-key submit rate is not what this flood tests: the bound on unfinished submissions is.
        "--Judge:Auth:SubmitsPerMinute=1000000",
    ];
}

/// <summary>The load test runs alone (after the parallel collections), so that its latency and memory figures are its own.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LoadJudgeServerCollection : ICollectionFixture<LoadJudgeServer>
{
    public const string Name = "judge server under load";
}
