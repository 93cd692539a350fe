namespace Judge.Silo.EndToEndTests;

/// <summary>A judge server that exports to an <see cref="OtlpReceiver"/> (OTLP over HTTP, metrics every half second).</summary>
public sealed class OtlpServer : JudgeServer
{
    public OtlpReceiver Receiver { get; } = new();

    protected override IEnumerable<string> Arguments =>
    [
        $"--OTEL_EXPORTER_OTLP_ENDPOINT={Receiver.Endpoint}",
        "--OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf",
        "--OTEL_METRIC_EXPORT_INTERVAL=500",
        "--OTEL_BSP_SCHEDULE_DELAY=200",
    ];
}

[Collection(TelemetryServerCollection.Name)]
public sealed class OtlpExportTests : IAsyncLifetime
{
    private readonly OtlpServer server = new();

    public Task InitializeAsync() => server.InitializeAsync();

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        await server.Receiver.DisposeAsync();
    }

    [Fact]
    public async Task With_OTEL_EXPORTER_OTLP_ENDPOINT_set_the_judge_exports_its_spans_and_metrics_there()
    {
        var judged = await server.JudgeAsync("aplusb", "python3", "a, b = map(int, input().split())\nprint(a + b)\n");
        Assert.Equal("AC", judged.GetProperty("verdict").GetString());

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!(server.Receiver.Received("/v1/traces", "judge submission") && server.Receiver.Received("/v1/traces", "sandbox run")
                 && server.Receiver.Received("/v1/metrics", "judge.submissions.finished") && server.Receiver.Received("/v1/metrics", "judge.sandbox.runs")))
        {
            Assert.True(DateTime.UtcNow < deadline, "the OTLP receiver did not get the judge's spans and metrics within 30 s; it got: "
                + string.Join(", ", server.Receiver.Exports.Select(e => $"{e.Path} ({e.Body.Length} bytes)")));
            await Task.Delay(100);
        }
        Assert.All(server.Receiver.Exports, e => Assert.Equal("application/x-protobuf", e.ContentType));
    }
}
