using System.Diagnostics;
using Npgsql;

namespace Judge.Cluster.EndToEndTests;

/// <summary>A throwaway PostgreSQL server: <c>initdb</c> into a temporary directory, <c>pg_ctl start</c> on a free
/// loopback port, everything removed on dispose. As root the server runs as the <c>postgres</c> user (PostgreSQL
/// refuses to run as root). Needs the Debian <c>postgresql</c> package (scripts/setup.sh installs it).</summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private const string Superuser = "judge";
    private string directory = "";
    private string bin = "";

    public int Port { get; private set; }

    private string DataDirectory => Path.Combine(directory, "data");

    public async Task InitializeAsync()
    {
        try
        {
            await StartAsync();
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    private async Task StartAsync()
    {
        bin = FindBinaries();
        directory = Directory.CreateTempSubdirectory("judge-pg-").FullName;
        if (Environment.UserName == "root")
            await RunAsync("chown", ["postgres:", directory], asPostgres: false);

        await RunAsync(Path.Combine(bin, "initdb"), ["-D", DataDirectory, "-U", Superuser, "--auth=trust", "-E", "UTF8", "--no-sync"]);
        Port = Ports.Free();
        await StartServerAsync();
    }

    private Task StartServerAsync() => RunAsync(Path.Combine(bin, "pg_ctl"),
    [
        "-D", DataDirectory, "-l", Path.Combine(directory, "server.log"), "-w", "-t", "120", "start",
        "-o", $"-p {Port} -k {directory} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200",
    ]);

    /// <summary>Stops the server as an operator's restart does (fast shutdown: open connections are terminated) and
    /// waits until it is down.</summary>
    public Task StopServerAsync() => RunAsync(Path.Combine(bin, "pg_ctl"), ["-D", DataDirectory, "-m", "fast", "-w", "-t", "120", "stop"]);

    /// <summary>Starts the stopped server again on the same port with the same data.</summary>
    public Task RestartServerAsync() => StartServerAsync();

    public async Task DisposeAsync()
    {
        if (directory.Length == 0)
            return;
        try
        {
            if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
                await RunAsync(Path.Combine(bin, "pg_ctl"), ["-D", DataDirectory, "-m", "immediate", "-w", "stop"]);
        }
        finally
        {
            if (Directory.Exists(directory))
                Directory.Delete(directory, recursive: true);
            directory = "";
        }
    }

    /// <summary>Creates an empty database and answers its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        await using (var connection = new NpgsqlConnection(ConnectionString("postgres")))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }
        return ConnectionString(name);
    }

    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = Superuser, Database = database, Pooling = false }.ConnectionString;

    /// <summary>The server's log, for failure messages.</summary>
    public string Log => File.Exists(Path.Combine(directory, "server.log")) ? File.ReadAllText(Path.Combine(directory, "server.log")) : "";

    private static string FindBinaries()
    {
        var root = "/usr/lib/postgresql";
        var versions = Directory.Exists(root)
            ? Directory.GetDirectories(root).Where(d => File.Exists(Path.Combine(d, "bin", "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0).ToList()
            : [];
        return versions.Count > 0
            ? Path.Combine(versions[0], "bin")
            : throw new InvalidOperationException("PostgreSQL server binaries not found under /usr/lib/postgresql/<version>/bin: run scripts/setup.sh (installs the Debian package postgresql)");
    }

    private static async Task RunAsync(string program, string[] arguments, bool asPostgres = true)
    {
        var start = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = "/" };
        if (asPostgres && Environment.UserName == "root")
        {
            start.FileName = "runuser";
            foreach (var a in (string[])["-u", "postgres", "--", program])
                start.ArgumentList.Add(a);
        }
        else
            start.FileName = program;
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await error}{await output}");
    }
}
