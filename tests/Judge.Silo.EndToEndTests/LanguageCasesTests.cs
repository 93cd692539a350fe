using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Judge.Engine.Verification;

namespace Judge.Silo.EndToEndTests;

/// <summary>A silo judging tests/packages/languages, whose C11 self-test is made to fail (a flag renames main, so it does not link).</summary>
public sealed class LanguagesJudgeServer : JudgeServer
{
    private readonly string scratch = Directory.CreateTempSubdirectory("judge-languages-e2e-").FullName;

    public static string Package => Path.Combine(Repository.Root, "tests", "packages", "languages");

    protected override IEnumerable<string> Arguments
    {
        get
        {
            var root = Path.Combine(scratch, "problems", "languages");
            foreach (var file in Directory.EnumerateFiles(Package, "*", SearchOption.AllDirectories))
            {
                var target = Path.Combine(root, Path.GetRelativePath(Package, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
            }
            return [$"--Judge:Problems:Root={Path.Combine(scratch, "problems")}", $"--Judge:WorkRoot={Path.Combine(scratch, "work")}",
                "--Judge:Languages:c11:Flags=-std=gnu11 -O2 -Dmain=judge_broke_main"];
        }
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(scratch, recursive: true);
    }
}

/// <summary>The cases of tests/packages/languages (the same folders <c>PackageSuiteTests</c> judges through the engine),
/// submitted over HTTP to a real silo: every language's verdict, compile message and per-test verdicts; and the
/// languages a silo does not offer, with why.</summary>
public sealed class LanguageCasesTests(LanguagesJudgeServer server) : IClassFixture<LanguagesJudgeServer>
{
    public static TheoryData<string> Cases => new(
        Directory.EnumerateDirectories(Path.Combine(LanguagesJudgeServer.Package, "submissions"))
            .Where(c => File.Exists(Path.Combine(c, PackageCase.FileName)))
            .Select(Path.GetFileName).Order(StringComparer.Ordinal)!);

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Submission_in_each_language_gets_its_expected_verdict_over_http(string name)
    {
        var expected = PackageCase.Load(Path.Combine(LanguagesJudgeServer.Package, "submissions", name), name);
        var body = JsonSerializer.Serialize(new { problem = "languages", language = expected.Language, source = File.ReadAllText(expected.SourcePath) });
        var (status, submission, _) = await server.PostRawAsync("/api/submissions?wait=true", body);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(expected.Verdict, submission.GetProperty("verdict").GetString());
        if (expected.CompileOutput is { } fragment)
            Assert.Contains(fragment, submission.GetProperty("compileOutput").GetString());
        // Over HTTP a submission stops at its first failure (the engine suite runs all tests): tests after it are SK, and
        // every test that ran got the verdict the case names.
        var tests = submission.GetProperty("tests").EnumerateArray().ToDictionary(t => t.GetProperty("name").GetString()!, t => t.GetProperty("verdict").GetString());
        foreach (var (test, verdict) in expected.Tests)
            Assert.True(tests[test] == verdict || tests[test] == "SK", $"{test}: {tests[test]}, expected {verdict}");
        if (expected.Tests.Count > 0)
            Assert.Contains(expected.Tests, t => t.Value == expected.Verdict && tests[t.Key] == expected.Verdict);
    }

    [Fact]
    public async Task A_language_whose_self_test_fails_is_not_offered_and_the_api_says_why()
    {
        var offered = await server.Http.GetFromJsonAsync<JsonElement>("/api/languages");
        Assert.DoesNotContain("c11", offered.EnumerateArray().Select(l => l.GetProperty("id").GetString()));

        var all = (await server.Http.GetFromJsonAsync<JsonElement>("/api/languages?all=true")).EnumerateArray()
            .ToDictionary(l => l.GetProperty("id").GetString()!);
        Assert.Equal("unavailable", all["c11"].GetProperty("status").GetString());
        Assert.Contains("self-test did not compile", all["c11"].GetProperty("reason").GetString());
        Assert.Contains("undefined reference to `main'", all["c11"].GetProperty("reason").GetString());
        foreach (var id in new[] { "kotlin", "rust", "go", "javascript", "csharp" })
            Assert.Equal("offered", all[id].GetProperty("status").GetString());

        using var bad = await server.Http.GetAsync("/api/languages?all=maybe");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }
}
