using System.Collections.Concurrent;
using System.Diagnostics;

namespace Judge.Fleet.EndToEndTests;

/// <summary>A long-running program on one host: <c>nsenter --net=/run/netns/&lt;namespace&gt; [setpriv ...] program
/// args</c> (both exec, so the process is the program itself), with exactly the given environment, its output kept for
/// failure messages. Only the network namespace changes: <c>ip netns exec</c> would also mount a fresh /sys, which
/// hides the cgroup hierarchies under /sys/fs/cgroup from the sandbox daemon.</summary>
public sealed class HostProcess : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> log = new();
    private readonly Process process;

    public HostProcess(string name, string ns, IReadOnlyList<string> command, IReadOnlyDictionary<string, string> environment,
        string workingDirectory, bool redirectInput = false)
    {
        Name = name;
        var start = new ProcessStartInfo("nsenter")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectInput,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in (string[])[$"--net=/run/netns/{ns}", "--", .. command])
            start.ArgumentList.Add(argument);
        start.Environment.Clear();
        start.Environment["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        foreach (var (key, value) in environment)
            start.Environment[key] = value;
        process = Process.Start(start)!;
        if (!redirectInput)
        {
            process.OutputDataReceived += (_, e) => Record(e.Data);
            process.BeginOutputReadLine();
        }
        process.ErrorDataReceived += (_, e) => Record(e.Data);
        process.BeginErrorReadLine();
    }

    public string Name { get; }

    public int Id => process.Id;

    public bool HasExited => process.HasExited;

    public int ExitCode => process.ExitCode;

    /// <summary>Standard input and output, for a process started with <c>redirectInput</c> (the emulator).</summary>
    public Process Raw => process;

    /// <summary>The last output lines, stack frames left out (the exception's message stays in view).</summary>
    public string RecentLog => string.Join('\n', log.Where(l => !l[(l.IndexOf(']') + 1)..].TrimStart().StartsWith("at ", StringComparison.Ordinal)).TakeLast(60));

    private void Record(string? line)
    {
        if (line is null)
            return;
        log.Enqueue($"[{Name}] {line}");
        while (log.Count > 300)
            log.TryDequeue(out _);
    }

    /// <summary>SIGTERM, as systemd's KillSignal, and waits up to <paramref name="patience"/> for the exit; then SIGKILL.</summary>
    public async Task<int> TerminateAsync(TimeSpan patience)
    {
        if (!process.HasExited)
            Shell.TryRun("kill", "-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var timeout = new CancellationTokenSource(patience);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"{Name} did not exit within {patience.TotalSeconds:0} s of SIGTERM:\n{RecentLog}");
        }
        return process.ExitCode;
    }

    /// <summary>Waits for a short-lived command (ExecStartPre) to end; SIGKILL after <paramref name="patience"/>.</summary>
    public async Task<int> WaitAsync(TimeSpan patience)
    {
        using var timeout = new CancellationTokenSource(patience);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            await KillAsync();
        }
        return process.ExitCode;
    }

    /// <summary>SIGKILL (cleanup, or a host that is gone).</summary>
    public async Task KillAsync()
    {
        if (process.HasExited)
            return;
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        process.Dispose();
    }
}
