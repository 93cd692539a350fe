namespace Judge.Engine.Sandbox;

/// <summary>Runs one untrusted program under limits and reports what it used; knows nothing of languages or verdicts.</summary>
public interface ISandbox
{
    /// <summary>Runs <paramref name="request"/> to completion (or until a limit kills it) and measures it.</summary>
    /// <remarks>Failures of the sandbox itself are reported as <see cref="SandboxStatus.InternalError"/>, not thrown.</remarks>
    Task<SandboxResult> RunAsync(SandboxRequest request, CancellationToken cancellationToken = default);

    /// <summary>Runs two programs at once, each in a sandbox of its own with its own limits, the standard output of each
    /// connected to the standard input of the other, and reports both and which ended first.</summary>
    /// <remarks>Neither request may name a standard input or output file (the pipes take their place). The roles differ
    /// once one has ended: what <paramref name="second"/> (the judge's side, an interactor) still writes is discarded, so it
    /// never sees a broken pipe; <paramref name="first"/> (the untrusted program) writing to an ended peer gets EPIPE or
    /// SIGPIPE. A sandbox that cannot connect programs answers both with <see cref="SandboxStatus.InternalError"/> saying so.</remarks>
    Task<ConnectedResult> RunConnectedAsync(SandboxRequest first, SandboxRequest second, CancellationToken cancellationToken = default);
}

/// <summary>How two connected runs ended.</summary>
/// <param name="First">The first request's result.</param>
/// <param name="Second">The second request's result.</param>
/// <param name="FirstEndedFirst">Whether the first program ended before the second. When one's end caused the other's
/// (a crash makes the peer read end-of-file, an exit makes the peer's next write fail) the cause is ordered first.</param>
public sealed record ConnectedResult(SandboxResult First, SandboxResult Second, bool FirstEndedFirst)
{
    /// <summary>Both runs failed before they started, for the same reason.</summary>
    public static ConnectedResult Internal(string message) => new(SandboxResult.Internal(message), SandboxResult.Internal(message), true);
}
