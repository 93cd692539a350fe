using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Judge.Engine.Problems;
using Judge.Engine.Problems.Store;
using Judge.Abstractions;
using Judge.Problems.S3.Options;
using Microsoft.Extensions.Options;

namespace Judge.Problems.S3.Store;

/// <summary>Problem packages in an S3 bucket: problem <c>x</c> is every object under <c>&lt;prefix&gt;x/</c>, the key
/// after it being the file's path in the package. A file's fingerprint is its ETag; an object is downloaded only if its
/// ETag is still the listed one.</summary>
public sealed class S3PackageStore(IAmazonS3 client, IOptions<S3ProblemsOptions> s3Options, IOptions<ProblemsOptions> problemsOptions) : IProblemPackageStore
{
    /// <summary>Objects downloaded at once per package.</summary>
    public const int ParallelDownloads = 4;

    private readonly S3ProblemsOptions options = s3Options.Value;
    private readonly PackageLimits limits = problemsOptions.Value.Limits;

    private string Bucket => options.Bucket!;

    public string Location => $"s3://{Bucket}/{options.KeyPrefix}";

    public async Task<IReadOnlyList<PackageVersion>> ListAsync(string? problemId, CancellationToken cancellationToken)
    {
        if (problemId is not null && (problemId.Contains('/') || PackageFiles.PathError(problemId) is not null))
            return [];
        var prefix = options.KeyPrefix + (problemId is null ? "" : problemId + "/");
        var packages = new SortedDictionary<string, List<PackageFile>>(StringComparer.Ordinal);
        string? token = null;
        do
        {
            var request = new ListObjectsV2Request { BucketName = Bucket, Prefix = prefix, ContinuationToken = token };
            ListObjectsV2Response response;
            try
            {
                response = await client.ListObjectsV2Async(request, cancellationToken);
            }
            catch (Exception e) when (IsStoreFailure(e))
            {
                throw new ProblemStoreException($"{Location} cannot be listed: {Describe(e)} (check Judge:Problems:S3:Bucket, :Prefix, :ServiceUrl, :Region and the AWS credentials)", e);
            }

            foreach (var item in response.S3Objects ?? [])
            {
                if (!item.Key.StartsWith(options.KeyPrefix, StringComparison.Ordinal))
                    continue;
                var rest = item.Key[options.KeyPrefix.Length..];
                var slash = rest.IndexOf('/');
                if (slash <= 0)
                    continue; // an object beside the packages (a README), not inside one
                var id = rest[..slash];
                var path = rest[(slash + 1)..];
                var size = item.Size ?? 0;
                if (path.Length == 0 || (path.EndsWith('/') && size == 0))
                    continue; // a folder marker made by a console
                if (!packages.TryGetValue(id, out var files))
                    packages[id] = files = [];
                if (files.Count <= limits.MaxFiles)
                    files.Add(new PackageFile(path, size, item.ETag ?? ""));
            }
            token = response.IsTruncated == true ? response.NextContinuationToken : null;
        }
        while (token is not null);

        return packages.Select(p => new PackageVersion(p.Key, p.Value)).ToList();
    }

    public Task FetchAsync(PackageVersion version, string directory, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(version.Files, new ParallelOptions { MaxDegreeOfParallelism = ParallelDownloads, CancellationToken = cancellationToken },
            async (file, token) =>
            {
                var key = options.KeyPrefix + version.ProblemId + "/" + file.Path;
                GetObjectResponse response;
                try
                {
                    response = await client.GetObjectAsync(new GetObjectRequest { BucketName = Bucket, Key = key, EtagToMatch = file.Fingerprint }, token);
                }
                catch (AmazonS3Exception e) when (e.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.NotFound)
                {
                    throw new PackageChangedException(version.ProblemId, file.Path);
                }
                catch (Exception e) when (IsStoreFailure(e))
                {
                    throw new ProblemStoreException($"s3://{Bucket}/{key} cannot be downloaded: {Describe(e)}", e);
                }

                using (response)
                {
                    if (response.ETag != file.Fingerprint)
                        throw new PackageChangedException(version.ProblemId, file.Path);
                    try
                    {
                        await PackageFiles.WriteAsync(directory, version.ProblemId, file.Path, file.Size, response.ResponseStream, token);
                    }
                    catch (Exception e) when (e is HttpRequestException or AmazonClientException)
                    {
                        throw new ProblemStoreException($"s3://{Bucket}/{key} cannot be downloaded: {Describe(e)}", e);
                    }
                }
            });

    private static bool IsStoreFailure(Exception e) =>
        e is AmazonServiceException or AmazonClientException or HttpRequestException or IOException;

    private static string Describe(Exception e) => e switch
    {
        AmazonS3Exception s3 when !string.IsNullOrEmpty(s3.ErrorCode) => $"{s3.ErrorCode} ({(int)s3.StatusCode}): {s3.Message}",
        _ => e.GetBaseException().Message,
    };
}
