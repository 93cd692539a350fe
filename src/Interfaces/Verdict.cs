using System.Text.Json.Serialization;

namespace Judge.Interfaces;

/// <summary>Verdict codes of submissions and tests (ARCHITECTURE.md section 6).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Verdict>))]
public enum Verdict
{
    AC, WA, PE, TLE, MLE, OLE, RE, CE,
    /// <summary>Judge error: never the submitter's fault.</summary>
    IE,
    /// <summary>Skipped after an earlier test failed.</summary>
    SK,
}

/// <summary>Where a submission is in its life.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SubmissionStatus>))]
public enum SubmissionStatus
{
    [JsonStringEnumMemberName("queued")] Queued,
    [JsonStringEnumMemberName("compiling")] Compiling,
    [JsonStringEnumMemberName("running")] Running,
    [JsonStringEnumMemberName("finished")] Finished,
}
