using Judge.Abstractions;
using Judge.Interfaces;
using Judge.Results.Options;
using Judge.Results.Webhooks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Judge.Results.Publishing;

/// <summary>Connects submission grains to their <see cref="IResultPublisherGrain"/> (one per judging): tracked on acceptance
/// and on a rejudge, told on finish.
/// Nothing is published for a submission when no results queue is configured and it names no callback URL.</summary>
public sealed partial class ResultsOut(
    IGrainFactory grains,
    CallbackPolicy policy,
    IOptions<ResultsOutOptions> options,
    ILogger<ResultsOut> logger) : IResultsOut
{
    private readonly ResultsOutOptions settings = options.Value;

    public string? CheckCallback(string? callbackUrl) => policy.Check(callbackUrl);

    public async Task AcceptedAsync(string id, SubmissionRequest request)
    {
        if (Owed(request))
            await grains.GetGrain<IResultPublisherGrain>(id).Track(request.CallbackUrl);
    }

    public async Task RejudgedAsync(string id, SubmissionRequest request, int judging)
    {
        if (Owed(request))
            await grains.GetGrain<IResultPublisherGrain>(ResultPublisherGrain.KeyOf(id, judging)).Track(request.CallbackUrl);
    }

    public async Task FinishedAsync(string id, SubmissionRequest request, Submission submission)
    {
        if (!Owed(request))
            return;
        try
        {
            await grains.GetGrain<IResultPublisherGrain>(ResultPublisherGrain.KeyOf(id, submission.Judging)).Publish(submission, request.CallbackUrl);
        }
        catch (Exception e)
        {
            // Stored as finished; the publisher's reminder finds it and publishes.
            LogDeferred(logger, e, id);
        }
    }

    private bool Owed(SubmissionRequest request) => settings.QueueUrl is not null || (request.CallbackUrl is not null && settings.Webhook.Enabled);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Handing the result of {SubmissionId} to its publisher failed; its reminder publishes it later")]
    private static partial void LogDeferred(ILogger logger, Exception exception, string submissionId);
}
