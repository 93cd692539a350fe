using System.Data.Common;
using Npgsql;

namespace Judge.Silo.Database;

/// <summary>The session settings every PostgreSQL connection of a silo carries (Orleans' clustering, storage and
/// reminders, and the results tables), so that a silo that vanishes mid-transaction cannot hold its row locks for long.
/// A host whose link fails leaves its server backend waiting for a client that never answers; with the server's
/// defaults the backend keeps its transaction, and every other silo writing the same submission's row waits, for the two
/// hours of the kernel's default keepalive. The settings go in the connection's startup options, so they work on any
/// server (RDS included) without a parameter group; an option the connection string already sets is kept. The pool is
/// bounded too (<see cref="MaxPoolSize"/>).</summary>
public static class DatabaseSessions
{
    /// <summary>The server-side settings, in PostgreSQL's units: a transaction idle for 20 s is ended, an unanswered
    /// client is found by keepalive probes within 5 + 3 × 5 s, and unacknowledged data gives up after 20 s.</summary>
    public static readonly IReadOnlyList<(string Name, string Value)> ServerSettings =
    [
        ("idle_in_transaction_session_timeout", "20s"),
        ("tcp_keepalives_idle", "5"),
        ("tcp_keepalives_interval", "5"),
        ("tcp_keepalives_count", "3"),
        ("tcp_user_timeout", "20000"),
    ];

    /// <summary>Seconds between the client's own keepalives, so that a silo also notices a server it cannot reach.</summary>
    public const int ClientKeepAliveSeconds = 10;

    /// <summary>The most connections a silo's pool opens (Npgsql's default is 100). A silo has two pools (Orleans' providers,
    /// and the results tables), so it opens at most twice this. A burst of submissions activates a grain per submission, and
    /// each reads its state at once: with Npgsql's default, three silos opened more than the 200 connections their server
    /// allowed, and activations failed with "too many clients" (docs/PERFORMANCE.md). Past this many, a query waits for a
    /// pooled connection (up to the string's <c>Timeout</c>, 15 s by default) instead.</summary>
    public const int MaxPoolSize = 20;

    /// <summary><paramref name="connectionString"/> with <see cref="ServerSettings"/> added to its <c>Options</c>, the client
    /// keepalive and <see cref="MaxPoolSize"/> set, each only where the string does not set it already.</summary>
    public static string WithSessionLimits(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var options = builder.Options ?? "";
        foreach (var (name, value) in ServerSettings)
        {
            if (!options.Contains(name, StringComparison.Ordinal))
                options = $"{options} -c {name}={value}".TrimStart();
        }
        builder.Options = options;
        if (builder.KeepAlive == 0)
            builder.KeepAlive = ClientKeepAliveSeconds;
        // Npgsql writes back only the keys that were set, under their canonical names, whichever synonym the string used.
        if (!new DbConnectionStringBuilder { ConnectionString = builder.ConnectionString }.ContainsKey("Maximum Pool Size"))
            builder.MaxPoolSize = MaxPoolSize;
        return builder.ConnectionString;
    }
}
