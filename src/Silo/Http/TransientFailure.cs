using System.Data.Common;
using Judge.Interfaces;
using Orleans.Storage;

namespace Judge.Silo.Http;

/// <summary>Recognizes the failures of a request that say nothing about the request itself, only that the cluster was
/// loaded or changing when it came: a grain call that timed out or was rejected, a silo that died or is overloaded, a
/// database that could not answer (a transient <see cref="DbException"/>, an exhausted connection pool, connections the
/// server ended or refused), a submission
/// activation found stale. They are answered 503 with <c>Retry-After</c>; repeating the request (a POST with the same id) is safe.</summary>
public static class TransientFailure
{
    /// <summary>A short name of the transient failure in <paramref name="exception"/> (or in one of its inner exceptions),
    /// or <c>null</c> when it is not one.</summary>
    public static string? Describe(Exception exception)
    {
        if (Database.DatabasePools.ShowsLostConnections(exception))
            return "the database ended or refused connections";
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case TimeoutException:
                    return "a call inside the cluster timed out";
                case SiloUnavailableException:
                    return "a silo of the cluster is unavailable";
                case GatewayTooBusyException:
                    return "the cluster is too busy";
                case OrleansMessageRejectionException:
                    return "a call inside the cluster was rejected";
                case InconsistentStateException or SubmissionStaleException:
                    return "the submission moved between silos";
                case DbException { IsTransient: true }:
                    return "the database did not answer in time";
                case DbException when e.Message.Contains("pool", StringComparison.OrdinalIgnoreCase):
                    return "the database's connection pool is exhausted";
                case AggregateException aggregate when aggregate.InnerExceptions.Count == 1:
                    break; // its inner exception is next
            }
        }
        return null;
    }
}
