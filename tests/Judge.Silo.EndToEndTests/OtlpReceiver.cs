using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace Judge.Silo.EndToEndTests;

/// <summary>A minimal OTLP/HTTP receiver on 127.0.0.1: it answers every export with 200 and keeps each request's path,
/// content type and body. It decodes nothing: span and instrument names are UTF-8 strings inside the protobuf body, so
/// a test can look for them byte for byte.</summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly HttpListener listener = new();
    private readonly Task serving;

    public OtlpReceiver()
    {
        Port = Ports.Free();
        listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        listener.Start();
        serving = ServeAsync();
    }

    public int Port { get; }

    public string Endpoint => $"http://127.0.0.1:{Port}";

    /// <summary>Every export received: path (<c>/v1/traces</c>, <c>/v1/metrics</c>, <c>/v1/logs</c>), content type, body.</summary>
    public ConcurrentQueue<(string Path, string? ContentType, byte[] Body)> Exports { get; } = new();

    /// <summary>Whether some export to <paramref name="path"/> contains <paramref name="text"/> (UTF-8).</summary>
    public bool Received(string path, string text)
    {
        var needle = Encoding.UTF8.GetBytes(text);
        return Exports.Any(e => e.Path == path && e.Body.AsSpan().IndexOf(needle) >= 0);
    }

    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            Exports.Enqueue((context.Request.Url!.AbsolutePath, context.Request.ContentType, body.ToArray()));
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/x-protobuf";
            context.Response.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        listener.Stop();
        listener.Close();
        await serving;
    }
}
