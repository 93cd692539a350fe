using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Judge.Engine.Sandbox.Linux;

/// <summary>The isolating sandbox: one long-lived <c>judge-sandbox</c> daemon per silo runs every program in a prepared
/// environment with its own namespaces, cgroup, uid and seccomp filter (see <c>PROTOCOL.md</c>). The silo either starts
/// the daemon as its child (<see cref="StartAsync"/>, which needs root) or, unprivileged, connects to a daemon that runs
/// on its own and serves a Unix socket (<see cref="ConnectAsync"/>).</summary>
public sealed class LinuxSandbox : ISandbox, IAsyncDisposable, IDisposable
{
    /// <summary>The daemon's file name, deployed next to the engine assembly.</summary>
    public const string HelperFileName = "judge-sandbox";

    private readonly System.Diagnostics.Process? daemon;
    private readonly Socket? socket;
    private readonly string daemonName;
    private readonly Stream requests;
    private readonly StreamReader responses;
    private readonly Lock writing = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<SandboxReport>> pending = new();
    private readonly Task reader;
    private readonly StringBuilder daemonErrors = new();
    private long nextId;
    private volatile string? failure;
    private int readerThread = -1;

    private LinuxSandbox(System.Diagnostics.Process daemon, string cgroup)
        : this(daemon.StandardInput.BaseStream, daemon.StandardOutput, cgroup, "the sandbox daemon")
    {
        this.daemon = daemon;
    }

    private LinuxSandbox(Socket socket, NetworkStream stream, StreamReader responses, string cgroup, string path)
        : this(stream, responses, cgroup, $"the sandbox daemon at {path}")
    {
        this.socket = socket;
    }

