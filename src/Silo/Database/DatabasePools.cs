using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Judge.Silo.Database;

/// <summary>Drops a silo's pooled PostgreSQL connections as soon as the server has dropped them. When the server restarts
/// or fails over, every idle connection in a pool is dead, and Npgsql finds that out only when it hands one out (that use
/// fails) or at the connection's next keepalive: without this, each dead connection would fail one request or one of
/// Orleans' storage, membership or reminder calls after the server is back. So when a failure shows that the server ended
/// connections or cannot be reached, every pool of the silo is cleared at once: its own data source's, and the pools
/// Orleans' ADO.NET providers open from the connection string. A background watch asks the server every
/// <see cref="WatchPeriod"/>, so that this happens even while nothing else uses the database; the readiness check and
/// the HTTP API report the failures they meet too.</summary>
public sealed partial class DatabasePools(NpgsqlDataSource database, TimeProvider time, ILogger<DatabasePools> logger) : BackgroundService
{
    /// <summary>How often the watch asks the server.</summary>
    public static readonly TimeSpan WatchPeriod = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan WatchTimeout = TimeSpan.FromSeconds(2);

    private int outage; // 1 from a lost connection until the watch reaches the server again

    /// <summary>Whether <paramref name="exception"/> (or one of its inner exceptions) shows that the server ended
    /// connections (a shutdown, a crash, a failover) or that connections to it fail.</summary>
    public static bool ShowsLostConnections(Exception exception)
    {
        var fromNpgsql = false;
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                // Class 57P: operator intervention (admin_shutdown, crash_shutdown, cannot_connect_now, database_dropped,
                // idle_session_timeout); class 08: connection exceptions.
                case PostgresException postgres:
                    if (postgres.SqlState.StartsWith("57P", StringComparison.Ordinal) || postgres.SqlState.StartsWith("08", StringComparison.Ordinal))
                        return true;
                    fromNpgsql = true;
                    break;
                case NpgsqlException:
                    fromNpgsql = true;
                    break;
                // Npgsql reading from or writing to a connection the server closed, or opening one it refuses (an I/O
                // failure elsewhere, such as a client that went away, says nothing about the database).
                case SocketException or IOException when fromNpgsql:
                    return true;
            }
        }
        return false;
    }

    /// <summary>Clears every pool of the silo when <paramref name="exception"/> shows lost connections; answers whether it did.</summary>
    public bool ClearIfLost(Exception exception)
    {
        if (!ShowsLostConnections(exception))
            return false;
        Clear();
        if (Interlocked.Exchange(ref outage, 1) == 0)
            LogCleared(logger, exception.GetBaseException().Message);
        return true;
    }

    /// <summary>Closes every idle pooled connection of the silo; busy ones close when they are returned.</summary>
    public void Clear()
    {
        database.Clear();
        NpgsqlConnection.ClearAllPools();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                timeout.CancelAfter(WatchTimeout);
                await using var command = database.CreateCommand("SELECT 1");
                await command.ExecuteScalarAsync(timeout.Token);
                if (Interlocked.Exchange(ref outage, 0) == 1)
                    LogReached(logger);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                ClearIfLost(e);
            }
            try
            {
                await Task.Delay(WatchPeriod, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "PostgreSQL ended or refused connections ({Reason}); every pooled connection of this silo was closed, new ones are opened as needed")]
    private static partial void LogCleared(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "PostgreSQL answers again")]
    private static partial void LogReached(ILogger logger);
}
