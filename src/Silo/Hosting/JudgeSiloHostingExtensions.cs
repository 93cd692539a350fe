using Judge.Abstractions;
using System.Text.Json;
using System.Text.Json.Serialization;
using Judge.Grains.Submissions;
using Judge.Silo.Database;
using Judge.Silo.Health;
using Judge.Silo.Options;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;

namespace Microsoft.Extensions.Hosting;

/// <summary>Composes the judge silo host: Orleans, judging and the HTTP API.</summary>
public static class JudgeSiloHostingExtensions
{
    /// <summary>The HTTP address of the embedded default.</summary>
    public const string DefaultUrls = "http://127.0.0.1:5080";

    /// <summary>Configures this host as a judge silo. Without a database connection string this is the embedded default:
    /// localhost clustering, in-memory state, the bundled example problems. With <c>ConnectionStrings:Judge</c> the silo
    /// joins a cluster whose membership, grain state and reminders live in PostgreSQL, and keeps the results tables.</summary>
    /// <exception cref="OptionsValidationException">A cluster setting is invalid; the message names the key.</exception>
    public static WebApplicationBuilder AddJudgeSilo(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        builder.AddServiceDefaults();

        // --urls / ASPNETCORE_URLS win; otherwise Judge:Http:Urls; otherwise loopback port 5080.
        if (string.IsNullOrEmpty(configuration["urls"]))
            builder.WebHost.UseUrls(configuration["Judge:Http:Urls"] ?? DefaultUrls);

        if (string.IsNullOrEmpty(configuration["Judge:Problems:Root"]) && ExampleProblems.Find() is { } examples)
            configuration["Judge:Problems:Root"] = examples;

        if (configuration[JudgeApi.JudgeTokenKey] is { Length: > 0 and < JudgeApi.MinJudgeTokenLength })
            throw new OptionsValidationException(JudgeApi.JudgeTokenKey, typeof(string),
                [$"{JudgeApi.JudgeTokenKey} must be at least {JudgeApi.MinJudgeTokenLength} characters (it guards the judges' messages), or unset"]);

        var cluster = ReadClusterOptions(configuration);
        builder.Services.AddSingleton(Microsoft.Extensions.Options.Options.Create(cluster));
        var kubernetes = ReadKubernetesOptions(configuration, cluster);

        // Only the sandbox daemon may be privileged: a silo of a cluster (HTTP, Orleans, package parsing, AWS SDK) never
        // runs as root. Checked first when the host starts, before Orleans or the sandbox; the embedded default may run as
        // root, to start its own daemon (deploy/sandbox/README.md).
        if (cluster.UsesDatabase)
            builder.Services.AddHostedService<NotAsRoot>();

        builder.UseOrleans(silo =>
        {
            if (cluster.UsesDatabase)
                silo.UseJudgeDatabase(cluster);
            else
            {
                silo.UseLocalhostClustering(cluster.SiloPort, cluster.GatewayPort);
                silo.AddMemoryGrainStorage(SubmissionGrain.StorageName);
                silo.UseInMemoryReminderService();
            }
            // On Kubernetes (Judge:Kubernetes:Enabled): the silo is named after its pod and advertises POD_IP; silos whose
            // pods are gone are declared dead at once. Membership stays in PostgreSQL.
            if (kubernetes.Enabled)
                silo.UseKubernetesHosting();
            silo.AddJudging(configuration);
            silo.AddActivityPropagation(); // traces continue across grain calls (HTTP → submission → worker)
            // Problems come from S3 once a bucket is configured (Judge:Problems:S3:Bucket), else from Judge:Problems:Root.
            if (configuration.HasS3Problems())
                silo.UseS3Problems(configuration);
            silo.AddResultsOut(configuration);
        });

        // The host's stop must outlast the drain (running judgings get Judge:Recovery:DrainTimeout) and then the silo's own
        // graceful leave: past ShutdownTimeout the host cancels the stop, and the process ends abnormally.
        // Read from configuration as it stands, not through the validated options: an invalid setting is reported when the
        // silo starts, by the validators, not while the host is built.
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = DrainTimeout(configuration) + SiloStopMargin);
        var health = builder.Services.AddHealthChecks().AddCheck<SiloActiveHealthCheck>("silo", tags: [ReadyTag]);
        if (cluster.UsesDatabase)
            health.AddCheck<DatabaseHealthCheck>("storage", tags: [ReadyTag]);

