using System.Net;
using System.Net.Sockets;
using System.Text;
using Judge.Results.Options;

namespace Judge.Results.Webhooks;

/// <summary>POSTs a result to a callback URL, signed (<see cref="WebhookSignature"/>), within the configured timeout, connecting
/// only where <see cref="CallbackPolicy"/> allows, following no redirects and using no proxy.</summary>
public sealed class WebhookSender : IDisposable
{
    private readonly WebhookOptions options;
    private readonly TimeProvider time;
    private readonly HttpClient client;

    public WebhookSender(WebhookOptions options, CallbackPolicy policy, TimeProvider time)
    {
        this.options = options;
        this.time = time;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false, // a redirect could point anywhere: it counts as a failed delivery
            UseProxy = false,
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectTimeout = options.Timeout,
            ConnectCallback = (context, cancellationToken) => ConnectAsync(policy, context.DnsEndPoint, cancellationToken),
        };
        client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>Delivers <paramref name="body"/> once; <c>null</c> on a 2xx answer, else what went wrong.</summary>
    public async Task<string?> DeliverAsync(string url, string submissionId, string body, int attempt, CancellationToken cancellationToken)
    {
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(WebhookSignature.SubmissionIdHeader, submissionId);
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(options.Secret!, timestamp, body));
        request.Headers.Add(WebhookSignature.AttemptHeader, attempt.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.UserAgent.ParseAdd("judge-results/1");

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Timeout);
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            return response.IsSuccessStatusCode ? null : $"the receiver answered {(int)response.StatusCode} {response.ReasonPhrase}";
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"no answer within {options.Timeout.TotalSeconds:0.###} s (Judge:Results:Webhook:Timeout)";
        }
        catch (HttpRequestException e)
        {
            return $"delivery failed: {e.GetBaseException().Message}";
        }
    }

    private static async ValueTask<Stream> ConnectAsync(CallbackPolicy policy, DnsEndPoint endPoint, CancellationToken cancellationToken)
    {
        var host = endPoint.Host.Trim('[', ']');
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
        var allowed = addresses.Where(a => policy.MayConnect(host, a)).ToArray();
        if (allowed.Length == 0)
            throw new HttpRequestException($"refused to connect to '{host}': not an allowed host or not at a public address (Judge:Results:Webhook:AllowedHosts)");
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, endPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public void Dispose() => client.Dispose();
}
