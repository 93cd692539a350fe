using System.Data;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.Configuration;

namespace Judge.Cluster.EndToEndTests;

/// <summary>Parts of the Orleans ADO.NET contract that a healthy cluster run does not reach: reminder rows (through
/// the real provider), the clean-up of defunct silo entries, and the conflict answers of grain storage and membership
/// (queries run as the providers run them: looked up by key, parameters bound by name with the providers' DbTypes).</summary>
[Collection(JudgeClusterCollection.Name)]
public class ProviderContractTests(JudgeCluster cluster)
{
    [Fact]
    public async Task Reminders_are_upserted_read_by_grain_and_ring_range_and_removed_by_etag()
    {
        var database = await cluster.Postgres.CreateDatabaseAsync("reminders");
        await Judge.Silo.Database.JudgeSchema.MigrateAsync(database);
        var services = new ServiceCollection();
        services.Configure<ClusterOptions>(o => { o.ClusterId = "reminders"; o.ServiceId = "reminders"; });
        services.UseAdoNetReminderService(o => o.Configure(options =>
        {
            options.Invariant = "Npgsql";
            options.ConnectionString = database;
        }));
        await using var provider = services.BuildServiceProvider();
        var table = provider.GetRequiredService<IReminderTable>();
        await table.StartAsync();

        var grain = GrainId.Create("submission", $"reminder-{Guid.NewGuid():N}");
        var hash = grain.GetUniformHashCode();
        var entry = new ReminderEntry { GrainId = grain, ReminderName = "watchdog", StartAt = DateTime.UtcNow, Period = TimeSpan.FromMinutes(1) };
        var first = await table.UpsertRow(entry);
        var second = await table.UpsertRow(entry);
        Assert.NotEqual(first, second);

        Assert.Equal(second, (await table.ReadRow(grain, "watchdog"))!.ETag);
        Assert.Single((await table.ReadRows(grain)).Reminders);
        Assert.Single((await table.ReadRows(unchecked(hash - 1), hash)).Reminders);
        Assert.Empty((await table.ReadRows(hash, unchecked(hash + 1))).Reminders);
        Assert.Single((await table.ReadRows(unchecked(hash + 1), hash)).Reminders); // the rest of the ring, wrapping

        Assert.False(await table.RemoveRow(grain, "watchdog", first!));
        Assert.True(await table.RemoveRow(grain, "watchdog", second!));
        Assert.Null(await table.ReadRow(grain, "watchdog"));
    }

    private static async Task<List<object?>> RunQueryAsync(NpgsqlConnection connection, string key, params (string Name, DbType Type, object? Value)[] parameters)
    {
        string query;
        await using (var lookup = new NpgsqlCommand("SELECT querytext FROM orleansquery WHERE querykey = $1", connection) { Parameters = { new() { Value = key } } })
            query = (string)(await lookup.ExecuteScalarAsync())!;
        await using var command = new NpgsqlCommand(query, connection);
        foreach (var (name, type, value) in parameters)
            command.Parameters.Add(new NpgsqlParameter(name, type) { Value = value ?? DBNull.Value });
        await using var reader = await command.ExecuteReaderAsync();
        var firstColumn = new List<object?>();
        while (await reader.ReadAsync())
            firstColumn.Add(reader.IsDBNull(0) ? null : reader.GetValue(0));
        return firstColumn;
    }

    private static (string, DbType, object?)[] StorageKey(int? version, byte[]? payload = null) =>
    [
        ("GrainIdHash", DbType.Int32, 42), ("GrainIdN0", DbType.Int64, 0L), ("GrainIdN1", DbType.Int64, 0L),
        ("GrainTypeHash", DbType.Int32, 7), ("GrainTypeString", DbType.String, "submission"),
        ("GrainIdExtensionString", DbType.String, "s1"), ("ServiceId", DbType.String, "svc"),
        ("GrainStateVersion", DbType.Int32, version), ("PayloadBinary", DbType.Binary, payload),
    ];

    [Fact]
    public async Task Grain_storage_writes_only_over_the_version_they_read()
    {
        var database = await cluster.Postgres.CreateDatabaseAsync("storage");
        await Judge.Silo.Database.JudgeSchema.MigrateAsync(database);
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();

        Assert.Empty(await RunQueryAsync(connection, "ReadFromStorageKey", StorageKey(null)));
        Assert.Equal([1], await RunQueryAsync(connection, "WriteToStorageKey", StorageKey(null, [1])));
        Assert.Empty(await RunQueryAsync(connection, "WriteToStorageKey", StorageKey(null, [2])));   // a second "first" write
        Assert.Equal([2], await RunQueryAsync(connection, "WriteToStorageKey", StorageKey(1, [3])));
        Assert.Empty(await RunQueryAsync(connection, "WriteToStorageKey", StorageKey(1, [4])));      // a stale write
        Assert.Equal([new byte[] { 3 }], await RunQueryAsync(connection, "ReadFromStorageKey", StorageKey(null)));
        Assert.Equal([3], await RunQueryAsync(connection, "ClearStorageKey", StorageKey(2)));
        Assert.Equal([null], await RunQueryAsync(connection, "ReadFromStorageKey", StorageKey(null)));
        Assert.Single(await RunQueryAsync(connection, "DeleteStorageKey", StorageKey(3)));
        Assert.Empty(await RunQueryAsync(connection, "ReadFromStorageKey", StorageKey(null)));
    }

