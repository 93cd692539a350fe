using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Xunit.Abstractions;

namespace Judge.Silo.EndToEndTests;

/// <summary>A flood of good and bad requests on loopback: the silo keeps answering its health endpoints, refuses what it
/// cannot take with 503 and <c>Retry-After</c> instead of timing out, keeps its memory bounded, and finishes every
/// submission it accepted.</summary>
[Collection(LoadJudgeServerCollection.Name)]
public class LoadTests(LoadJudgeServer server, ITestOutputHelper output)
{
    private static readonly TimeSpan Flood = TimeSpan.FromSeconds(12);
    private const int Clients = 48;
    private static readonly byte[] HugeBody = [.. "{\"source\": \""u8, .. Enumerable.Repeat((byte)'x', 8 << 20), .. "\"}"u8];
    private const string Source = "a, b = map(int, input().split())\nprint(a + b)\n";

    private enum Kind { Submit, BadJson, HugeBody, HugeChunkedBody, SlowBody, Get }

    private sealed record Outcome(Kind Kind, int Status, bool RetryAfter, double Ms, string? Id, string? Failure);

    [Fact]
    public async Task Flood_of_good_and_bad_requests_is_answered_and_every_accepted_submission_finishes()
    {
        var baseAddress = server.Http.BaseAddress!;
        using var flood = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(30), // a request the server left hanging fails the test
        };
        using var probe = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 2 }) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        Assert.Equal(HttpStatusCode.OK, (await probe.GetAsync("/health")).StatusCode);

        var before = Retained();
        var peak = before;
        var outcomes = new ConcurrentQueue<Outcome>();
        var healthMs = new ConcurrentQueue<(string Path, int Status, double Ms)>();
        using var stop = new CancellationTokenSource(Flood);
        var clock = Stopwatch.StartNew();

        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var now = Memory();
                peak = (Math.Max(peak.WorkingSet, now.WorkingSet), Math.Max(peak.Heap, now.Heap));
                await Task.Delay(100);
            }
        });
        var prober = Task.Run(async () =>
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var path = n % 4 == 3 ? "/ready" : "/health";
                var started = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await probe.GetAsync(path);
                    healthMs.Enqueue((path, (int)response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds));
                }
                catch (Exception e)
                {
                    healthMs.Enqueue((path, -1, Stopwatch.GetElapsedTime(started).TotalMilliseconds));
                    output.WriteLine($"{path} failed: {e.Message}");
                }
                await Task.Delay(50);
            }
        });
        var clients = Enumerable.Range(0, Clients).Select(c => Task.Run(async () =>
        {
            for (var n = c; !stop.IsCancellationRequested; n++)
                outcomes.Enqueue(await SendAsync(flood, (Kind)((n % 8) switch { 0 or 1 or 2 => 0, 3 => 1, 4 => 2, 5 => 3, 6 => 4, _ => 5 })));
        })).ToList();
        await Task.WhenAll(clients);
        var floodSeconds = clock.Elapsed.TotalSeconds;
        await Task.WhenAll(sampler, prober);
        var during = peak;

        // Every accepted submission finishes with a verdict.
        var accepted = outcomes.Where(o => o.Kind == Kind.Submit && o.Status == 202).Select(o => o.Id!).ToList();
        var finished = new List<JsonElement>();
        var deadline = Stopwatch.StartNew();
        foreach (var id in accepted)
        {
            while (true)
            {
                var submission = await server.Http.GetFromJsonAsync<JsonElement>($"/api/submissions/{id}");
                if (submission.GetProperty("status").GetString() == "finished")
                {
                    finished.Add(submission);
                    break;
                }
                Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60),
                    $"submission {id} (of {accepted.Count} accepted) has not finished 60 s after the flood: {submission}");
                await Task.Delay(200);
            }
        }
        var after = Retained();

        // The figures, for docs/PERFORMANCE.md.
        var all = outcomes.ToList();
        var health = healthMs.Where(h => h.Path == "/health").Select(h => h.Ms).Order().ToList();
        output.WriteLine($"flood: {all.Count} requests in {floodSeconds:0.0} s = {all.Count / floodSeconds:0} requests/s from {Clients} clients");
        foreach (var group in all.GroupBy(o => (o.Kind, o.Status)).OrderBy(g => g.Key.Kind).ThenBy(g => g.Key.Status))
            output.WriteLine($"  {group.Key.Kind,-16} {(group.Key.Status < 0 ? "closed" : group.Key.Status.ToString()),6}: {group.Count(),6}  p50 {Percentile(group.Select(o => o.Ms), 50):0} ms  p99 {Percentile(group.Select(o => o.Ms), 99):0} ms");
        output.WriteLine($"accepted {accepted.Count}, finished {finished.Count}: {string.Join(", ", finished.GroupBy(f => f.GetProperty("verdict").GetString()).Select(g => $"{g.Key} {g.Count()}"))}");
        output.WriteLine($"/health under flood: {health.Count} probes, p50 {Percentile(health, 50):0.0} ms, p99 {Percentile(health, 99):0.0} ms, max {health.LastOrDefault():0.0} ms");
        output.WriteLine($"memory (MiB, working set / GC heap): before {before.WorkingSet / 1048576} / {before.Heap / 1048576}, "
            + $"peak {during.WorkingSet / 1048576} / {during.Heap / 1048576}, after {after.WorkingSet / 1048576} / {after.Heap / 1048576}");
        var overlap = MaxUnfinishedAtOnce(finished);
        output.WriteLine($"most accepted submissions unfinished at once (from their createdAt and finishedAt): {overlap}");

        // No request hung or failed: every answer is one a client can act on.
        var failures = all.Where(o => o.Failure is not null).ToList();
        Assert.True(failures.Count == 0, $"{failures.Count} requests failed: {string.Join("; ", failures.Take(5).Select(f => $"{f.Kind}: {f.Failure}"))}");
        var serverErrors = all.Where(o => o.Status >= 500 && !(o.Status == 503 && o.RetryAfter)).ToList();
        Assert.True(serverErrors.Count == 0, $"5xx other than 503 with Retry-After: {string.Join(", ", serverErrors.Take(5))}");
        var tooMany = all.Where(o => o.Status is 429 && !o.RetryAfter).ToList();
        Assert.Empty(tooMany);
        // The flood reached the limits, and good work still got through.
        Assert.Contains(all, o => o.Status == 503);
        Assert.NotEmpty(accepted);
        Assert.Contains(all, o => o.Kind == Kind.Get && o.Status == 200);
        Assert.All(all.Where(o => o.Kind == Kind.BadJson && o.Status < 500), o => Assert.Equal(400, o.Status));
        Assert.All(all.Where(o => o.Kind is Kind.HugeBody or Kind.HugeChunkedBody && o.Status is > 0 and < 500), o => Assert.Equal(413, o.Status));
        Assert.All(all.Where(o => o.Kind == Kind.SlowBody && o.Status is > 0 and < 500), o => Assert.Equal(408, o.Status));

        Assert.Equal(accepted.Count, finished.Count);
        Assert.All(finished, f => Assert.Equal("AC", f.GetProperty("verdict").GetString()));
        Assert.True(overlap <= LoadJudgeServer.MaxUnfinishedSubmissions,
            $"{overlap} accepted submissions were unfinished at once; the bound is {LoadJudgeServer.MaxUnfinishedSubmissions}");

        // /health and /ready kept answering, quickly.
        Assert.All(healthMs, h => Assert.Equal(200, h.Status));
        Assert.True(health.Count >= 20, $"only {health.Count} health probes in {floodSeconds:0} s");
        Assert.True(health[^1] < 2000, $"/health took {health[^1]:0} ms under the flood");

        // Memory stays bounded. What the flood leaves behind is measured after full blocking collections, before and after:
        // the process is shared with the suite's other tests, and its peak heap counts garbage not yet collected (200 to 500
        // MiB of growth on a busy 2-core machine, depending on when the server GC ran). The peak is checked loosely, against
        // runaway buffering; the retained growth tightly, against leaks (queued requests, submissions, bodies kept).
        Assert.True(during.Heap - before.Heap < 1024L << 20, $"the GC heap grew by {(during.Heap - before.Heap) >> 20} MiB under the flood");
        Assert.True(during.WorkingSet - before.WorkingSet < 1536L << 20, $"the working set grew by {(during.WorkingSet - before.WorkingSet) >> 20} MiB under the flood");
        Assert.True(after.Heap - before.Heap < 128L << 20, $"the flood left {(after.Heap - before.Heap) >> 20} MiB more on the GC heap after full collections");
    }

    /// <summary>Memory after full, blocking, compacting collections: what is still referenced.</summary>
    private static (long WorkingSet, long Heap) Retained()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        return Memory();
    }

    private static (long WorkingSet, long Heap) Memory()
    {
        using var self = Process.GetCurrentProcess();
        return (self.WorkingSet64, GC.GetTotalMemory(false));
    }

    private static double Percentile(IEnumerable<double> values, int percent)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(sorted.Count * percent / 100.0) - 1)];
    }

    // The most submissions that were accepted and not finished at one instant, by the server's own timestamps.
    private static int MaxUnfinishedAtOnce(IEnumerable<JsonElement> submissions)
    {
        var events = submissions.SelectMany(s => new[]
        {
            (At: s.GetProperty("createdAt").GetDateTimeOffset(), Change: 1),
            (At: s.GetProperty("finishedAt").GetDateTimeOffset(), Change: -1),
        }).OrderBy(e => e.At).ThenBy(e => e.Change);
        int open = 0, most = 0;
        foreach (var (_, change) in events)
            most = Math.Max(most, open += change);
        return most;
    }

    private static async Task<Outcome> SendAsync(HttpClient client, Kind kind)
    {
        var started = Stopwatch.GetTimestamp();
        if (kind == Kind.SlowBody)
            return await TrickleAsync(client.BaseAddress!, started);
        try
        {
            using var request = kind switch
            {
                Kind.Submit => Post(JsonContent.Create(new { problem = "aplusb", language = "python3", source = Source })),
                Kind.BadJson => Post(Json("{\"problem\": \"aplusb\", \"language\": ")),
                Kind.HugeBody => Post(new ByteArrayContent(HugeBody) { Headers = { { "Content-Type", "application/json" } } }),
                Kind.HugeChunkedBody => Post(new StreamContent(new FillStream(8 << 20, chunk: 64 << 10, delay: TimeSpan.Zero)) { Headers = { { "Content-Type", "application/json" } } }),
                _ => new HttpRequestMessage(HttpMethod.Get, Random.Shared.Next(3) switch { 0 => "/api/problems", 1 => "/api/languages", _ => "/api/submissions/nosuchid" }),
            };
            // One connection per request: a keep-alive connection the server closes as the next request goes out is a race
            // of HTTP/1.1 itself (clients retry it), not an answer the judge failed to give.
            request.Headers.ConnectionClose = true;
            using var response = await client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            string? id = null;
            if (kind == Kind.Submit && response.StatusCode == HttpStatusCode.Accepted)
                id = JsonDocument.Parse(text).RootElement.GetProperty("id").GetString();
            return new Outcome(kind, (int)response.StatusCode, response.Headers.RetryAfter is not null, Stopwatch.GetElapsedTime(started).TotalMilliseconds, id, null);
        }
        catch (HttpRequestException e) when (kind is Kind.HugeBody or Kind.HugeChunkedBody or Kind.SlowBody)
        {
            // The server answered early and closed the connection while the body was still being sent: a refusal too.
            return new Outcome(kind, -1, false, Stopwatch.GetElapsedTime(started).TotalMilliseconds, null, e.InnerException is IOException ? null : $"{e.Message} {e.InnerException?.Message}");
        }
        catch (Exception e)
        {
            return new Outcome(kind, 0, false, Stopwatch.GetElapsedTime(started).TotalMilliseconds, null, $"{e.GetType().Name}: {e.Message} {e.InnerException?.Message}");
        }
    }

    /// <summary>A slow client on a raw connection: it announces 64 KiB and sends 16 bytes every 200 ms, reading the answer
    /// as soon as it comes (HttpClient would go on sending its body after an early answer).</summary>
    private static async Task<Outcome> TrickleAsync(Uri server, long started)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            using var tcp = new System.Net.Sockets.TcpClient();
            await tcp.ConnectAsync(server.Host, server.Port, timeout.Token);
            var stream = tcp.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes(
                $"POST /api/submissions HTTP/1.1\r\nHost: {server.Authority}\r\nContent-Type: application/json\r\nContent-Length: {64 << 10}\r\n\r\n"), timeout.Token);
            var answer = new byte[4096];
            var reading = stream.ReadAsync(answer, timeout.Token).AsTask();
            var chunk = Enumerable.Repeat((byte)'x', 16).ToArray();
            while (!reading.IsCompleted)
            {
                try
                {
                    await stream.WriteAsync(chunk, timeout.Token);
                }
                catch (IOException)
                {
                    break; // the server cut the connection: its answer, if any, is read below
                }
                await Task.WhenAny(reading, Task.Delay(200, timeout.Token));
            }
            var read = await reading;
            var head = Encoding.ASCII.GetString(answer, 0, read);
            var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (read == 0)
                return new Outcome(Kind.SlowBody, -1, false, ms, null, null);
            var status = int.Parse(head.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
            return new Outcome(Kind.SlowBody, status, head.Contains("\r\nRetry-After:", StringComparison.OrdinalIgnoreCase), ms, null, null);
        }
        catch (Exception e)
        {
            return new Outcome(Kind.SlowBody, 0, false, Stopwatch.GetElapsedTime(started).TotalMilliseconds, null, $"{e.GetType().Name}: {e.Message}");
        }
    }

    private static HttpRequestMessage Post(HttpContent content) => new(HttpMethod.Post, "/api/submissions") { Content = content };

    private static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");

    /// <summary>A body of <c>length</c> bytes of <c>x</c>, sent <c>chunk</c> bytes at a time with a pause between: a huge
    /// upload with no Content-Length, or a slow one.</summary>
    private sealed class FillStream(long length, int chunk, TimeSpan delay) : Stream
    {
        private long sent;

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (sent >= length)
                return 0;
            if (delay > TimeSpan.Zero)
                await Task.Delay(delay, cancellationToken);
            var n = (int)Math.Min(Math.Min(chunk, buffer.Length), length - sent);
            buffer.Span[..n].Fill((byte)'x');
            sent += n;
            return n;
        }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => sent; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
