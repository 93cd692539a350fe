using Microsoft.Extensions.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.TestingHost;

namespace Judge.Grains.IntegrationTests;

/// <summary>Two silos with different toolchains: the primary offers only python3, the other cpp17 and java.</summary>
public sealed class HeterogeneousCluster : IAsyncLifetime
{
    public const string PythonOnly = "python3";
    public const string CppAndJava = "cpp17,java";

    private readonly Dictionary<string, string> toolchainsBySiloName = new();

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    /// <summary>The address of the silo configured with <paramref name="toolchains"/>.</summary>
    public string SiloOffering(string toolchains)
    {
        var name = toolchainsBySiloName.Single(kv => kv.Value == toolchains).Key;
        return Cluster.Silos.Single(s => s.Name == name).SiloAddress.ToString();
    }

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(2);
        var workRoot = Path.Combine(Path.GetTempPath(), "judge-grain-tests");
        builder.ConfigureSilo((options, silo) =>
        {
            var toolchains = toolchainsBySiloName.Count == 0 ? PythonOnly : CppAndJava;
            lock (toolchainsBySiloName)
                toolchainsBySiloName[options.SiloName] = toolchains;
            silo.AddMemoryGrainStorage("submissions");
            silo.UseInMemoryReminderService();
            silo.AddJudging(new ConfigurationBuilder().Build(), judging =>
            {
                judging.Problems.Root = Repository.ExampleProblems;
                judging.Toolchains = toolchains;
                judging.WorkRoot = workRoot;
            });
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
        await Cluster.WaitForClusterManifestToStabilizeAsync();
        Assert.Equal(2, toolchainsBySiloName.Count);
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}
