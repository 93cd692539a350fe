using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Judge.Engine.Problems.Store;
using Judge.Problems.S3.Options;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Hosting;

namespace Judge.Problems.IntegrationTests;

/// <summary>The fauxqs emulator with a bucket holding <c>contest/aplusb/</c> (examples/problems/aplusb), and a real
/// embedded silo (python3 only) that takes its problems from there because <c>Judge:Problems:S3:Bucket</c> is set.
/// The periodic refresh is off: tests refresh when they mean to. The silo's S3 client records its requests.</summary>
public sealed class S3ProblemSilo : IAsyncLifetime
{
    public const string Bucket = "judge-problems";
    public const string Prefix = "contest/";
    public const int MaxFiles = 30;

    private Fauxqs? emulator;
    private WebApplication? app;

    public string ServiceUrl => emulator!.ServiceUrl;

    /// <summary>A client of the emulator for the test's own uploads.</summary>
    public AmazonS3Client Uploader { get; private set; } = null!;

    public RequestLog Requests { get; } = new();

    public string WorkRoot { get; } = Path.Combine(Path.GetTempPath(), $"judge-s3-tests-{Guid.NewGuid():N}");

    public string HttpUrl { get; private set; } = "";

    public IServiceProvider Services => app!.Services;

    public ProblemCache Problems => Services.GetRequiredService<ProblemCache>();

    public IGrainFactory Grains => Services.GetRequiredService<IGrainFactory>();

    public async Task InitializeAsync()
    {
        emulator = await Fauxqs.StartAsync();
        Uploader = new AmazonS3Client(new BasicAWSCredentials(Fauxqs.AccessKey, Fauxqs.SecretKey),
            new AmazonS3Config { ServiceURL = ServiceUrl, ForcePathStyle = true, AuthenticationRegion = Fauxqs.Region });
        await Uploader.PutBucketAsync(Bucket);
        await UploadAsync("aplusb", Path.Combine(Repository.ExampleProblems, "aplusb"));

        // The standard AWS credential chain reads these, as it would on a developer's machine.
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", Fauxqs.AccessKey);
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", Fauxqs.SecretKey);
        HttpUrl = $"http://127.0.0.1:{Ports.Free()}";
        var builder = WebApplication.CreateBuilder(
        [
            $"--urls={HttpUrl}",
            $"--Judge:Silo:Port={Ports.Free()}",
            $"--Judge:Silo:GatewayPort={Ports.Free()}",
            $"--Judge:WorkRoot={WorkRoot}",
            "--Judge:Toolchains=python3",
            $"--Judge:Problems:S3:Bucket={Bucket}",
            $"--Judge:Problems:S3:Prefix={Prefix}",
            $"--Judge:Problems:S3:ServiceUrl={ServiceUrl}",
            $"--Judge:Problems:S3:Region={Fauxqs.Region}",
            "--Judge:Problems:RefreshInterval=00:00:00",
            $"--Judge:Problems:MaxFiles={MaxFiles}",
        ]);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("Judge", LogLevel.Information);
        builder.Logging.AddFilter("Orleans", LogLevel.Warning);
        builder.AddJudgeSilo();
        // The client UseS3Problems would build, plus a record of its requests.
        builder.Services.AddSingleton<IAmazonS3>(sp => S3ProblemsSiloBuilderExtensions.CreateClient(
            sp.GetRequiredService<IOptions<S3ProblemsOptions>>().Value, config => config.HttpClientFactory = Requests.Factory()));
        app = builder.Build();
        app.MapJudgeSilo();
        await app.StartAsync();
    }

    /// <summary>Uploads every file under <paramref name="directory"/> to <c>contest/&lt;id&gt;/</c>.</summary>
    public async Task UploadAsync(string id, string directory)
    {
        foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(directory, file).Replace(Path.DirectorySeparatorChar, '/');
            await PutAsync($"{id}/{relative}", await File.ReadAllTextAsync(file));
        }
    }

    /// <summary>Writes one object, <paramref name="path"/> being its key after the prefix.</summary>
    public Task PutAsync(string path, string content) =>
        Uploader.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = Prefix + path, ContentBody = content });

    /// <summary>Keys under the prefix, as the emulator stores them.</summary>
    public async Task<List<string>> KeysAsync(string path)
    {
        var response = await Uploader.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, Prefix = Prefix + path });
        return (response.S3Objects ?? []).Select(o => o.Key).ToList();
    }

    public async Task DisposeAsync()
    {
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
        Uploader?.Dispose();
        emulator?.Dispose();
        if (Directory.Exists(WorkRoot))
            Directory.Delete(WorkRoot, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class S3ProblemSiloCollection : ICollectionFixture<S3ProblemSilo>
{
    public const string Name = "s3 problem silo";
}
