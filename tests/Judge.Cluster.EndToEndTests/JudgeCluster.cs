using Npgsql;

namespace Judge.Cluster.EndToEndTests;

/// <summary>The production shape on one host: a PostgreSQL server, the schema migrated, three silo processes on
/// distinct ports forming one cluster over it. Each silo offers the languages given for it (by default python3 only).</summary>
public class JudgeCluster : IAsyncLifetime
{
    private readonly string[] toolchainsPerSilo;

    public JudgeCluster() : this("python3", "python3", "python3")
    {
    }

    /// <summary>A cluster of one silo per entry, each offering the comma-separated language ids of its entry.</summary>
    protected JudgeCluster(params string[] toolchainsPerSilo)
    {
        this.toolchainsPerSilo = toolchainsPerSilo;
    }

    public const string ClusterId = "e2e";

    /// <summary>Arguments every silo of this cluster gets after the defaults of <see cref="SiloProcess"/>.</summary>
    protected virtual IReadOnlyList<string> SiloArguments => [];

    public PostgresServer Postgres { get; } = new();
    public string ConnectionString { get; private set; } = "";
    public IReadOnlyList<SiloProcess> Silos { get; private set; } = [];

    private readonly string workRoot = Directory.CreateTempSubdirectory("judge-cluster-").FullName;

    public async Task InitializeAsync()
    {
        try
        {
            await Postgres.InitializeAsync();
            ConnectionString = await Postgres.CreateDatabaseAsync("cluster");
            await Judge.Silo.Database.JudgeSchema.MigrateAsync(ConnectionString);
            Silos = toolchainsPerSilo
                .Select((toolchains, i) => new SiloProcess($"silo{i}", ConnectionString, ClusterId, i, Path.Combine(workRoot, $"silo{i}"), toolchains, SiloArguments))
                .ToList();
            await StartAllAsync();
        }
        catch
        {
            await DisposeAsync(); // leave no server or silo behind when the cluster cannot start
            throw;
        }
    }

    /// <summary>Starts every silo and waits until each is ready (active in the cluster, storage reachable).</summary>
    public async Task StartAllAsync()
    {
        // The first alone: it creates the cluster's membership row. The others then join it together (membership writes are
        // versioned, so concurrent joins retry rather than conflict), which saves a silo start per further silo.
        if (Silos.Count == 0)
            return;
        Silos[0].Start();
        await Silos[0].WaitReadyAsync();
        await Task.WhenAll(Silos.Skip(1).Select(silo => Task.Run(async () =>
        {
            silo.Start();
            await silo.WaitReadyAsync();
        })));
    }

    public async Task StopAllAsync() => await Task.WhenAll(Silos.Select(s => s.StopAsync()));

    public async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    public async Task DisposeAsync()
    {
        foreach (var silo in Silos)
            await silo.DisposeAsync();
        await Postgres.DisposeAsync();
        try
        {
            Directory.Delete(workRoot, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // a sandbox may still be releasing a directory; it is under the temporary directory
        }
    }
}

/// <summary>Two silos with different toolchains: silo0 offers only C++17, silo1 only Python 3.</summary>
public sealed class HeterogeneousJudgeCluster : JudgeCluster
{
    public HeterogeneousJudgeCluster() : base("cpp17", "python3")
    {
    }
}

/// <summary>Three Python 3 silos that notice lost work sooner than production does, for the tests that kill or stop one:
/// see <see cref="SiloProcess.SoonerRecovery"/>.</summary>
public sealed class RecoveryJudgeCluster : JudgeCluster
{
    protected override IReadOnlyList<string> SiloArguments => SiloProcess.SoonerRecovery;
}

[CollectionDefinition(Name)]
public sealed class JudgeClusterCollection : ICollectionFixture<JudgeCluster>
{
    public const string Name = "judge cluster";
}
