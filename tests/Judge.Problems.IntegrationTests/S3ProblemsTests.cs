using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Amazon.S3.Model;
using Judge.Interfaces;

namespace Judge.Problems.IntegrationTests;

/// <summary>Problems in an S3 bucket (the fauxqs emulator), judged by a real embedded silo.</summary>
[Collection(S3ProblemSiloCollection.Name)]
public sealed class S3ProblemsTests(S3ProblemSilo silo)
{
    private const string PythonAplusb = "a, b = map(int, input().split())\nprint(a + b)\n";
    private static readonly string Aplusb = Path.Combine(Repository.ExampleProblems, "aplusb");
    private static readonly int AplusbFiles = Directory.EnumerateFiles(Aplusb, "*", SearchOption.AllDirectories).Count();

    private async Task<Submission> JudgeAsync(string problem)
    {
        var grain = silo.Grains.GetGrain<ISubmissionGrain>($"s3-{problem}-{Guid.NewGuid():N}");
        Assert.Equal(SubmitOutcome.Accepted, await grain.Submit(new SubmissionRequest(problem, "python3", PythonAplusb)));
        var result = await grain.WaitForResult(TimeSpan.FromMinutes(3));
        Assert.NotNull(result);
        Assert.Equal(SubmissionStatus.Finished, result.Status);
        return result;
    }

    [Fact]
    public async Task A_package_in_S3_is_downloaded_once_into_its_content_hash_directory_and_judges_a_submission_to_AC()
    {
        var result = await JudgeAsync("aplusb");

        Assert.Equal(Verdict.AC, result.Verdict);
        Assert.Equal(9, result.Tests.Length);
        var hash = silo.Problems.ContentHash("aplusb");
        Assert.NotNull(hash);
        Assert.Equal(Path.Combine(silo.WorkRoot, "problems", "aplusb", hash, "aplusb"), silo.Problems.Find("aplusb")!.Directory);
        Assert.Equal(AplusbFiles, silo.Requests.Downloads(S3ProblemSilo.Bucket, S3ProblemSilo.Prefix + "aplusb/"));
    }

    [Fact]
    public async Task An_unchanged_package_is_not_downloaded_again()
    {
        await silo.Problems.RefreshAsync();
        var hash = silo.Problems.ContentHash("aplusb");
        var answer = silo.Problems.Find("aplusb")!.Tests[0].AnswerPath;
        var written = File.GetLastWriteTimeUtc(answer);
        var downloads = silo.Requests.Downloads(S3ProblemSilo.Bucket, S3ProblemSilo.Prefix + "aplusb/");
        var listings = silo.Requests.Listings(S3ProblemSilo.Bucket);

        await silo.Problems.RefreshAsync();
        await silo.Problems.RefreshAsync();

        Assert.Equal(listings + 2, silo.Requests.Listings(S3ProblemSilo.Bucket)); // it did ask S3
        Assert.Equal(downloads, silo.Requests.Downloads(S3ProblemSilo.Bucket, S3ProblemSilo.Prefix + "aplusb/"));
        Assert.Equal(hash, silo.Problems.ContentHash("aplusb"));
        Assert.Equal(written, File.GetLastWriteTimeUtc(answer));
    }

    [Fact]
    public async Task A_problem_uploaded_after_start_is_judged_when_a_submission_names_it()
    {
        await silo.UploadAsync("late", Aplusb);
        using var http = new HttpClient { BaseAddress = new Uri(silo.HttpUrl) };

        var response = await http.PostAsJsonAsync("/api/submissions?wait=true&timeout=180",
            new { problem = "late", language = "python3", source = PythonAplusb });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("AC", body.GetProperty("verdict").GetString());
        Assert.Equal("late", body.GetProperty("problem").GetString());
    }

    [Fact]
    public async Task A_changed_package_is_refreshed_and_judged_against_the_new_answers()
    {
        await silo.UploadAsync("changing", Aplusb);
        await silo.Problems.RefreshAsync();
        var first = silo.Problems.ContentHash("changing");
        var before = silo.Problems.Find("changing")!;
        Assert.Equal(Verdict.AC, (await JudgeAsync("changing")).Verdict);

        await silo.PutAsync("changing/data/sample/1.ans", "4\n"); // 1 + 2 is now "4"
        await silo.Problems.RefreshAsync();

        Assert.NotEqual(first, silo.Problems.ContentHash("changing"));
        Assert.Equal("3\n", await File.ReadAllTextAsync(before.Tests[0].AnswerPath)); // what a submission judging since before still reads
        var result = await JudgeAsync("changing");
        Assert.Equal(Verdict.WA, result.Verdict);
        Assert.Equal(("sample/1", Verdict.WA), (result.Tests[0].Name, result.Tests[0].Verdict));
        Assert.Equal(2 * AplusbFiles, silo.Requests.Downloads(S3ProblemSilo.Bucket, S3ProblemSilo.Prefix + "changing/"));
    }

