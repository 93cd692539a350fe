using System.Data;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.Configuration;

namespace Judge.Cluster.EndToEndTests;

/// <summary>Parts of the Orleans ADO.NET contract that a healthy cluster run does not reach: reminder rows (through
/// the real provider) and the clean-up of defunct silo entries.</summary>
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
