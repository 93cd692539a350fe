using System.Net.Sockets;
using Judge.Silo.Database;
using Npgsql;

namespace Judge.Cluster.EndToEndTests;

/// <summary>Which failures make a silo drop its pooled connections: the server ended them or cannot be reached, not a
/// query that failed on its own or a slow answer.</summary>
public class DatabasePoolsTests
{
    private static PostgresException Postgres(string sqlState) => new("message", "FATAL", "FATAL", sqlState);

    public static TheoryData<string, Exception, bool> Failures => new()
    {
        { "the server shut down (admin_shutdown)", new NpgsqlException("failed", Postgres("57P01")), true },
        { "the server crashed (crash_shutdown)", Postgres("57P02"), true },
        { "the server is starting (cannot_connect_now)", Postgres("57P03"), true },
        { "a connection failure", Postgres("08006"), true },
        { "connection refused", new NpgsqlException("Failed to connect to 127.0.0.1:5432", new SocketException((int)SocketError.ConnectionRefused)), true },
        { "the connection was closed mid-read", new NpgsqlException("Exception while reading from stream", new EndOfStreamException()), true },
        { "a unique violation", Postgres("23505"), false },
        { "a serialization failure", Postgres("40001"), false },
        { "a timeout", new NpgsqlException("Timeout", new TimeoutException()), false },
        { "a cancelled command", new OperationCanceledException(), false },
        { "an I/O failure outside the database (a client went away)", new IOException("reset", new SocketException((int)SocketError.ConnectionReset)), false },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void Only_a_server_that_ended_or_refuses_connections_clears_the_pools(string failure, Exception exception, bool lost)
    {
        Assert.True(DatabasePools.ShowsLostConnections(exception) == lost, $"{failure}: expected {(lost ? "" : "not ")}lost connections");
    }

    [Fact]
    public void A_request_that_met_a_connection_the_server_ended_is_answered_as_transient()
    {
        var storage = new Orleans.Runtime.OrleansException("Error from storage provider AdoNetGrainStorage.submission during ReadStateAsync",
            new NpgsqlException("Exception while reading from stream", new EndOfStreamException()));
        Assert.Equal("the database ended or refused connections", Judge.Silo.Http.TransientFailure.Describe(storage));
        Assert.Null(Judge.Silo.Http.TransientFailure.Describe(new InvalidOperationException("a bug")));
    }
}
