using System.Diagnostics;
using Judge.Silo.Database;
using Npgsql;

namespace Judge.Cluster.EndToEndTests;

/// <summary>The session settings of every silo connection: they reach the server, an operator's own value wins, and a
/// transaction its client abandoned stops holding its row locks.</summary>
[Collection(JudgeClusterCollection.Name)]
public class DatabaseSessionsTests(JudgeCluster cluster)
{
    private static async Task<string> ShowAsync(NpgsqlConnection connection, string name)
    {
        await using var command = new NpgsqlCommand($"SHOW {name}", connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task Every_setting_reaches_the_server()
    {
        await using var connection = new NpgsqlConnection(DatabaseSessions.WithSessionLimits(cluster.ConnectionString));
        await connection.OpenAsync();

        Assert.Equal("20s", await ShowAsync(connection, "idle_in_transaction_session_timeout"));
        Assert.Equal("5", await ShowAsync(connection, "tcp_keepalives_idle"));
        Assert.Equal("5", await ShowAsync(connection, "tcp_keepalives_interval"));
        Assert.Equal("3", await ShowAsync(connection, "tcp_keepalives_count"));
        Assert.Equal("20000", await ShowAsync(connection, "tcp_user_timeout")); // milliseconds, shown without a unit
        Assert.Equal(DatabaseSessions.ClientKeepAliveSeconds, new NpgsqlConnectionStringBuilder(connection.ConnectionString).KeepAlive);
    }

    [Fact]
    public async Task An_operators_own_options_are_kept()
    {
        var own = new NpgsqlConnectionStringBuilder(cluster.ConnectionString)
        {
            Options = "-c idle_in_transaction_session_timeout=7s -c application_name=ops",
            KeepAlive = 3,
        };
        var limited = new NpgsqlConnectionStringBuilder(DatabaseSessions.WithSessionLimits(own.ConnectionString));
        await using var connection = new NpgsqlConnection(limited.ConnectionString);
        await connection.OpenAsync();

        Assert.Equal("7s", await ShowAsync(connection, "idle_in_transaction_session_timeout"));
        Assert.Equal("ops", await ShowAsync(connection, "application_name"));
        Assert.Equal("5", await ShowAsync(connection, "tcp_keepalives_idle"));
        Assert.Equal(3, limited.KeepAlive);
    }

    [Theory]
    [InlineData("Host=db;Database=judge", DatabaseSessions.MaxPoolSize)]
    [InlineData("Host=db;Database=judge;Maximum Pool Size=100", 100)]
    [InlineData("Host=db;Database=judge;MaxPoolSize=7", 7)]
    [InlineData("Host=db;Database=judge;maximum pool size=9", 9)]
    public void The_pool_is_bounded_unless_the_operator_sized_it(string connectionString, int expected)
    {
        Assert.Equal(expected, new NpgsqlConnectionStringBuilder(DatabaseSessions.WithSessionLimits(connectionString)).MaxPoolSize);
    }

    [Fact]
    public async Task A_transaction_its_client_abandoned_releases_its_row_locks()
    {
        var table = $"sessions_{Guid.NewGuid():N}";
        await using (var setup = await cluster.OpenAsync())
        {
            await using var create = new NpgsqlCommand($"CREATE TABLE {table} (id int PRIMARY KEY, v int); INSERT INTO {table} VALUES (1, 0)", setup);
            await create.ExecuteNonQueryAsync();
        }

        // A short timeout through the same option a silo sets, so that the test waits seconds, not 20 s.
        var abandoning = DatabaseSessions.WithSessionLimits(new NpgsqlConnectionStringBuilder(cluster.ConnectionString)
        {
            Options = "-c idle_in_transaction_session_timeout=2s",
            Pooling = false,
        }.ConnectionString);
        await using var gone = new NpgsqlConnection(abandoning);
        await gone.OpenAsync();
        await using var transaction = await gone.BeginTransactionAsync();
        await using (var hold = new NpgsqlCommand($"UPDATE {table} SET v = 1 WHERE id = 1", gone, transaction))
            await hold.ExecuteNonQueryAsync();
        // The client now says nothing more, as one whose link failed mid-transaction.

        await using var other = await cluster.OpenAsync();
        var clock = Stopwatch.StartNew();
        await using (var write = new NpgsqlCommand($"UPDATE {table} SET v = 2 WHERE id = 1", other) { CommandTimeout = 30 })
            Assert.Equal(1, await write.ExecuteNonQueryAsync());
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1), $"the row was never locked (the write took {clock.Elapsed})");

        await using var read = new NpgsqlCommand($"SELECT v FROM {table} WHERE id = 1", other);
        Assert.Equal(2, (int)(await read.ExecuteScalarAsync())!);
    }
}
