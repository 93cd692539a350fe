using System.Collections.Concurrent;
using Judge.Results.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Judge.Ingress.IntegrationTests;

/// <summary>A backend's webhook endpoint on 127.0.0.1 (real Kestrel) that records every delivery. <c>/hook/ok</c>
/// answers 200; <c>/hook/fail-once</c> answers 503 to the first delivery of each submission; <c>/hook/slow-once</c>
/// answers the first one only after the judge's timeout; <c>/hook/always-fail</c> answers 500 to every delivery.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    /// <summary>One request as received, with the status it was answered (0: the sender gave up before the answer).</summary>
    public sealed record Delivery(string? SubmissionId, string? Timestamp, string? Signature, string? Attempt, string? ContentType, byte[] Body, int Status);

    private readonly WebApplication app;
    private readonly ConcurrentDictionary<string, int> seen = new();

    public ConcurrentQueue<Delivery> Deliveries { get; } = new();

    public string BaseUrl { get; }

    private WebhookReceiver(WebApplication app, string baseUrl)
    {
        this.app = app;
        BaseUrl = baseUrl;
        app.MapPost("/hook/{behaviour}", HandleAsync);
    }

    public static async Task<WebhookReceiver> StartAsync()
    {
        var url = $"http://127.0.0.1:{Ports.Free()}";
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var receiver = new WebhookReceiver(builder.Build(), url);
        await receiver.app.StartAsync();
        return receiver;
    }

    private async Task HandleAsync(HttpContext context, string behaviour)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        var headers = context.Request.Headers;
        var id = headers[WebhookSignature.SubmissionIdHeader].ToString();
        var first = seen.AddOrUpdate(id, 1, (_, n) => n + 1) == 1;
        var status = behaviour switch
        {
            "fail-once" when first => StatusCodes.Status503ServiceUnavailable,
            "always-fail" => StatusCodes.Status500InternalServerError,
            "slow-once" when first => 0,
            _ => StatusCodes.Status200OK,
        };
        Deliveries.Enqueue(new Delivery(id, headers[WebhookSignature.TimestampHeader], headers[WebhookSignature.SignatureHeader],
            headers[WebhookSignature.AttemptHeader], context.Request.ContentType, buffer.ToArray(), status));
        if (status == 0)
        {
            // Longer than Judge:Results:Webhook:Timeout (2 s in these tests): the judge stops waiting and retries.
            await Task.Delay(TimeSpan.FromSeconds(6), context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
            status = StatusCodes.Status200OK;
        }
        context.Response.StatusCode = status;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
