namespace Judge.Engine.Sandbox;

/// <summary>Runs one untrusted program under limits and reports what it used; knows nothing of languages or verdicts.</summary>
public interface ISandbox
{
    /// <summary>Runs <paramref name="request"/> to completion (or until a limit kills it) and measures it.</summary>
    /// <remarks>Failures of the sandbox itself are reported as <see cref="SandboxStatus.InternalError"/>, not thrown.</remarks>
    Task<SandboxResult> RunAsync(SandboxRequest request, CancellationToken cancellationToken = default);
}
