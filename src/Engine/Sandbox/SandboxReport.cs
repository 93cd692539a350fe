using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Judge.Engine.Sandbox;

/// <summary>The JSON line the native sandbox helpers (<c>judge-exec</c>, <c>judge-sandbox</c>) report for one run.</summary>
internal sealed record SandboxReport
{
    [JsonPropertyName("id")] public string? Id { get; init; }
    [JsonPropertyName("status")] public string Status { get; init; } = "";
    [JsonPropertyName("exit")] public int Exit { get; init; }
    [JsonPropertyName("signal")] public int Signal { get; init; }
    [JsonPropertyName("cpu_us")] public long CpuMicroseconds { get; init; }
    [JsonPropertyName("wall_us")] public long WallMicroseconds { get; init; }
    [JsonPropertyName("maxrss_kb")] public long MaxRssKilobytes { get; init; }
    [JsonPropertyName("stdout_bytes")] public long StdoutBytes { get; init; }
    [JsonPropertyName("stderr_bytes")] public long StderrBytes { get; init; }
    [JsonPropertyName("end_us")] public long EndMicroseconds { get; init; }
    [JsonPropertyName("message")] public string? Message { get; init; }

    /// <summary>Parses one report line, or returns <c>null</c> if it is not one.</summary>
    public static SandboxReport? Parse(string line)
    {
        try
        {
            return JsonSerializer.Deserialize(line, SandboxReportJsonContext.Default.SandboxReport);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The run's result, with messages that name the limit that was exceeded.</summary>
    public SandboxResult ToResult(SandboxLimits limits)
    {
        var cpu = TimeSpan.FromMicroseconds(CpuMicroseconds);
        var status = Status switch
        {
            "ok" => SandboxStatus.Ok,
            "nonzero" => SandboxStatus.NonZeroExit,
            "signaled" => SandboxStatus.Signaled,
            "tle_cpu" => SandboxStatus.CpuTimeLimitExceeded,
            "tle_wall" => SandboxStatus.WallTimeLimitExceeded,
            "mle" => SandboxStatus.MemoryLimitExceeded,
            "ole" => SandboxStatus.OutputLimitExceeded,
            "internal" => SandboxStatus.InternalError,
            _ => (SandboxStatus?)null,
        };
        if (status is null)
        {
            return SandboxResult.Internal($"The sandbox helper reported an unknown status '{Status}'.");
        }

        var peak = MaxRssKilobytes * 1024;
        var message = status switch
        {
            SandboxStatus.CpuTimeLimitExceeded =>
                $"CPU time limit of {Seconds(limits.CpuTime)} s exceeded ({Seconds(cpu)} s)",
            SandboxStatus.WallTimeLimitExceeded =>
                $"wall time limit of {Seconds(limits.EffectiveWallTime)} s exceeded ({Seconds(TimeSpan.FromMicroseconds(WallMicroseconds))} s; CPU {Seconds(cpu)} s)",
            SandboxStatus.MemoryLimitExceeded =>
                $"memory limit of {Mebibytes(limits.MemoryBytes)} MiB exceeded ({Mebibytes(peak)} MiB)",
            SandboxStatus.OutputLimitExceeded when string.IsNullOrEmpty(Message) =>
                $"output limit of {limits.OutputBytes} bytes exceeded",
            SandboxStatus.InternalError when string.IsNullOrEmpty(Message) => "the sandbox helper failed",
            _ => string.IsNullOrEmpty(Message) ? null : Message,
        };

        var signaled = Signal != 0;
        return new SandboxResult
        {
            Status = status.Value,
            ExitCode = signaled || status == SandboxStatus.InternalError ? null : Exit,
            Signal = signaled ? Signal : null,
            CpuTime = cpu,
            WallTime = TimeSpan.FromMicroseconds(WallMicroseconds),
            PeakMemoryBytes = peak,
            StdoutBytes = StdoutBytes,
            StderrBytes = StderrBytes,
            Message = message,
        };
    }

    private static string Number(long n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture);

    private static string Mebibytes(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("0.0", CultureInfo.InvariantCulture);

}

/// <summary>Source-generated JSON metadata for <see cref="SandboxReport"/>.</summary>
[JsonSerializable(typeof(SandboxReport))]
internal sealed partial class SandboxReportJsonContext : JsonSerializerContext;
