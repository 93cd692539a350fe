using Judge.Abstractions;
using System.Collections.Concurrent;
using Judge.Grains.Submissions;
using Judge.Interfaces;
using Judge.Lifecycle;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.Storage;
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

    /// <summary>What the submissions' storage did (both silos').</summary>
    public FlakyStorageLog Storage { get; } = new();

    /// <summary>A problem of <see cref="ManyTestsCount"/> A+B tests, next to the example problems.</summary>
    public const string ManyTests = "manytests";

    public const int ManyTestsCount = 120;

    /// <summary>What every silo published to its results table, in call order.</summary>
    public RecordedResults Results { get; } = new();

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
        problems = Path.Combine(workRoot, $"problems-{Guid.NewGuid():N}"); // one per fixture: test classes run in parallel
        CopyDirectory(Repository.ExampleProblems, problems);
        WriteManyTests(Path.Combine(problems, ManyTests));
        builder.ConfigureSilo((options, silo) =>
        {
            // The silos are configured concurrently: the first one configured offers python3 only, decided under the lock
            // (read outside it, both could see none and both offer python3 only).
            string toolchains;
            lock (toolchainsBySiloName)
            {
                toolchains = toolchainsBySiloName.Count == 0 ? PythonOnly : CppAndJava;
                toolchainsBySiloName[options.SiloName] = toolchains;
            }
            // The submissions' storage, with the first write of some submissions failing (FlakyStorage).
            silo.AddMemoryGrainStorage(FlakyStorage.Inner);
            silo.Services.AddKeyedSingleton<IGrainStorage>(SubmissionGrain.StorageName,
                (services, _) => new FlakyStorage(services.GetRequiredKeyedService<IGrainStorage>(FlakyStorage.Inner), Storage));
            silo.Services.AddSingleton<ISubmissionResults>(Results);
            silo.UseInMemoryReminderService();
            silo.AddJudging(new ConfigurationBuilder().Build(), judging =>
            {
                judging.Problems.Root = problems;
                judging.Toolchains = toolchains;
                judging.WorkRoot = workRoot;
            });
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
        await Cluster.WaitForClusterManifestToStabilizeAsync();
        Assert.Equal(2, toolchainsBySiloName.Count);
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        Directory.Delete(problems, recursive: true);
    }

    private string problems = "";

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        foreach (var directory in Directory.EnumerateDirectories(from))
            CopyDirectory(directory, Path.Combine(to, Path.GetFileName(directory)));
    }

    private static void WriteManyTests(string problem)
    {
        var secret = Path.Combine(problem, "data", "secret");
        Directory.CreateDirectory(secret);
        File.WriteAllText(Path.Combine(problem, "problem.yaml"), "name: Many tests\nlimits:\n  time_limit: 1\n  memory: 256\n");
        for (var i = 0; i < ManyTestsCount; i++)
        {
            var name = Path.Combine(secret, $"{i:D3}");
            File.WriteAllText(name + ".in", $"{i} {i * 7}\n");
            File.WriteAllText(name + ".ans", $"{i * 8}\n");
        }
    }
}

/// <summary>The results table of the tests: keeps every publication (a real table keeps the highest revision per submission).</summary>
public sealed class RecordedResults : ISubmissionResults
{
    private readonly ConcurrentQueue<(Submission Submission, long Revision)> records = new();

    /// <summary>Every publication of submission <paramref name="id"/>, in call order.</summary>
    public IReadOnlyList<(Submission Submission, long Revision)> Of(string id) => records.Where(r => r.Submission.Id == id).ToList();

    public Task RecordAsync(Submission submission, long revision, CancellationToken cancellationToken = default)
    {
        records.Enqueue((submission, revision));
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<string>> ListUnfinishedAsync(int limit, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<string>>([]);
}

/// <summary>Grain storage whose first write of some submissions fails, as a database that did not answer does: for ids
/// starting <see cref="LostWrite"/> nothing is stored; for ids starting <see cref="LostAnswer"/> the write is stored and its
/// answer lost (a timeout after the commit); for ids starting <see cref="LostVerdict"/> the first write of the finished
/// submission is not stored. Other ids are stored as given. The silos share one <see cref="FlakyStorageLog"/>, as they share
/// the database: the retry may reach an activation on the other silo, and its write must not fail again.</summary>
public sealed class FlakyStorage(IGrainStorage inner, FlakyStorageLog log) : IGrainStorage
{
    public const string Inner = "submissions-inner";
    public const string LostWrite = "lost-write-";
    public const string LostAnswer = "lost-answer-";
    public const string LostVerdict = "lost-verdict-";

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ReadStateAsync(stateName, grainId, grainState);

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = grainId.Key.ToString()!;
        var record = grainState.State as ISubmissionRecord;
        var fails = key.StartsWith(LostWrite, StringComparison.Ordinal) || key.StartsWith(LostAnswer, StringComparison.Ordinal)
            || (key.StartsWith(LostVerdict, StringComparison.Ordinal) && record?.Submission?.Status == SubmissionStatus.Finished);
        var first = fails && log.Failed.TryAdd(grainId, true);
        if (first && !key.StartsWith(LostAnswer, StringComparison.Ordinal))
            throw new TimeoutException($"the first write of {key} was not stored");
        await inner.WriteStateAsync(stateName, grainId, grainState);
        if (record is not null)
            log.StoredAttempts[grainId] = record.Attempt;
        if (first)
            throw new TimeoutException($"the first write of {key} was stored, and its answer lost");
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ClearStateAsync(stateName, grainId, grainState);
}

/// <summary>What <see cref="FlakyStorage"/> did, shared by the silos: which submissions' writes failed, and each one's
/// attempt number as last stored (how many times it was judged).</summary>
public sealed class FlakyStorageLog
{
    public ConcurrentDictionary<GrainId, bool> Failed { get; } = new();
    public ConcurrentDictionary<GrainId, int> StoredAttempts { get; } = new();
}

