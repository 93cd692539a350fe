using System.Diagnostics;
using Judge.Engine.Sandbox;

namespace Judge.Engine.Telemetry;

/// <summary>A sandbox that counts every run (<c>judge.sandbox.runs</c>) and traces it as a <c>sandbox run</c> span around
/// the sandbox it wraps, which it disposes with itself.</summary>
public sealed class MeasuredSandbox(ISandbox inner) : ISandbox, IAsyncDisposable, IDisposable
{
    /// <summary>The sandbox that runs the programs.</summary>
    public ISandbox Inner { get; } = inner;

    public async Task<SandboxResult> RunAsync(SandboxRequest request, CancellationToken cancellationToken = default)
    {
        using var span = EngineTelemetry.Source.StartActivity("sandbox run");
        span?.SetTag("judge.sandbox.program", Path.GetFileName(request.Argv.FirstOrDefault() ?? ""));
        var result = await Inner.RunAsync(request, cancellationToken);
        Record(span, result);
        return result;
    }

    public async Task<ConnectedResult> RunConnectedAsync(SandboxRequest first, SandboxRequest second, CancellationToken cancellationToken = default)
    {
        using var span = EngineTelemetry.Source.StartActivity("sandbox run connected");
        var result = await Inner.RunConnectedAsync(first, second, cancellationToken);
        Record(span, result.First);
        Record(null, result.Second);
        return result;
    }

    private static void Record(Activity? span, SandboxResult result)
    {
        var status = result.Status.ToString();
        EngineTelemetry.SandboxRuns.Add(1, new KeyValuePair<string, object?>("status", status));
        if (span is null)
            return;
        span.SetTag("judge.sandbox.status", status);
        span.SetTag("judge.sandbox.cpu_ms", (long)result.CpuTime.TotalMilliseconds);
        span.SetTag("judge.sandbox.memory_kb", result.PeakMemoryBytes / 1024);
        if (result.Status == SandboxStatus.InternalError)
            span.SetStatus(ActivityStatusCode.Error, result.Message);
    }

    public async ValueTask DisposeAsync()
    {
        if (Inner is IAsyncDisposable asyncDisposable)
            await asyncDisposable.DisposeAsync();
        else if (Inner is IDisposable disposable)
            disposable.Dispose();
    }

    public void Dispose()
    {
        if (Inner is IDisposable disposable)
            disposable.Dispose();
    }
}
