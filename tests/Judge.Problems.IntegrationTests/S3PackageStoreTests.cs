using Judge.Engine.Problems.Store;
using Judge.Abstractions;
using Judge.Problems.S3.Options;
using Judge.Problems.S3.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Hosting;

namespace Judge.Problems.IntegrationTests;

/// <summary>The S3 store when the bucket is not there: a clear error naming it, and a silo that refuses to start.</summary>
[Collection(S3ProblemSiloCollection.Name)]
public sealed class S3PackageStoreTests(S3ProblemSilo silo)
{
    private S3ProblemsOptions Options(string bucket) =>
        new() { Bucket = bucket, Prefix = "contest", ServiceUrl = silo.ServiceUrl, Region = Fauxqs.Region };

    [Fact]
    public async Task Listing_a_bucket_that_does_not_exist_is_an_error_naming_it()
    {
        using var client = S3ProblemsSiloBuilderExtensions.CreateClient(Options("no-such-bucket"));
        var store = new S3PackageStore(client, Microsoft.Extensions.Options.Options.Create(Options("no-such-bucket")),
            Microsoft.Extensions.Options.Options.Create(new ProblemsOptions()));

        var error = await Assert.ThrowsAsync<ProblemStoreException>(() => store.ListAsync(null, CancellationToken.None));

        Assert.StartsWith("s3://no-such-bucket/contest/ cannot be listed: NoSuchBucket (404)", error.Message);
        Assert.Contains("Judge:Problems:S3:Bucket", error.Message);
    }

    [Fact]
    public async Task An_object_replaced_between_listing_and_download_counts_as_a_changed_package()
    {
        var options = Options(S3ProblemSilo.Bucket);
        await silo.PutAsync("moving/problem.yaml", "name: Moving\n");
        await silo.PutAsync("moving/data/sample/1.in", "1 2\n");
        await silo.PutAsync("moving/data/sample/1.ans", "3\n");
        using var client = S3ProblemsSiloBuilderExtensions.CreateClient(options);
        var store = new S3PackageStore(client, Microsoft.Extensions.Options.Options.Create(options),
            Microsoft.Extensions.Options.Options.Create(new ProblemsOptions()));
        var version = Assert.Single(await store.ListAsync("moving", CancellationToken.None));
        Assert.Equal(["data/sample/1.ans", "data/sample/1.in", "problem.yaml"], version.Files.Select(f => f.Path));

        await silo.PutAsync("moving/data/sample/1.ans", "30\n");
        var directory = Directory.CreateTempSubdirectory("judge-s3-moving-").FullName;
        try
        {
            var error = await Assert.ThrowsAsync<PackageChangedException>(() => store.FetchAsync(version, directory, CancellationToken.None));

            Assert.Equal("problem 'moving': data/sample/1.ans changed while the package was being copied", error.Message);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task A_silo_whose_bucket_does_not_exist_refuses_to_start_naming_it()
    {
        var workRoot = Path.Combine(Path.GetTempPath(), $"judge-s3-missing-{Guid.NewGuid():N}");
        var builder = WebApplication.CreateBuilder(
        [
            $"--urls=http://127.0.0.1:{Ports.Free()}",
            $"--Judge:Silo:Port={Ports.Free()}",
            $"--Judge:Silo:GatewayPort={Ports.Free()}",
            $"--Judge:WorkRoot={workRoot}",
            "--Judge:Toolchains=python3",
            "--Judge:Problems:S3:Bucket=no-such-bucket",
            $"--Judge:Problems:S3:ServiceUrl={silo.ServiceUrl}",
            $"--Judge:Problems:S3:Region={Fauxqs.Region}",
        ]);
        builder.Logging.SetMinimumLevel(LogLevel.Critical);
        builder.AddJudgeSilo();
        await using var app = builder.Build();
        try
        {
            var error = await Assert.ThrowsAnyAsync<Exception>(() => app.StartAsync());

            Assert.Contains("The problems cannot be loaded: s3://no-such-bucket/ cannot be listed: NoSuchBucket", error.Message);
        }
        finally
        {
            // No StopAsync: the first problem load is a step of the silo's start, so the silo never got past Starting,
            // and Orleans refuses to stop a silo in that state (as the host's RunAsync does, only disposal follows).
            if (Directory.Exists(workRoot))
                Directory.Delete(workRoot, recursive: true);
        }
    }
}
