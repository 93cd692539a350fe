using Judge.Results.Options;
using Judge.Results.Webhooks;

namespace Judge.Ingress.IntegrationTests.Results;

public sealed class WebhookSenderTests
{
    [Fact]
    public async Task Name_resolving_to_loopback_is_not_connected_to_without_an_allow_list()
    {
        // A callback that passed the boundary check by name but resolves to an internal address (DNS rebinding):
        // the connection itself is refused, and the receiver on 127.0.0.1 never sees a request.
        await using var receiver = await WebhookReceiver.StartAsync();
        var options = new WebhookOptions { Secret = "0123456789abcdef" };
        using var sender = new WebhookSender(options, new CallbackPolicy(options), TimeProvider.System);
        var port = new Uri(receiver.BaseUrl).Port;

        var error = await sender.DeliverAsync($"http://localhost:{port}/hook/ok", "s-1", "{}", 1, CancellationToken.None);

        Assert.Contains("refused to connect to 'localhost'", error);
        Assert.Empty(receiver.Deliveries);
    }

    [Fact]
    public async Task Listed_host_gets_the_signed_body()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var options = new WebhookOptions { Secret = "0123456789abcdef", AllowedHosts = ["127.0.0.1"] };
        using var sender = new WebhookSender(options, new CallbackPolicy(options), TimeProvider.System);

        Assert.Null(await sender.DeliverAsync($"{receiver.BaseUrl}/hook/ok", "s-2", """{"id":"s-2"}""", 1, CancellationToken.None));

        var delivery = Assert.Single(receiver.Deliveries);
        Assert.Equal("s-2", delivery.SubmissionId);
        Assert.True(WebhookSignature.Verify(options.Secret, delivery.Timestamp, System.Text.Encoding.UTF8.GetString(delivery.Body),
            delivery.Signature, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public async Task Receiver_failure_is_reported_not_thrown()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var options = new WebhookOptions { Secret = "0123456789abcdef", AllowedHosts = ["127.0.0.1"] };
        using var sender = new WebhookSender(options, new CallbackPolicy(options), TimeProvider.System);

        Assert.Equal("the receiver answered 503 Service Unavailable",
            await sender.DeliverAsync($"{receiver.BaseUrl}/hook/fail-once", "s-3", "{}", 1, CancellationToken.None));
        Assert.Contains("delivery failed", await sender.DeliverAsync($"http://127.0.0.1:{Ports.Free()}/hook", "s-3", "{}", 2, CancellationToken.None));
    }
}
