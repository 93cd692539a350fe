using Judge.Engine.Problems.Store;
using Judge.Grains.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.TestingHost;

namespace Judge.Grains.IntegrationTests;

/// <summary>A silo loads its problems before it joins the cluster: jobs go to the silo with the most free slots, which is
/// often one that has just started, and a job placed there before the load was judged IE ("problem ... is not
/// available").</summary>
public class ProblemLoadTests
{
    [Fact]
    public async Task A_silo_has_its_problems_loaded_before_it_becomes_active()
    {
        var seen = new Seen();
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddMemoryGrainStorage("submissions");
            silo.UseInMemoryReminderService();
            silo.AddJudging(new ConfigurationBuilder().Build(), judging =>
            {
                judging.Problems.Root = Repository.ExampleProblems;
                judging.Toolchains = "python3";
                judging.WorkRoot = Path.Combine(Path.GetTempPath(), "judge-grain-tests");
            });
            // Runs in the last step before the silo turns active (membership joins at BecomeActive).
            silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => new LoadProbe(sp.GetRequiredService<ProblemCache>(), seen));
        });
        var cluster = builder.Build();
        try
        {
            await cluster.DeployAsync();
            Assert.NotNull(seen.Problems);
            Assert.Contains("aplusb", seen.Problems);
        }
        finally
        {
            await cluster.DisposeAsync();
        }
    }

    private sealed class Seen
    {
        public List<string>? Problems { get; set; }
    }

    private sealed class LoadProbe(ProblemCache cache, Seen seen) : ILifecycleParticipant<ISiloLifecycle>
    {
        public void Participate(ISiloLifecycle lifecycle) =>
            lifecycle.Subscribe("problem-load-probe", ServiceLifecycleStage.BecomeActive - 1, _ =>
            {
                seen.Problems = cache.Problems.Select(p => p.Id).ToList();
                return Task.CompletedTask;
            });
    }
}
