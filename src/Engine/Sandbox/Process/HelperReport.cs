using System.Text.Json.Serialization;

namespace Judge.Engine.Sandbox.Process;

/// <summary>The one JSON line <c>judge-exec</c> prints.</summary>
internal sealed record HelperReport
{
    [JsonPropertyName("status")] public string Status { get; init; } = "";
    [JsonPropertyName("exit")] public int Exit { get; init; }
    [JsonPropertyName("signal")] public int Signal { get; init; }
    [JsonPropertyName("cpu_us")] public long CpuMicroseconds { get; init; }
    [JsonPropertyName("wall_us")] public long WallMicroseconds { get; init; }
    [JsonPropertyName("maxrss_kb")] public long MaxRssKilobytes { get; init; }
    [JsonPropertyName("stdout_bytes")] public long StdoutBytes { get; init; }
    [JsonPropertyName("stderr_bytes")] public long StderrBytes { get; init; }
    [JsonPropertyName("message")] public string? Message { get; init; }
}

/// <summary>Source-generated JSON metadata for <see cref="HelperReport"/>.</summary>
[JsonSerializable(typeof(HelperReport))]
internal sealed partial class HelperReportJsonContext : JsonSerializerContext;
