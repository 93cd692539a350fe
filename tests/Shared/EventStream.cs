using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace Judge.Tests;

/// <summary>One Server-Sent Event as a client sees it.</summary>
internal sealed record ServerSentEvent(string Type, string? Id, string Data)
{
    /// <summary>The data parsed as JSON.</summary>
    public JsonElement Json => JsonDocument.Parse(Data).RootElement.Clone();
}

/// <summary>A client of a <c>text/event-stream</c> endpoint: reads the stream in the background and hands out its events
/// (comments and <c>retry</c> lines are counted, not handed out).</summary>
internal sealed class EventStream : IAsyncDisposable
{
    private readonly Channel<ServerSentEvent> events = Channel.CreateUnbounded<ServerSentEvent>();
    private readonly CancellationTokenSource stop = new();
    private readonly TaskCompletionSource connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private HttpResponseMessage? response;
    private Task reading = Task.CompletedTask;

    /// <summary>The HTTP status of the answer.</summary>
    public int Status => (int)(response?.StatusCode ?? 0);

    /// <summary>The content type of the answer.</summary>
    public string? ContentType => response?.Content.Headers.ContentType?.MediaType;

    /// <summary>The <c>retry</c> value the server sent, in milliseconds.</summary>
    public int? Retry { get; private set; }

    /// <summary>Whether the server has ended the stream.</summary>
    public bool Ended => reading.IsCompleted;

    /// <summary>Opens <paramref name="path"/> and waits until the server sent its first line (the subscription is open).</summary>
    public static async Task<EventStream> OpenAsync(HttpClient http, string path, string? lastEventId = null, TimeSpan? timeout = null)
    {
        var stream = new EventStream();
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (lastEventId is not null)
            request.Headers.Add("Last-Event-ID", lastEventId);
        stream.response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stream.stop.Token);
        if (!stream.response.IsSuccessStatusCode)
            return stream;
        stream.reading = Task.Run(() => stream.ReadAsync(stream.response));
        await stream.connected.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(30));
        return stream;
    }

    private async Task ReadAsync(HttpResponseMessage answer)
    {
        try
        {
            await using var body = await answer.Content.ReadAsStreamAsync(stop.Token);
            using var reader = new StreamReader(body, Encoding.UTF8);
            string? type = null, id = null;
            var data = new StringBuilder();
            while (await reader.ReadLineAsync(stop.Token) is { } line)
            {
                connected.TrySetResult();
                if (line.Length == 0)
                {
                    if (data.Length > 0)
                        await events.Writer.WriteAsync(new ServerSentEvent(type ?? "message", id, data.ToString()));
                    (type, id) = (null, null);
                    data.Clear();
                }
                else if (line.StartsWith(':'))
                    continue;
                else if (line.StartsWith("retry: ", StringComparison.Ordinal))
                    Retry = int.Parse(line["retry: ".Length..]);
                else if (line.StartsWith("event: ", StringComparison.Ordinal))
                    type = line["event: ".Length..];
                else if (line.StartsWith("id: ", StringComparison.Ordinal))
                    id = line["id: ".Length..];
                else if (line.StartsWith("data: ", StringComparison.Ordinal))
                    data.Append(data.Length > 0 ? "\n" : "").Append(line["data: ".Length..]);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or HttpRequestException)
        {
            // closed
        }
        finally
        {
            connected.TrySetResult();
            events.Writer.TryComplete();
        }
    }

    /// <summary>The next event; fails naming <paramref name="waitingFor"/> when none comes within <paramref name="timeout"/>
    /// or the stream ends.</summary>
    public async Task<ServerSentEvent> NextAsync(string waitingFor, TimeSpan? timeout = null)
    {
        using var wait = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        try
        {
            if (await events.Reader.WaitToReadAsync(wait.Token) && events.Reader.TryRead(out var next))
                return next;
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no event came while waiting for {waitingFor}");
        }
        throw new InvalidOperationException($"the stream ended while waiting for {waitingFor}");
    }

    /// <summary>Reads events until one satisfies <paramref name="until"/>; answers all read, that one included.</summary>
    public async Task<List<ServerSentEvent>> ReadUntilAsync(Func<ServerSentEvent, bool> until, string waitingFor, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromMinutes(3));
        var read = new List<ServerSentEvent>();
        while (true)
        {
            var remaining = deadline - DateTime.UtcNow;
            if (remaining <= TimeSpan.Zero)
                throw new TimeoutException($"timed out waiting for {waitingFor} after {read.Count} events");
            var next = await NextAsync(waitingFor, remaining);
            read.Add(next);
            if (until(next))
                return read;
        }
    }

    /// <summary>Waits until the server ends the stream.</summary>
    public Task EndedAsync(TimeSpan timeout) => reading.WaitAsync(timeout);

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        try
        {
            await reading.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
            // the reader is abandoned
        }
        response?.Dispose();
        stop.Dispose();
    }
}