    [Fact]
    public async Task A_malformed_package_is_rejected_naming_the_file_and_the_old_version_keeps_judging()
    {
        await silo.UploadAsync("stable", Aplusb);
        await silo.Problems.RefreshAsync();
        var good = silo.Problems.ContentHash("stable");
        Assert.NotNull(good);

        await silo.PutAsync("stable/problem.yaml", "name: Stable\nlimits:\n  time_limit: -1\n");
        await silo.Problems.RefreshAsync();

        var error = Assert.Single(silo.Problems.Errors, e => e.Problem == "stable");
        Assert.Equal("problem.yaml", error.File);
        Assert.Contains("limits.time_limit", error.Reason);
        Assert.Equal(good, silo.Problems.ContentHash("stable"));
        Assert.Equal(Verdict.AC, (await JudgeAsync("stable")).Verdict);
    }

    [Theory]
    [InlineData("traversal", "../../evil.txt", "has a '..' segment: paths must stay inside the package")]
    [InlineData("absolute", "/evil.txt", "is an absolute path")]
    [InlineData("backslash", "data\\..\\..\\evil.txt", "contains a backslash")]
    public async Task Keys_that_would_leave_the_package_are_rejected_before_anything_is_downloaded(string id, string path, string reason)
    {
        await silo.UploadAsync(id, Aplusb);
        await silo.Problems.RefreshAsync();
        var good = silo.Problems.ContentHash(id);
        Assert.NotNull(good);
        var downloads = silo.Requests.Downloads(S3ProblemSilo.Bucket, $"{S3ProblemSilo.Prefix}{id}/");

        await PutRawAsync($"{S3ProblemSilo.Prefix}{id}/{path}", "pwned");
        Assert.Contains($"{S3ProblemSilo.Prefix}{id}/{path}", await silo.KeysAsync(id + "/")); // stored as it is
        await silo.Problems.RefreshAsync();

        var error = Assert.Single(silo.Problems.Errors, e => e.Problem == id);
        Assert.Equal((path, reason), (error.File, error.Reason));
        Assert.Equal(good, silo.Problems.ContentHash(id)); // the last good version stays
        Assert.Equal(downloads, silo.Requests.Downloads(S3ProblemSilo.Bucket, $"{S3ProblemSilo.Prefix}{id}/"));
        Assert.Empty(Directory.EnumerateFiles(Path.GetDirectoryName(silo.WorkRoot)!, "evil.txt"));
        Assert.Empty(Directory.EnumerateFiles(silo.WorkRoot, "evil.txt", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task A_package_over_the_file_cap_is_rejected_naming_the_setting_and_nothing_is_downloaded()
    {
        await silo.UploadAsync("crowded", Aplusb);
        for (var i = AplusbFiles; i <= S3ProblemSilo.MaxFiles; i++)
            await silo.PutAsync($"crowded/extra/{i}.txt", "x");

        Assert.Null(await silo.Problems.FindAsync("crowded"));

        var error = Assert.Single(silo.Problems.Errors, e => e.Problem == "crowded");
        Assert.Equal($"the package has more than {S3ProblemSilo.MaxFiles} files (Judge:Problems:MaxFiles)", error.Reason);
        Assert.Equal(0, silo.Requests.Downloads(S3ProblemSilo.Bucket, S3ProblemSilo.Prefix + "crowded/"));
    }

    [Fact]
    public async Task A_package_deleted_from_the_bucket_is_no_longer_offered()
    {
        await silo.UploadAsync("fleeting", Aplusb);
        await silo.Problems.RefreshAsync();
        Assert.NotNull(silo.Problems.Find("fleeting"));

        foreach (var key in await silo.KeysAsync("fleeting/"))
            await silo.Uploader.DeleteObjectAsync(S3ProblemSilo.Bucket, key);
        await silo.Problems.RefreshAsync();

        Assert.Null(silo.Problems.Find("fleeting"));
        Assert.DoesNotContain("fleeting", silo.Problems.Problems.Select(p => p.Id));
        Assert.Contains("aplusb", silo.Problems.Problems.Select(p => p.Id));
    }

    /// <summary>PUT of a key exactly as given: the SDK and System.Uri would normalise '..' segments, a careless or hostile
    /// uploader need not. The emulator does not check signatures.</summary>
    private async Task PutRawAsync(string key, string content)
    {
        var escaped = string.Join('/', key.Split('/').Select(Uri.EscapeDataString)).Replace(".", "%2E", StringComparison.Ordinal);
        var uri = new Uri($"{silo.ServiceUrl}/{S3ProblemSilo.Bucket}/{escaped}", new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Put, uri) { Content = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(content)) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
        var response = await http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"PUT {key}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}
