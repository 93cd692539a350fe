using System.Collections.Immutable;
using Orleans.Concurrency;

namespace Judge.Interfaces;

/// <summary>One row of the submissions list and one <c>submission</c> event of the live feed: a submission without its
/// tests, compile output and messages.</summary>
[GenerateSerializer, Immutable, Alias("judge.SubmissionSummary")]
public sealed record SubmissionSummary
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required string Problem { get; init; }
    [Id(2)] public required string Language { get; init; }
    [Id(3)] public SubmissionStatus Status { get; init; }
    [Id(4)] public Verdict? Verdict { get; init; }
    [Id(5)] public double? Score { get; init; }
    [Id(6)] public double? MaxScore { get; init; }
    [Id(7)] public long? TimeMs { get; init; }
    [Id(8)] public long? MemoryKb { get; init; }
    [Id(9)] public int? TestCount { get; init; }

    /// <summary>Tests judged so far.</summary>
    [Id(10)] public int TestsDone { get; init; }

    [Id(11)] public string? CurrentTest { get; init; }
    [Id(12)] public string? JudgedBy { get; init; }
    [Id(13)] public string? SubmittedBy { get; init; }
    [Id(14)] public DateTimeOffset CreatedAt { get; init; }
    [Id(15)] public DateTimeOffset? StartedAt { get; init; }
    [Id(16)] public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>1 for the first judging, n for the n-th after rejudges.</summary>
    [Id(17)] public int Judging { get; init; } = 1;

    /// <summary>The summary of <paramref name="submission"/>.</summary>
    public static SubmissionSummary Of(Submission submission) => new()
    {
        Id = submission.Id,
        Problem = submission.Problem,
        Language = submission.Language,
        Status = submission.Status,
        Verdict = submission.Verdict,
        Score = submission.Score,
        MaxScore = submission.MaxScore,
        TimeMs = submission.TimeMs,
        MemoryKb = submission.MemoryKb,
        TestCount = submission.TestCount,
        TestsDone = submission.Tests.IsDefault ? 0 : submission.Tests.Length,
        CurrentTest = submission.CurrentTest,
        JudgedBy = submission.JudgedBy,
        SubmittedBy = submission.SubmittedBy,
        CreatedAt = submission.CreatedAt,
        StartedAt = submission.StartedAt,
        FinishedAt = submission.FinishedAt,
        Judging = submission.Judging,
    };
}

/// <summary>One state of a submission as the live feed carries it between silos: the whole submission (the single-submission
/// stream shows its tests) and the grain state's revision, which orders copies: a receiver drops a change whose revision
/// is not newer than the last it saw of that submission.</summary>
[GenerateSerializer, Immutable, Alias("judge.SubmissionChange")]
public sealed record SubmissionChange([property: Id(0)] Submission Submission, [property: Id(1)] long Revision);

/// <summary>Receives the submission changes of one silo in batches: every silo registers one in the
/// <see cref="IFeedDirectoryGrain"/>, and every silo sends its batches straight to all registered receivers, each
/// receiver's one at a time.</summary>
[Alias("judge.IFeedObserver")]
public interface IFeedObserver : IGrainObserver
{
    /// <summary>A batch of changes, in the order the sending silo saw them. Not one-way: a sender waits for the answer
    /// before its next batch to this receiver, since Orleans keeps no order between two messages.</summary>
    [Alias("Receive")]
    Task Receive(ImmutableArray<SubmissionChange> changes);
}

/// <summary>What a silo tells the cluster about itself with every renewal of its feed registration (the heartbeat behind
/// <c>GET /api/cluster</c>).</summary>
[GenerateSerializer, Immutable, Alias("judge.SiloHeartbeat")]
public sealed record SiloHeartbeat(
    [property: Id(0)] string Address,
    [property: Id(1)] string Name,
    [property: Id(2)] ImmutableArray<SiloLanguage> Languages,
    [property: Id(3)] int SlotsBusy,
    [property: Id(4)] int SlotsTotal,
    [property: Id(5)] double RunsPerSecond,
    [property: Id(6)] DateTimeOffset SentAt);

/// <summary>A language a silo offers: its id and the display name with the detected toolchain version.</summary>
[GenerateSerializer, Immutable, Alias("judge.SiloLanguage")]
public sealed record SiloLanguage([property: Id(0)] string Id, [property: Id(1)] string DisplayName);

/// <summary>A registered feed receiver with the last heartbeat of its silo.</summary>
[GenerateSerializer, Immutable, Alias("judge.FeedMember")]
public sealed record FeedMember(
    [property: Id(0)] IFeedObserver Observer,
    [property: Id(1)] SiloHeartbeat Heartbeat,
    [property: Id(2)] DateTimeOffset RenewedAt);

/// <summary>The small directory of the live feed's receivers (one activation, key <see cref="Key"/>). Registrations expire
/// when not renewed, so a dead silo drops out. Not on the path of events: silos send to each other directly.</summary>
[Alias("judge.IFeedDirectoryGrain")]
public interface IFeedDirectoryGrain : IGrainWithIntegerKey
{
    /// <summary>The one directory's key.</summary>
    const long Key = 0;

    /// <summary>Registers or renews <paramref name="observer"/> with its silo's heartbeat; answers every live registration
    /// (this one included).</summary>
    [Alias("Renew")]
    Task<ImmutableArray<FeedMember>> Renew(SiloHeartbeat heartbeat, IFeedObserver observer);

    /// <summary>Removes the registration of the silo at <paramref name="address"/> (it shuts down).</summary>
    [Alias("Leave")]
    Task Leave(string address);

    /// <summary>Every live registration.</summary>
    [Alias("Members"), ReadOnly]
    Task<ImmutableArray<FeedMember>> Members();
}

/// <summary>What an SQS ingress reports about its queues every few seconds (for <c>GET /api/cluster</c>).</summary>
[GenerateSerializer, Immutable, Alias("judge.IngressQueueStatus")]
public sealed record IngressQueueStatus(
    [property: Id(0)] string Name,
    [property: Id(1)] string QueueUrl,
    [property: Id(2)] long Depth,
    [property: Id(3)] long InFlight,
    [property: Id(4)] long? DeadLettered,
    [property: Id(5)] DateTimeOffset UpdatedAt);

/// <summary>Collects the latest queue status of every SQS ingress (one activation, key <see cref="Key"/>); an ingress that
/// stops reporting drops out after a few minutes.</summary>
[Alias("judge.IIngressStatusGrain")]
public interface IIngressStatusGrain : IGrainWithIntegerKey
{
    /// <summary>The one collector's key.</summary>
    const long Key = 0;

    /// <summary>Records <paramref name="status"/> (keyed by its ingress name).</summary>
    [Alias("Report")]
    Task Report(IngressQueueStatus status);

    /// <summary>The latest status of each ingress still reporting.</summary>
    [Alias("All"), ReadOnly]
    Task<ImmutableArray<IngressQueueStatus>> All();
}
