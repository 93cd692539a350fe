using Judge.Engine.Problems.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Judge.Problems.IntegrationTests;

/// <summary>A silo of its own, refreshing every second (Judge:Problems:RefreshInterval), on the shared emulator.</summary>
[Collection(S3ProblemSiloCollection.Name)]
public sealed class PeriodicRefreshTests(S3ProblemSilo silo)
{
    [Fact]
    public async Task A_silo_picks_up_a_changed_package_by_itself_on_the_refresh_interval()
    {
        const string prefix = "periodic/";
        var aplusb = Path.Combine(Repository.ExampleProblems, "aplusb");
        foreach (var file in Directory.EnumerateFiles(aplusb, "*", SearchOption.AllDirectories))
            await silo.Uploader.PutObjectAsync(new() { BucketName = S3ProblemSilo.Bucket, Key = prefix + "ticking/" + Path.GetRelativePath(aplusb, file), ContentBody = await File.ReadAllTextAsync(file) });

        var workRoot = Path.Combine(Path.GetTempPath(), $"judge-s3-periodic-{Guid.NewGuid():N}");
        var builder = WebApplication.CreateBuilder(
        [
            $"--urls=http://127.0.0.1:{Ports.Free()}",
            $"--Judge:Silo:Port={Ports.Free()}",
            $"--Judge:Silo:GatewayPort={Ports.Free()}",
            $"--Judge:WorkRoot={workRoot}",
            "--Judge:Toolchains=python3",
            $"--Judge:Problems:S3:Bucket={S3ProblemSilo.Bucket}",
            $"--Judge:Problems:S3:Prefix={prefix}",
            $"--Judge:Problems:S3:ServiceUrl={silo.ServiceUrl}",
            $"--Judge:Problems:S3:Region={Fauxqs.Region}",
            "--Judge:Problems:RefreshInterval=00:00:01",
        ]);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddJudgeSilo();
        await using var app = builder.Build();
        try
        {
            await app.StartAsync();
            var problems = app.Services.GetRequiredService<ProblemCache>();
            var first = problems.ContentHash("ticking");
            Assert.NotNull(first);

            await silo.Uploader.PutObjectAsync(new() { BucketName = S3ProblemSilo.Bucket, Key = prefix + "ticking/problem.yaml", ContentBody = "name: Ticking\nlimits:\n  time_limit: 1\n" });

            // No refresh is asked for: the silo's own timer must notice. Waits for the event, bounded generously.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (problems.ContentHash("ticking") == first)
                await Task.Delay(100, timeout.Token);
            Assert.Equal("Ticking", problems.Find("ticking")!.Name);
        }
        finally
        {
            await app.StopAsync();
            if (Directory.Exists(workRoot))
                Directory.Delete(workRoot, recursive: true);
        }
    }
}
