namespace Judge.Fuzz;

/// <summary>The fuzz targets by name: each takes one input and throws only when it found a bug.</summary>
public static class FuzzTargets
{
    public static IReadOnlyDictionary<string, Action<byte[]>> All { get; } = new Dictionary<string, Action<byte[]>>
    {
        ["submission"] = SubmissionTarget.Run,
        ["package"] = PackageTarget.Run,
    };
}

/// <summary>A property every answer to untrusted input must have, broken (the fuzzer reports it as a crash).</summary>
public sealed class FuzzInvariantException(string message) : Exception(message);