    private LinuxSandbox(Stream requests, StreamReader responses, string cgroup, string daemonName)
    {
        this.requests = requests;
        this.responses = responses;
        this.daemonName = daemonName;
        Cgroup = cgroup;
        // A thread of its own, reading synchronously: a response wakes its caller without waiting for the thread pool.
        reader = Task.Factory.StartNew(ReadResponses, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>The cgroup hierarchy in use (<c>v1</c> or <c>v2</c>).</summary>
    public string Cgroup { get; }

    /// <summary>Why this sandbox can no longer run anything (the daemon exited or closed the connection), or null.</summary>
    public string? Failure => failure;

    /// <summary>Connects to a daemon that runs on its own (<c>judge-sandbox --listen PATH --client-uid UID</c>, see
    /// PROTOCOL.md) and waits for its ready line, retrying while the socket is not there yet, within
    /// <see cref="LinuxSandboxOptions.StartTimeout"/>. The daemon's own options decide its pool, uids and paths.</summary>
    /// <exception cref="SandboxUnavailableException">No daemon answered in time, or it refused this process.</exception>
    public static async Task<LinuxSandbox> ConnectAsync(string socketPath, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        string? lastError = null;
        while (true)
        {
            var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await client.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), deadline.Token);
                var stream = new NetworkStream(client, ownsSocket: false);
                var reader = new StreamReader(stream, new UTF8Encoding(false));
                var line = await reader.ReadLineAsync(deadline.Token);
                var ready = ParseReady(line);
                if (ready.Error is not null)
                {
                    client.Dispose();
                    throw new SandboxUnavailableException($"the sandbox daemon at {socketPath} refused this silo: {ready.Error}");
                }
                return new LinuxSandbox(client, stream, reader, ready.Cgroup, socketPath);
            }
            catch (SocketException e) when (!deadline.IsCancellationRequested)
            {
                client.Dispose();
                lastError = e.Message; // not listening yet (the daemon starts beside the silo), or not ours to use
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                client.Dispose();
                throw new SandboxUnavailableException(lastError is null
                    ? $"the sandbox daemon at {socketPath} did not answer within {timeout.TotalSeconds:0} s (it serves one silo at a time: is another connected?)"
                    : $"cannot connect to the sandbox daemon at {socketPath} within {timeout.TotalSeconds:0} s: {lastError}");
            }
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new SandboxUnavailableException($"cannot connect to the sandbox daemon at {socketPath} within {timeout.TotalSeconds:0} s: {lastError}");
            }
        }
    }

    /// <summary>Starts the daemon and waits until it has proved it can isolate.</summary>
    /// <exception cref="SandboxUnavailableException">This host cannot enforce isolation; the message says what is missing.</exception>
    public static async Task<LinuxSandbox> StartAsync(LinuxSandboxOptions options, CancellationToken cancellationToken = default)
    {
        var helper = options.HelperPath ?? Path.Combine(Path.GetDirectoryName(typeof(LinuxSandbox).Assembly.Location) ?? AppContext.BaseDirectory, HelperFileName);
        if (!File.Exists(helper))
            throw new SandboxUnavailableException($"the sandbox daemon '{helper}' is missing; it is built from src/Engine/Sandbox/Linux/native by the Judge.Engine build (gcc required)");
        Judging.WorkRootPolicy.Create(options.WorkRoot);

        var start = new ProcessStartInfo(helper)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        start.Environment.Clear(); // nothing of the silo's environment (credentials, configuration) reaches the daemon
        start.ArgumentList.Add("--work-root");
        start.ArgumentList.Add(Path.GetFullPath(options.WorkRoot));
        start.ArgumentList.Add("--pool");
        start.ArgumentList.Add(options.Pool.ToString(CultureInfo.InvariantCulture));
        start.ArgumentList.Add("--uid-base");
        start.ArgumentList.Add(options.UidBase?.ToString(CultureInfo.InvariantCulture) ?? "auto");
        start.ArgumentList.Add("--cgroup");
        start.ArgumentList.Add(options.Cgroup);
        if (options.CgroupRoot is { Length: > 0 } cgroupRoot)
        {
            start.ArgumentList.Add("--cgroup-root");
            start.ArgumentList.Add(cgroupRoot);
        }
        foreach (var argument in LinuxSandboxOptions.ReadOnlyBindArguments(options.ReadOnlyPaths))
            start.ArgumentList.Add(argument);

        System.Diagnostics.Process process;
        try
        {
            process = System.Diagnostics.Process.Start(start) ?? throw new SandboxUnavailableException($"the sandbox daemon '{helper}' did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new SandboxUnavailableException($"the sandbox daemon '{helper}' cannot be started: {e.Message}");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.StartTimeout);
        string? line;
        try
        {
            line = await process.StandardOutput.ReadLineAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            throw new SandboxUnavailableException($"the sandbox daemon did not become ready within {options.StartTimeout.TotalSeconds:0} s");
        }

        var ready = ParseReady(line);
        if (ready.Error is not null)
        {
            var stderr = process.HasExited ? await process.StandardError.ReadToEndAsync(cancellationToken) : "";
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
            throw new SandboxUnavailableException((ready.Error + " " + stderr.Trim()).Trim());
        }

        var sandbox = new LinuxSandbox(process, ready.Cgroup);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (sandbox.daemonErrors)
            {
                if (sandbox.daemonErrors.Length < 8192) sandbox.daemonErrors.AppendLine(e.Data);
            }
        };
        process.BeginErrorReadLine();
        return sandbox;
    }

    public async Task<SandboxResult> RunAsync(SandboxRequest request, CancellationToken cancellationToken = default)
    {
        SandboxRequestValidation.Validate(request);
        cancellationToken.ThrowIfCancellationRequested();
        if (failure is { } dead)
            return SandboxResult.Internal(dead);

        var id = Interlocked.Increment(ref nextId).ToString(CultureInfo.InvariantCulture);
        var frame = Encode(id, request);
        if (TooLarge(frame) is { } tooLarge)
            return SandboxResult.Internal(tooLarge);
        // Completed by the response reader: inline when it is the only run in flight, else through the thread pool.
        var completion = new TaskCompletionSource<SandboxReport>();
        pending[id] = completion;
        try
        {
            Send(frame);
            SandboxReport report;
            using (cancellationToken.Register(() => Send(Frame([("cancel", id)]))))
                report = await completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            return report.ToResult(request.Limits);
        }
        catch (IOException e)
        {
            return SandboxResult.Internal($"{daemonName} is gone: {e.Message}");
        }
        finally
        {
            pending.TryRemove(id, out _);
        }
    }

    /// <summary>Runs both programs in slots of their own, connected by two daemon pipes (see PROTOCOL.md, "Pipes between
    /// two runs"). What <paramref name="second"/> writes after <paramref name="first"/> has ended is discarded (it never sees
    /// a broken pipe); <paramref name="first"/> writing after <paramref name="second"/> has ended gets EPIPE or SIGPIPE, as a
    /// program writing to a closed pipe does.</summary>
    public async Task<ConnectedResult> RunConnectedAsync(SandboxRequest first, SandboxRequest second, CancellationToken cancellationToken = default)
    {
        SandboxRequestValidation.ValidateConnected(first, second);
        cancellationToken.ThrowIfCancellationRequested();
        if (failure is { } dead)
            return ConnectedResult.Internal(dead);

        var firstId = Interlocked.Increment(ref nextId).ToString(CultureInfo.InvariantCulture);
        var secondId = Interlocked.Increment(ref nextId).ToString(CultureInfo.InvariantCulture);
        string toSecond = $"c{firstId}", toFirst = $"c{secondId}";
        var firstFrame = Encode(firstId, first, new PipeEnds(toFirst, toSecond, Discard: false));
        var secondFrame = Encode(secondId, second, new PipeEnds(toSecond, toFirst, Discard: true));
        if ((TooLarge(firstFrame) ?? TooLarge(secondFrame)) is { } tooLarge)
            return ConnectedResult.Internal(tooLarge);
        var firstDone = new TaskCompletionSource<SandboxReport>();
        var secondDone = new TaskCompletionSource<SandboxReport>();
        pending[firstId] = firstDone;
        pending[secondId] = secondDone;
        try
        {
            // One write: the daemon gets both requests together, so neither waits long for its peer.
            Send([.. firstFrame, .. secondFrame]);
            using (cancellationToken.Register(() => Send([.. Frame([("cancel", firstId)]), .. Frame([("cancel", secondId)])])))
            {
                // A run that could not start (a refused request, no slot) leaves its peer waiting for input: cancel it.
                var early = await Task.WhenAny(firstDone.Task, secondDone.Task).WaitAsync(cancellationToken).ConfigureAwait(false);
                var (other, otherId) = early == firstDone.Task ? (secondDone.Task, secondId) : (firstDone.Task, firstId);
                if ((await early).Status == "internal" && !other.IsCompleted)
                    Send(Frame([("cancel", otherId)]));
                var a = await firstDone.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
                var b = await secondDone.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
                return new ConnectedResult(a.ToResult(first.Limits), b.ToResult(second.Limits), a.EndMicroseconds <= b.EndMicroseconds);
            }
        }
        catch (IOException e)
        {
            return ConnectedResult.Internal($"{daemonName} is gone: {e.Message}");
        }
        finally
        {
            pending.TryRemove(firstId, out _);
            pending.TryRemove(secondId, out _);
        }
    }

    /// <summary>The pipes a connected run reads and writes instead of files.</summary>
    internal sealed record PipeEnds(string Stdin, string Stdout, bool Discard);

    // Requests are small and the daemon reads them at once: a synchronous write under a lock is the cheapest path.
    private void Send(byte[] frame)
    {
        lock (writing)
        {
            requests.Write(frame);
            requests.Flush();
        }
    }

    /// <summary>The most fields the daemon takes in one request (PROTOCOL.md).</summary>
    internal const int MaxRequestFields = 4096;

    /// <summary>The most bytes the daemon takes in one request (PROTOCOL.md).</summary>
    internal const int MaxRequestBytes = 1 << 20;

    /// <summary>Why the daemon would refuse <paramref name="frame"/> as a whole, or <c>null</c>: said here, with the counts,
    /// rather than sent (the daemon's refusal names neither the arguments nor the environment).</summary>
    internal static string? TooLarge(byte[] frame)
    {
        var fields = frame.AsSpan().Count((byte)0) - 1; // the last NUL ends the request
        return fields > MaxRequestFields || frame.Length > MaxRequestBytes
            ? $"the sandbox request is too large: {fields} fields in {frame.Length} bytes, and the sandbox daemon takes at most "
              + $"{MaxRequestFields} fields and {MaxRequestBytes} bytes (each argument and environment variable is a field)"
            : null;
    }

    /// <summary>Encodes a request as NUL-terminated <c>key=value</c> fields ending with an empty field.</summary>
    internal static byte[] Encode(string id, SandboxRequest request, PipeEnds? pipes = null)
    {
        var limits = request.Limits;
        var fields = new List<(string, string)>
        {
            ("id", id),
            ("work", Path.GetFullPath(request.WorkingDirectory)),
            ("work_mode", request.PersistWorkingDirectory ? "bind" : "overlay"),
            ("cpu_ms", Milliseconds(limits.CpuTime)),
            ("wall_ms", Milliseconds(limits.EffectiveWallTime)),
            ("mem_bytes", Number(limits.MemoryBytes)),
            ("limit_as", limits.LimitAddressSpace ? "1" : "0"),
            ("stack_bytes", Number(limits.EffectiveStackBytes)),
            ("nproc", Number(limits.Processes)),
            ("out_bytes", Number(limits.OutputBytes)),
            ("err_bytes", Number(limits.StderrBytes)),
            ("fsize_bytes", Number(limits.FileSizeBytes)),
            ("nofile", Number(limits.OpenFiles)),
            ("tmp_bytes", Number(limits.TmpfsBytes)),
            ("work_bytes", Number(limits.WorkBytes)),
            ("merge_stderr", request.MergeStderrIntoStdout ? "1" : "0"),
        };
        if (request.StdinPath is not null) fields.Add(("stdin", Path.GetFullPath(request.StdinPath)));
        if (request.StdoutPath is not null) fields.Add(("stdout", Path.GetFullPath(request.StdoutPath)));
        if (request.StderrPath is not null && !request.MergeStderrIntoStdout) fields.Add(("stderr", Path.GetFullPath(request.StderrPath)));
        if (pipes is not null)
        {
            fields.Add(("stdin_pipe", pipes.Stdin));
            fields.Add(("stdout_pipe", pipes.Stdout));
            fields.Add(("stdout_pipe_discard", pipes.Discard ? "1" : "0"));
        }
        fields.AddRange(request.Argv.Select(a => ("arg", a)));
        fields.AddRange(request.Environment.Select(e => ("env", $"{e.Key}={e.Value}")));
        return Frame(fields);
    }

    private static byte[] Frame(IEnumerable<(string Key, string Value)> fields)
    {
        var buffer = new MemoryStream();
        foreach (var (key, value) in fields)
        {
            buffer.Write(Encoding.UTF8.GetBytes($"{key}={value}"));
            buffer.WriteByte(0);
        }
        buffer.WriteByte(0);
        return buffer.ToArray();
    }

    private void ReadResponses()
    {
        readerThread = Environment.CurrentManagedThreadId;
        try
        {
            while (responses.ReadLine() is { } line)
            {
                if (SandboxReport.Parse(line) is not { Id: { } id } report || !pending.TryGetValue(id, out var completion))
                    continue;
                // The only run in flight continues on this thread, saving a thread-pool wake-up (about 0.1-0.3 ms
                // on a virtual machine) at the price of reading the next response only when its caller awaits
                // again. With other runs in flight their responses must not wait for that: the thread pool runs it.
                if (pending.Count == 1)
                    completion.TrySetResult(report);
                else
                    ThreadPool.UnsafeQueueUserWorkItem(static state => state.Completion.TrySetResult(state.Report), (Completion: completion, Report: report), preferLocal: false);
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
        }

        string errors;
        lock (daemonErrors)
            errors = daemonErrors.ToString().Trim();
        failure = daemon is null
            ? $"{daemonName} closed the connection"
            : $"{daemonName} exited{(daemon.HasExited ? $" with code {daemon.ExitCode}" : "")}{(errors.Length > 0 ? ": " + errors : "")}";
        var gone = new SandboxReport { Status = "internal", Message = failure };
        foreach (var completion in pending.Values)
            ThreadPool.UnsafeQueueUserWorkItem(static state => state.Completion.TrySetResult(state.Report), (Completion: completion, Report: gone), preferLocal: false);
    }

    private static (string? Error, string Cgroup) ParseReady(string? line)
    {
        if (line is null)
            return ("the sandbox daemon exited before reporting whether it can isolate", "");
        try
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            if (root.TryGetProperty("ready", out var ready) && ready.ValueKind == JsonValueKind.True)
                return (null, root.TryGetProperty("cgroup", out var cgroup) ? cgroup.GetString() ?? "" : "");
            return (root.TryGetProperty("error", out var error) ? error.GetString() : "the sandbox daemon is not ready", "");
        }
        catch (JsonException)
        {
            return ($"the sandbox daemon answered '{line}' instead of its ready line", "");
        }
    }

    private static string Milliseconds(TimeSpan t) => Number(Math.Max(1L, (long)Math.Ceiling(t.TotalMilliseconds)));

    private static string Number(long n) => n.ToString(CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        // Decided before the first await: a synchronous Dispose on the reader thread blocks that thread, and the code after
        // an await below runs elsewhere, where waiting for the reader would wait for itself.
        var onReaderThread = Environment.CurrentManagedThreadId == readerThread;
        if (socket is not null)
        {
            // End of the session: the daemon kills every run of this silo and serves the next client.
            try
            {
                socket.Shutdown(SocketShutdown.Both);
            }
            catch (SocketException) { }
            catch (ObjectDisposedException) { }
            socket.Dispose();
        }
        else if (daemon is not null)
        {
            try
            {
                daemon.StandardInput.Close(); // EOF: the daemon kills every run and exits
            }
            catch (IOException) { }
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await daemon.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                daemon.Kill(entireProcessTree: true);
            }
        }
        // A caller continuing on the reader thread (see ReadResponses) must not wait for that thread to end.
        if (!onReaderThread)
            await reader.ConfigureAwait(false);
        daemon?.Dispose();
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}

/// <summary>The host cannot enforce the sandbox's isolation; the message names what is missing.</summary>
public sealed class SandboxUnavailableException(string message) : Exception(message);
