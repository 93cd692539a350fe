using Judge.Engine.Sandbox;
using Judge.Engine.Sandbox.Linux;
using Judge.Engine.Sandbox.Process;
using Judge.Grains.Options;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Judge.Grains.Hosting;

/// <summary>Creates the silo's sandbox: the isolating one, or (in Development only, when asked) the unsafe one. The silo and
/// its <c>verify</c> command both get theirs here.</summary>
public static partial class SandboxFactory
{
    /// <summary>The sandbox <paramref name="options"/> ask for: a running daemon's socket (<c>Judge:Sandbox:Socket</c>), a daemon
    /// of its own working under <paramref name="workRoot"/> (needs root), or the unsafe one in Development.</summary>
    /// <exception cref="InvalidOperationException">The sandbox cannot be had; the message says what to fix.</exception>
    public static ISandbox Create(JudgingOptions options, string workRoot, IHostEnvironment environment, ILogger logger)
    {
        var settings = options.Sandbox;
        if (settings.Mode == SandboxMode.Unsafe)
        {
            if (!environment.IsDevelopment())
                throw new InvalidOperationException(
                    $"Judge:Sandbox:Mode=Unsafe runs untrusted code without isolation and is allowed only in the Development environment (this is '{environment.EnvironmentName}'). Remove the setting, or set ASPNETCORE_ENVIRONMENT=Development on a development machine.");
            LogUnsafe(logger);
            return new ProcessSandbox();
        }

        if (settings.Socket is { } socket)
        {
            try
            {
                var connected = SocketSandbox.ConnectAsync(socket, settings.StartTimeout).GetAwaiter().GetResult();
                LogConnected(logger, socket, connected.Cgroup);
                return connected;
            }
            catch (SandboxUnavailableException e)
            {
                throw new InvalidOperationException(
                    $"The judge cannot isolate submissions: {e.Message}. Start the daemon first (judge-sandbox --listen {socket} --client-uid <this silo's uid> ...; deploy/sandbox/README.md), or unset Judge:Sandbox:Socket to let a root silo start its own.", e);
            }
        }

        try
        {
            var sandbox = LinuxSandbox.StartAsync(new LinuxSandboxOptions
            {
                WorkRoot = workRoot,
                Pool = settings.Pool ?? 3 * options.Slots + 1,
                UidBase = settings.UidBase,
                Cgroup = settings.Cgroup,
                CgroupRoot = settings.CgroupRoot,
                ReadOnlyPaths = settings.ReadOnlyPaths is { Count: > 0 } paths ? paths : LinuxSandboxOptions.DefaultReadOnlyPaths,
                StartTimeout = settings.StartTimeout,
            }).GetAwaiter().GetResult();
            LogIsolated(logger, sandbox.Cgroup);
            foreach (var setting in new[] { "fs/protected_symlinks", "fs/protected_hardlinks" })
            {
                var path = "/proc/sys/" + setting;
                if (File.Exists(path) && File.ReadAllText(path).Trim() == "0")
                    LogKernelSetting(logger, setting.Replace('/', '.'));
            }
            return sandbox;
        }
        catch (SandboxUnavailableException e)
        {
            throw new InvalidOperationException(
                $"The judge cannot isolate submissions on this host: {e.Message}. Run the silo as root or with the capabilities listed in deploy/sandbox/README.md; for development only, Judge:Sandbox:Mode=Unsafe with ASPNETCORE_ENVIRONMENT=Development runs without isolation.", e);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Judge:Sandbox:Mode=Unsafe: submissions run WITHOUT isolation (development only)")]
    private static partial void LogUnsafe(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kernel setting {Setting} is 0; set it to 1 on judge hosts (deploy/sandbox/99-judge.conf)")]
    private static partial void LogKernelSetting(ILogger logger, string setting);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sandbox ready over {Socket}: namespaces, cgroup {Cgroup}, seccomp, unprivileged uids")]
    private static partial void LogConnected(ILogger logger, string socket, string cgroup);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sandbox ready: namespaces, cgroup {Cgroup}, seccomp, unprivileged uids")]
    private static partial void LogIsolated(ILogger logger, string cgroup);
}
