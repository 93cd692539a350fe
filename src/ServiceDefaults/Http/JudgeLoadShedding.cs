using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Judge.ServiceDefaults.Http;

/// <summary>Bounds the requests a host handles at once (<see cref="JudgeHttpOptions.MaxConcurrentRequests"/>), with a short
/// bounded queue; what does not fit is answered <c>503</c> with <c>Retry-After</c> at once, not left to time out.
/// Endpoints marked <see cref="NoLoadSheddingAttribute"/> (health, readiness, metrics, event streams) always pass.</summary>
public sealed partial class JudgeLoadShedding : IAsyncDisposable
{
    private readonly ConcurrencyLimiter limiter;
    private readonly JudgeHttpOptions options;
    private readonly ILogger<JudgeLoadShedding> logger;
    private long refused;

    public JudgeLoadShedding(JudgeHttpOptions options, ILogger<JudgeLoadShedding> logger)
    {
        this.options = options;
        this.logger = logger;
        limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = options.MaxConcurrentRequests,
            QueueLimit = options.RequestQueueLimit,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }

    /// <summary>Requests refused since the host started.</summary>
    public long Refused => Interlocked.Read(ref refused);

    /// <summary>Runs <paramref name="next"/> once the request has a place, or answers 503.</summary>
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<NoLoadSheddingAttribute>() is not null)
        {
            await next(context);
            return;
        }

        RateLimitLease lease;
        using (var wait = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted))
        {
            wait.CancelAfter(options.RequestQueueTimeout);
            try
            {
                lease = await limiter.AcquireAsync(1, wait.Token);
            }
            catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
            {
                lease = new RefusedLease();
            }
            catch (OperationCanceledException)
            {
                return; // the client left while waiting
            }
        }

        using (lease)
        {
            if (!lease.IsAcquired)
            {
                if (Interlocked.Increment(ref refused) % 1000 == 1)
                    LogShedding(logger, Refused, options.MaxConcurrentRequests, options.RequestQueueLimit);
                await RefuseAsync(context, options.RetryAfterSeconds,
                    $"the server is busy: more than {options.MaxConcurrentRequests} requests at once ({JudgeHttpOptions.Section}:MaxConcurrentRequests) "
                    + $"and {options.RequestQueueLimit} waiting ({JudgeHttpOptions.Section}:RequestQueueLimit); retry after {options.RetryAfterSeconds} s");
                return;
            }
            context.Features.Set(new HttpLoadPlace(lease));
            await next(context);
        }
    }

    /// <summary>Answers <c>503</c> with <c>Retry-After</c> and <c>{"error": message}</c>. A body left unread is Kestrel's to
    /// drain or cut (it closes the connection rather than read past <c>Judge:Http:MaxRequestBodyBytes</c>); closing here would
    /// reset the connection under the client before it reads the answer.</summary>
    public static async Task RefuseAsync(HttpContext context, int retryAfterSeconds, string message, int status = StatusCodes.Status503ServiceUnavailable)
    {
        var response = context.Response;
        if (response.HasStarted)
            return;
        response.StatusCode = status;
        response.Headers.RetryAfter = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        await response.WriteAsJsonAsync(new { error = message }, context.RequestAborted);
    }

    public ValueTask DisposeAsync() => limiter.DisposeAsync();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refusing requests under load: {Refused} so far (at most {MaxConcurrent} at once and {Queue} waiting)")]
    private static partial void LogShedding(ILogger logger, long refused, int maxConcurrent, int queue);

    private sealed class RefusedLease : RateLimitLease
    {
        public override bool IsAcquired => false;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}

/// <summary>The place a request holds among <see cref="JudgeHttpOptions.MaxConcurrentRequests"/>; a handler that goes on to
/// wait a long time for something else (a submission's verdict) gives it back with <see cref="Release"/>.</summary>
public sealed class HttpLoadPlace(RateLimitLease lease)
{
    /// <summary>Gives the place back before the request ends.</summary>
    public void Release() => lease.Dispose();
}

/// <summary>Marks an endpoint that the concurrency bound does not count (health, readiness, metrics, long event streams).</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class)]
public sealed class NoLoadSheddingAttribute : Attribute;
