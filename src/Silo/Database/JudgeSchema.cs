using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Judge.Silo.Database;

/// <summary>The PostgreSQL schema of deploy/sql, applied as numbered migrations: each at most once, recorded in
/// <c>judge_schema_migrations</c>, all pending ones in one transaction under an advisory lock so that silos or
/// operators migrating at the same time wait for each other instead of racing.</summary>
public static partial class JudgeSchema
{
    /// <summary>The table recording applied migrations.</summary>
    public const string HistoryTable = "judge_schema_migrations";

    // Any constant shared by every migrator: pg_advisory_xact_lock serialises them and is released at commit or rollback.
    private const long LockKey = 0x4A75646765; // "Judge"

    /// <summary>The migrations shipped with this build, in order (deploy/sql/NNNN_name.sql, embedded at build).</summary>
    public static IReadOnlyList<Migration> Migrations { get; } = LoadEmbedded();

    /// <summary>Applies the pending migrations; answers the ones applied now (none when the database is current).</summary>
    /// <exception cref="InvalidOperationException">An applied migration differs from the shipped one, or the database
    /// has migrations this build does not know.</exception>
    public static async Task<IReadOnlyList<Migration>> MigrateAsync(string connectionString, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        await ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({LockKey})", cancellationToken);
        await ExecuteAsync(connection, transaction, $"""
            CREATE TABLE IF NOT EXISTS {HistoryTable}
            (
                version    integer PRIMARY KEY,
                name       text        NOT NULL,
                sha256     text        NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """, cancellationToken);

        var applied = new Dictionary<int, (string Name, string Sha256)>();
        await using (var read = new NpgsqlCommand($"SELECT version, name, sha256 FROM {HistoryTable}", connection, transaction))
        await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
                applied[reader.GetInt32(0)] = (reader.GetString(1), reader.GetString(2));
        }

        var unknown = applied.Keys.Except(Migrations.Select(m => m.Version)).Order().ToList();
        if (unknown.Count > 0)
            throw new InvalidOperationException(
                $"the database has schema migrations this build does not know ({string.Join(", ", unknown)}); run a newer Judge.Silo migrate");

        var pending = new List<Migration>();
        foreach (var migration in Migrations)
        {
            if (applied.TryGetValue(migration.Version, out var done))
            {
                if (done.Sha256 != migration.Sha256)
                    throw new InvalidOperationException(
                        $"schema migration {migration.FileName} was applied with different content; migrations are never edited once released, add a new one");
                continue;
            }
            await ExecuteAsync(connection, transaction, migration.Sql, cancellationToken);
            await using var record = new NpgsqlCommand($"INSERT INTO {HistoryTable} (version, name, sha256) VALUES ($1, $2, $3)", connection, transaction)
            {
                Parameters = { new() { Value = migration.Version }, new() { Value = migration.Name }, new() { Value = migration.Sha256 } },
            };
            await record.ExecuteNonQueryAsync(cancellationToken);
            pending.Add(migration);
            if (logger is not null)
                LogApplied(logger, migration.FileName);
        }

        await transaction.CommitAsync(cancellationToken);
        return pending;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static List<Migration> LoadEmbedded()
    {
        var assembly = typeof(JudgeSchema).Assembly;
        const string prefix = "deploy/sql/";
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(r => r.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            var fileName = resource[prefix.Length..];
            var separator = fileName.IndexOf('_');
            if (separator <= 0 || !int.TryParse(fileName[..separator], out var version))
                throw new InvalidOperationException($"deploy/sql/{fileName}: a migration is named NNNN_name.sql");
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream, Encoding.UTF8);
            var sql = reader.ReadToEnd().ReplaceLineEndings("\n");
            var sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sql)));
            migrations.Add(new Migration(version, Path.GetFileNameWithoutExtension(fileName)[(separator + 1)..], fileName, sql, sha));
        }
        if (migrations.Select(m => m.Version).Distinct().Count() != migrations.Count)
            throw new InvalidOperationException("deploy/sql: two migrations share a number");
        return migrations;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied schema migration {Migration}")]
    private static partial void LogApplied(ILogger logger, string migration);
}

/// <summary>One schema migration: deploy/sql/<see cref="FileName"/>.</summary>
public sealed record Migration(int Version, string Name, string FileName, string Sql, string Sha256);