    private static (string, DbType, object?)[] Member(int port, int version, int status = 3) =>
    [
        ("DeploymentId", DbType.String, "m"), ("Address", DbType.AnsiString, "10.0.0.1"), ("Port", DbType.Int32, port),
        ("Generation", DbType.Int32, 1), ("SiloName", DbType.String, $"silo{port}"), ("HostName", DbType.String, "h"),
        ("Status", DbType.Int32, status), ("ProxyPort", DbType.Int32, 30000), ("StartTime", DbType.DateTime, DateTime.UtcNow),
        ("IAmAliveTime", DbType.DateTime, DateTime.UtcNow), ("SuspectTimes", DbType.String, null), ("Version", DbType.Int32, version),
    ];

    [Fact]
    public async Task Membership_changes_succeed_only_against_the_current_table_version_and_change_nothing_otherwise()
    {
        var database = await cluster.Postgres.CreateDatabaseAsync("membership");
        await Judge.Silo.Database.JudgeSchema.MigrateAsync(database);
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        (string, DbType, object?)[] deployment = [("DeploymentId", DbType.String, "m")];

        Assert.Equal([true], await RunQueryAsync(connection, "InsertMembershipVersionKey", deployment));
        Assert.Equal([false], await RunQueryAsync(connection, "InsertMembershipVersionKey", deployment));
        Assert.Equal([true], await RunQueryAsync(connection, "InsertMembershipKey", Member(1, version: 0)));
        Assert.Equal([false], await RunQueryAsync(connection, "InsertMembershipKey", Member(2, version: 0)));  // stale version
        Assert.Equal([false], await RunQueryAsync(connection, "InsertMembershipKey", Member(1, version: 1)));  // row exists
        Assert.Equal([false], await RunQueryAsync(connection, "UpdateMembershipKey", Member(9, version: 1)));  // no such silo
        Assert.Equal([true], await RunQueryAsync(connection, "UpdateMembershipKey", Member(1, version: 1, status: 6)));

        // Every refused change left the version alone: two successful changes, version 2; one silo, now dead.
        var all = await RunQueryAsync(connection, "MembershipReadAllKey", deployment);
        Assert.Equal([2], all);
        Assert.Equal([6], await ColumnAsync(connection, "SELECT status FROM orleans_membership"));
    }

    private static async Task<List<object>> ColumnAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<object>();
        while (await reader.ReadAsync())
            values.Add(reader.GetValue(0));
        return values;
    }

    [Fact]
    public async Task Cleaning_up_defunct_silos_removes_only_dead_entries_older_than_the_cutoff()
    {
        var database = await cluster.Postgres.CreateDatabaseAsync("cleanup");
        await Judge.Silo.Database.JudgeSchema.MigrateAsync(database);
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        var now = DateTime.UtcNow;
        await using (var version = new NpgsqlCommand("INSERT INTO orleans_membership_version (deployment_id) VALUES ('c')", connection))
            await version.ExecuteNonQueryAsync();
        await using (var seed = new NpgsqlCommand("""
            INSERT INTO orleans_membership (deployment_id, address, port, generation, silo_name, host_name, status, start_time, i_am_alive_time)
            VALUES ('c', '10.0.0.1', 1, 1, 'dead-old', 'h', 6, $1, $1),
                   ('c', '10.0.0.2', 1, 1, 'dead-new', 'h', 6, $2, $2),
                   ('c', '10.0.0.3', 1, 1, 'active-old', 'h', 3, $1, $1)
            """, connection) { Parameters = { new() { Value = now.AddDays(-8) }, new() { Value = now } } })
        {
            await seed.ExecuteNonQueryAsync();
        }

        string query;
        await using (var lookup = new NpgsqlCommand("SELECT querytext FROM orleansquery WHERE querykey = 'CleanupDefunctSiloEntriesKey'", connection))
            query = (string)(await lookup.ExecuteScalarAsync())!;
        await using (var cleanup = new NpgsqlCommand(query, connection))
        {
            // Bound as the provider binds them: by name, DbType.String and DbType.DateTime.
            cleanup.Parameters.Add(new NpgsqlParameter("DeploymentId", DbType.String) { Value = "c" });
            cleanup.Parameters.Add(new NpgsqlParameter("IAmAliveTime", DbType.DateTime) { Value = now.AddDays(-7) });
            await cleanup.ExecuteNonQueryAsync();
        }

        await using var remaining = new NpgsqlCommand("SELECT silo_name FROM orleans_membership ORDER BY silo_name", connection);
        await using var reader = await remaining.ExecuteReaderAsync();
        var names = new List<string>();
        while (await reader.ReadAsync())
            names.Add(reader.GetString(0));
        Assert.Equal(["active-old", "dead-new"], names);
    }
}