        // The SQS ingress runs inside the embedded silo too, once a queue is configured (Judge:Sqs:QueueUrl).
        if (configuration.HasSqsQueue())
            builder.AddSqsIngress();

        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
            json.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        });
        builder.Services.AddProblemDetails();
        // Bounds the submissions this silo accepted and has not finished (Judge:Http:MaxUnfinishedSubmissions).
        builder.Services.AddSingleton<Judge.Silo.Http.SubmissionAdmission>();
        builder.Services.AddHostedService(services => services.GetRequiredService<Judge.Silo.Http.SubmissionAdmission>());
        return builder;
    }

    /// <summary>Maps what a silo serves over HTTP: the service defaults (access rules, <c>/metrics</c>), the HTTP API and the
    /// dashboard.</summary>
    public static WebApplication MapJudgeSilo(this WebApplication app)
    {
        app.MapServiceDefaults();
        app.MapJudgeApi();
        app.MapDashboardApi();
        app.MapBacklogApi();
        app.MapJudgeDashboard();
        return app;
    }

    /// <summary>How long a stopping silo may take after its drain: the live feed's last batch, leaving the cluster, and
    /// deactivating its grains.</summary>
    public static readonly TimeSpan SiloStopMargin = TimeSpan.FromSeconds(30);

    /// <summary><c>Judge:Recovery:DrainTimeout</c>, or its default when unset or not a time span.</summary>
    private static TimeSpan DrainTimeout(IConfiguration configuration) =>
        TimeSpan.TryParse(configuration["Judge:Recovery:DrainTimeout"], System.Globalization.CultureInfo.InvariantCulture, out var drain) && drain >= TimeSpan.Zero
            ? drain
            : new Judge.Grains.Options.RecoveryOptions().DrainTimeout;

    /// <summary>The tag of the health checks behind <c>/ready</c>.</summary>
    public const string ReadyTag = HealthEndpointExtensions.ReadyTag;

    /// <summary>Reads and validates the cluster settings, failing with every invalid key named.</summary>
    public static JudgeClusterOptions ReadClusterOptions(IConfiguration configuration)
    {
        var options = JudgeClusterOptions.Read(configuration, out var parseErrors);
        var errors = parseErrors.ToList();
        if (new JudgeClusterOptionsValidator().Validate(null, options) is { Failed: true } result)
            errors.AddRange(result.Failures);
        if (errors.Count > 0)
            throw new OptionsValidationException(nameof(JudgeClusterOptions), typeof(JudgeClusterOptions), errors);
        return options;
    }

    /// <summary>Reads and validates the Kubernetes hosting settings, failing with every invalid key named.</summary>
    public static JudgeKubernetesOptions ReadKubernetesOptions(IConfiguration configuration, JudgeClusterOptions cluster)
    {
        var options = JudgeKubernetesOptions.Read(configuration, out var parseErrors);
        var errors = parseErrors.ToList();
        if (new JudgeKubernetesOptionsValidator(cluster).Validate(null, options) is { Failed: true } result)
            errors.AddRange(result.Failures);
        if (errors.Count > 0)
            throw new OptionsValidationException(nameof(JudgeKubernetesOptions), typeof(JudgeKubernetesOptions), errors);
        return options;
    }

    /// <summary>PostgreSQL clustering, grain storage and reminders through the Orleans ADO.NET providers, and the results tables.</summary>
    private static void UseJudgeDatabase(this ISiloBuilder silo, JudgeClusterOptions cluster)
    {
        const string invariant = "Npgsql";
        // Every connection ends a vanished silo's transactions quickly: see DatabaseSessions.
        var connectionString = DatabaseSessions.WithSessionLimits(cluster.ConnectionString!);

        silo.Configure<ClusterOptions>(options =>
        {
            options.ClusterId = cluster.ClusterId;
            options.ServiceId = cluster.ServiceId;
        });
        silo.Configure<EndpointOptions>(options =>
        {
            options.SiloPort = cluster.SiloPort;
            options.GatewayPort = cluster.GatewayPort;
            if (cluster.AdvertisedAddress is { } address)
                options.AdvertisedIPAddress = address;
        });
        silo.Configure<ClusterMembershipOptions>(options => ConfigureFailureDetection(options, cluster.ProbeTimeout));
        // The strongly consistent grain directory: when a silo dies, its directory ranges are rebuilt from the survivors'
        // activations before lookups resume, so a submission grain is never active twice. The default directory is
        // eventually consistent: after a death it created second activations of live submission grains, and lookups
        // waited up to the 30 s response timeout.
#pragma warning disable ORLEANSEXP003 // experimental in Orleans 10
        silo.AddDistributedGrainDirectory();
#pragma warning restore ORLEANSEXP003

        silo.UseAdoNetClustering(options =>
        {
            options.Invariant = invariant;
            options.ConnectionString = connectionString;
        });
        silo.AddAdoNetGrainStorage(SubmissionGrain.StorageName, options => options.Configure<Serializer>((storage, serializer) =>
        {
            storage.Invariant = invariant;
            storage.ConnectionString = connectionString;
            // Orleans' own version-tolerant binary format ([GenerateSerializer] and [Id] on the state), not the
            // default Newtonsoft JSON that stores .NET type names in every row.
            storage.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
        }));
        silo.UseAdoNetReminderService(options =>
        {
            options.Invariant = invariant;
            options.ConnectionString = connectionString;
        });

        silo.Services.AddSingleton(_ => NpgsqlDataSource.Create(connectionString));
        silo.Services.AddSingleton<DatabasePools>();
        silo.Services.AddHostedService(services => services.GetRequiredService<DatabasePools>());
        silo.Services.AddSingleton<ISubmissionResults, PostgresSubmissionResults>();
        silo.Services.AddSingleton<Judge.Grains.Feed.ISubmissionIndex, PostgresSubmissionIndex>();
        silo.Services.AddSingleton<Judge.Grains.Feed.ISubmissionBacklog, PostgresSubmissionBacklog>();
    }

    /// <summary>A dead silo is declared dead in about 10 s instead of Orleans' default of about a minute: with the default
    /// <paramref name="probeTimeout"/> of 2 s, probes start every 2 s (adapted between 1 and 8 s), three missed probes make
    /// a suspicion, two suspicions a death. A killed process refuses connections at once, so its probes fail fast. The
    /// trade-off: a silo stalled for more than ~6 s (a long GC pause, an overloaded host) can be declared dead although
    /// alive; it then shuts itself down and its work is re-run elsewhere, which is safe (judging is idempotent per
    /// submission) but wasteful. Raise <c>Judge:Cluster:ProbeTimeout</c> on hosts that stall.</summary>
    private static void ConfigureFailureDetection(ClusterMembershipOptions options, TimeSpan probeTimeout)
    {
        options.ProbeTimeout = probeTimeout;
        options.NumMissedProbesLimit = 3;
        options.NumVotesForDeathDeclaration = 2;
        options.TableRefreshTimeout = TimeSpan.FromSeconds(10);
        options.DeathVoteExpirationTimeout = TimeSpan.FromSeconds(60);
        options.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(30);
    }
}

/// <summary>Finds the bundled <c>examples/problems</c> directory for the embedded default.</summary>
internal static class ExampleProblems
{
    public static string? Find()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "examples", "problems");
                if (Directory.Exists(candidate))
                    return candidate;
            }
        }
        return null;
    }
}
