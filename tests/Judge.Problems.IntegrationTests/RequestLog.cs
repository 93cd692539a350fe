using System.Collections.Concurrent;
using Amazon.Runtime;

namespace Judge.Problems.IntegrationTests;

/// <summary>Every HTTP request the silo's S3 client sends, as it goes on the wire.</summary>
public sealed class RequestLog
{
    private readonly ConcurrentQueue<(string Method, string PathAndQuery)> requests = new();

    public IReadOnlyList<(string Method, string PathAndQuery)> All => requests.ToArray();

    /// <summary>Object downloads (GET of a key, not a listing) under <paramref name="keyPrefix"/> of <paramref name="bucket"/>.</summary>
    public int Downloads(string bucket, string keyPrefix) => All.Count(r =>
        r.Method == "GET" && !r.PathAndQuery.Contains("list-type", StringComparison.Ordinal)
        && Uri.UnescapeDataString(r.PathAndQuery.Split('?')[0]).StartsWith($"/{bucket}/{keyPrefix}", StringComparison.Ordinal));

    /// <summary>Listings of <paramref name="bucket"/>.</summary>
    public int Listings(string bucket) => All.Count(r =>
        r.Method == "GET" && r.PathAndQuery.StartsWith($"/{bucket}", StringComparison.Ordinal) && r.PathAndQuery.Contains("list-type", StringComparison.Ordinal));

    /// <summary>An HTTP client factory for the AWS SDK whose one client records each request here.</summary>
    public HttpClientFactory Factory() => new RecordingFactory(this);

    private sealed class RecordingFactory(RequestLog log) : HttpClientFactory
    {
        private readonly HttpClient client = new(new Recorder(log) { InnerHandler = new SocketsHttpHandler() });

        public override HttpClient CreateHttpClient(IClientConfig clientConfig) => client;

        public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

        public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;
    }

    private sealed class Recorder(RequestLog log) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            log.requests.Enqueue((request.Method.Method, request.RequestUri!.PathAndQuery));
            return base.SendAsync(request, cancellationToken);
        }
    }
}
