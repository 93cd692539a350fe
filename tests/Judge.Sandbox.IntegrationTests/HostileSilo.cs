using Judge.Cluster.EndToEndTests;

namespace Judge.Sandbox.IntegrationTests;

/// <summary>The judge the hostile suite attacks, as production runs it: a silo process as an unprivileged user with no
/// capabilities, judging the hostile problem through its own sandbox daemon (root, on a Unix socket). It also holds the
/// host's bait (<see cref="HostileHost"/>), set up before the silo starts so that the silo's environment carries the
/// secret.</summary>
public sealed class HostileSilo : IAsyncLifetime
{
    private readonly string workRoot = Path.Combine(Directory.CreateTempSubdirectory("judge-hostile-silo-").FullName, "work");

    public HostileHost Host { get; } = new();

    public SiloProcess Silo { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Silo = new SiloProcess("hostile", connectionString: "", clusterId: "hostile", index: 0, workRoot,
            toolchains: "cpp17,python3,java")
        {
            ProblemsRoot = Path.GetDirectoryName(RepositoryPaths.HostileProblem),
        };
        Silo.Start();
        await Silo.WaitReadyAsync();
    }

    public async Task DisposeAsync()
    {
        await Silo.DisposeAsync();
        Host.Dispose();
        try
        {
            Directory.Delete(Path.GetDirectoryName(workRoot)!, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }
}
