namespace Judge.Engine.Sandbox.Process;

/// <summary>Runs programs through the native <c>judge-exec</c> helper: rlimits, CPU and wall limits, capped output, exact rusage.</summary>
public sealed class ProcessSandbox : ISandbox
{
    public Task<SandboxResult> RunAsync(SandboxRequest request, CancellationToken cancellationToken = default) => throw new NotImplementedException();
}
