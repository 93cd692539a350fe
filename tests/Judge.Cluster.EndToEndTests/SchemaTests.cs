using System.Diagnostics;
using Judge.Silo.Database;
using Npgsql;

namespace Judge.Cluster.EndToEndTests;

/// <summary>deploy/sql and <c>Judge.Silo migrate</c>: the schema applies to an empty database, re-applies as a no-op,
/// never races with itself, and holds every query the Orleans ADO.NET providers look up.</summary>
[Collection(JudgeClusterCollection.Name)]
public class SchemaTests(JudgeCluster cluster)
{
    // The keys Orleans 10.4.2's ADO.NET providers read from orleansquery (clustering, grain storage, reminders).
    private static readonly string[] ProviderQueryKeys =
    [
        "GatewaysQueryKey", "MembershipReadRowKey", "MembershipReadAllKey", "InsertMembershipVersionKey", "UpdateIAmAlivetimeKey",
        "InsertMembershipKey", "UpdateMembershipKey", "DeleteMembershipTableEntriesKey", "CleanupDefunctSiloEntriesKey",
        "ReadFromStorageKey", "WriteToStorageKey", "ClearStorageKey", "DeleteStorageKey",
        "ReadReminderRowsKey", "ReadReminderRowKey", "ReadRangeRows1Key", "ReadRangeRows2Key", "UpsertReminderRowKey",
        "DeleteReminderRowKey", "DeleteReminderRowsKey",
    ];

    private static async Task<List<string>> ColumnAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
            values.Add(reader.GetValue(0).ToString()!);
        return values;
    }

    [Fact]
    public async Task The_schema_applies_to_an_empty_database_and_reapplies_cleanly()
    {
        var database = await cluster.Postgres.CreateDatabaseAsync("schema_fresh");

        var first = await JudgeSchema.MigrateAsync(database);
        Assert.Equal(JudgeSchema.Migrations.Select(m => m.FileName), first.Select(m => m.FileName));
        Assert.Empty(await JudgeSchema.MigrateAsync(database));

        var keys = await ColumnAsync(database, "SELECT querykey FROM orleansquery");
        Assert.All(ProviderQueryKeys, key => Assert.Contains(key, keys));
        var tables = await ColumnAsync(database, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'");
        Assert.Contains("judge_submissions", tables);
        Assert.Contains("judge_test_results", tables);
        Assert.Contains("judge_judgings", tables);
        Assert.Equal(JudgeSchema.Migrations.Select(m => m.Version.ToString()),
            await ColumnAsync(database, $"SELECT version FROM {JudgeSchema.HistoryTable} ORDER BY version"));
    }

    [Fact]
    public async Task Concurrent_migrations_apply_each_migration_exactly_once()
    {
        var database = await cluster.Postgres.CreateDatabaseAsync("schema_concurrent");

        var runs = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => JudgeSchema.MigrateAsync(database))));

        Assert.Equal(JudgeSchema.Migrations.Count, runs.Sum(r => r.Count));
        Assert.Equal(JudgeSchema.Migrations.Count, (await ColumnAsync(database, $"SELECT version FROM {JudgeSchema.HistoryTable}")).Count);
    }

    [Fact]
    public async Task A_migration_edited_after_it_was_applied_is_refused_by_name()
    {
        var database = await cluster.Postgres.CreateDatabaseAsync("schema_edited");
        await JudgeSchema.MigrateAsync(database);
        await ColumnAsync(database, $"UPDATE {JudgeSchema.HistoryTable} SET sha256 = 'edited' WHERE version = 1 RETURNING version");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => JudgeSchema.MigrateAsync(database));
        Assert.Contains(JudgeSchema.Migrations[0].FileName, error.Message);
    }

    [Fact]
    public async Task The_migrate_command_of_the_README_migrates_and_is_safe_to_run_again()
    {
        var database = await cluster.Postgres.CreateDatabaseAsync("schema_command");

        var (code, output) = await RunMigrateAsync(database);
        Assert.True(code == 0, output);
        Assert.All(JudgeSchema.Migrations, m => Assert.Contains($"applied {m.FileName}", output));

        (code, output) = await RunMigrateAsync(database);
        Assert.True(code == 0, output);
        Assert.Contains("0 migration(s) applied now", output);
    }

    [Fact]
    public async Task The_migrate_command_without_a_connection_string_names_the_key_to_set()
    {
        var (code, output) = await RunMigrateAsync(null);
        Assert.Equal(2, code);
        Assert.Contains("ConnectionStrings__Judge", output);
    }

    private static async Task<(int Code, string Output)> RunMigrateAsync(string? connectionString)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetTempPath() };
        start.ArgumentList.Add(SiloProcess.SiloAssembly);
        start.ArgumentList.Add("migrate");
        start.Environment.Remove("ConnectionStrings__Judge");
        if (connectionString is not null)
            start.Environment["ConnectionStrings__Judge"] = connectionString;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }
}
