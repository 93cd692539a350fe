using Judge.Interfaces;

namespace Judge.Lifecycle;

/// <summary>What the lifecycle of one submission calls out to: its storage, its workers, its timers and its publications.
/// The submission grain implements it over Orleans; unit tests implement it with a scripted worker and fake time. Every
/// call comes from the host's own turns (one at a time, interleaving at awaits).</summary>
public interface ISubmissionHost
{
    /// <summary>The submission's id.</summary>
    string Id { get; }

    /// <summary>The stored record, as read at activation.</summary>
    ISubmissionRecord Record { get; }

    /// <summary>Stores <see cref="Record"/>; throws <see cref="SubmissionStaleException"/> when another copy of this
    /// submission wrote since it was read (this one then goes away).</summary>
    Task WriteAsync();

    /// <summary>Hands an attempt to a worker of its language; the task ends with the worker's result or its failure.</summary>
    Task<JudgeResult> JudgeAsync(JudgeJob job);

    /// <summary>Completes when silo <paramref name="silo"/> (its address, as a worker reports it) is declared dead or is not a
    /// member of the cluster (at once, if it is not now): the lease of a job queued there. No call, no timer per caller.</summary>
    Task WhenSiloGone(string silo);

    /// <summary>Whether some worker of the cluster judges <paramref name="language"/>.</summary>
    bool IsOffered(string language);

    /// <summary>Whether this host is shutting down: the submission leaves it, unfinished, for a live one.</summary>
    bool IsDraining { get; }

    /// <summary>Lets go of this submission here (the host is draining); another host resumes it.</summary>
    void Leave();

    /// <summary>Runs <see cref="SubmissionLifecycle.DispatchAsync"/> in a turn of its own, at once.</summary>
    void StartDispatch();

    /// <summary>Calls <see cref="SubmissionLifecycle.PublishDue"/> in a turn of its own after <paramref name="delay"/>.</summary>
    void SchedulePublish(TimeSpan delay);

    /// <summary>Keeps (<paramref name="register"/>) or drops the durable wake-up of an unfinished submission, without waiting.</summary>
    void ChangeWatchdog(bool register);

    /// <summary>Sends <paramref name="submission"/> as of <paramref name="revision"/> to live observers.</summary>
    void PublishLive(Submission submission, long revision);

    /// <summary>Counts an accepted submission.</summary>
    void CountAccepted(string language);

    /// <summary>Counts a finished submission.</summary>
    void CountFinished(Submission submission);
}
