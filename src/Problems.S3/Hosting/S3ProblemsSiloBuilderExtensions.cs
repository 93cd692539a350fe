using Judge.Abstractions;
using Judge.Aws;
using Amazon;
using Amazon.S3;
using Judge.Engine.Problems.Store;
using Judge.Problems.S3.Options;
using Judge.Problems.S3.Store;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Orleans.Hosting;

/// <summary>Makes a silo take its problems from S3 instead of the local directory.</summary>
public static class S3ProblemsSiloBuilderExtensions
{
    /// <summary>Whether <c>Judge:Problems:S3:Bucket</c> is set: the embedded silo then uses the S3 store.</summary>
    public static bool HasS3Problems(this IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration[$"{S3ProblemsOptions.Section}:Bucket"]);

    /// <summary>Uses the S3 problem store configured by <c>Judge:Problems:S3</c> and then <paramref name="configure"/>; the
    /// silo fails to start on a bad configuration or a bucket it cannot list. Call it together with <c>AddJudging</c>.</summary>
    public static ISiloBuilder UseS3Problems(this ISiloBuilder builder, IConfiguration configuration, Action<S3ProblemsOptions>? configure = null)
    {
        var options = builder.Services.AddOptions<S3ProblemsOptions>().Bind(configuration.GetSection(S3ProblemsOptions.Section));
        if (configure is not null)
            options.Configure(configure);
        options.ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<S3ProblemsOptions>, S3ProblemsOptionsValidator>());
        builder.Services.TryAddSingleton<IAmazonS3>(sp => CreateClient(sp.GetRequiredService<IOptions<S3ProblemsOptions>>().Value));

        builder.Services.RemoveAll<ProblemStoreSelection>();
        builder.Services.AddSingleton(new ProblemStoreSelection("s3", ReadsProblemsRoot: false));
        builder.Services.RemoveAll<IProblemPackageStore>();
        builder.Services.AddSingleton<IProblemPackageStore, S3PackageStore>();
        return builder;
    }

    /// <summary>The S3 client: the standard AWS credential chain, the configured region, endpoint and addressing style;
    /// <paramref name="configure"/> may adjust the rest (timeouts, an HTTP client factory).</summary>
    public static AmazonS3Client CreateClient(S3ProblemsOptions options, Action<AmazonS3Config>? configure = null)
    {
        var config = AwsEndpoint.Apply(new AmazonS3Config(), options.Region, options.ServiceUrl);
        config.ForcePathStyle = options.ForcePathStyle ?? !string.IsNullOrEmpty(options.ServiceUrl);
        configure?.Invoke(config);
        return new AmazonS3Client(config);
    }
}
