using Npgsql;

namespace Judge.Fleet.EndToEndTests;

/// <summary>The fleet's PostgreSQL (RDS in production), on the database host: a throwaway server from the Debian
/// <c>postgresql</c> package's binaries, run as <c>postgres</c> inside the host's namespace, listening on its address
/// only; trust authentication for the fleet's subnet.</summary>
public sealed class FleetDatabase : IDisposable
{
    private const string Superuser = "judge";
    private readonly string directory;
    private readonly string bin;
    private readonly string address;

    public FleetDatabase(string ns, string address)
    {
        this.address = address;
        bin = Directory.GetDirectories("/usr/lib/postgresql").Where(d => File.Exists(Path.Combine(d, "bin", "initdb")))
            .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0).FirstOrDefault() is { } version
            ? Path.Combine(version, "bin")
            : throw new InvalidOperationException("PostgreSQL binaries not found under /usr/lib/postgresql: run scripts/setup.sh --tests (Debian package postgresql)");
        directory = Directory.CreateTempSubdirectory("judge-fleet-pg-").FullName;
        Shell.Run("chown", "postgres:", directory);
        AsPostgres("initdb", "-D", Data, "-U", Superuser, "--auth=trust", "-E", "UTF8", "--no-sync");
        File.AppendAllText(Path.Combine(Data, "pg_hba.conf"), "host all all 10.77.0.0/24 trust\n");
        Shell.Run("nsenter", $"--net=/run/netns/{ns}", "--", "runuser", "-u", "postgres", "--", Path.Combine(bin, "pg_ctl"),
            "-D", Data, "-l", Path.Combine(directory, "server.log"), "-w", "-t", "120", "start",
            "-o", $"-p 5432 -k {directory} -c listen_addresses={address} -c fsync=off -c max_connections=200");
    }

    private string Data => Path.Combine(directory, "data");

    /// <summary>The connection string of database <paramref name="database"/>, over the fleet's network.</summary>
    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder { Host = address, Port = 5432, Username = Superuser, Database = database, Pooling = false }.ConnectionString;

    public async Task<string> CreateDatabaseAsync(string name)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await create.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    private void AsPostgres(string program, params string[] arguments) =>
        Shell.Run("runuser", ["-u", "postgres", "--", Path.Combine(bin, program), .. arguments]);

    public void Dispose()
    {
        if (File.Exists(Path.Combine(Data, "postmaster.pid")))
            Shell.TryRun("runuser", "-u", "postgres", "--", Path.Combine(bin, "pg_ctl"), "-D", Data, "-m", "immediate", "-w", "stop");
        Directory.Delete(directory, recursive: true);
    }
}
