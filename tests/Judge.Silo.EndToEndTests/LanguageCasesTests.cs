using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

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

/// <summary>The languages a silo does not offer, with why (the cases of tests/packages/languages are judged over HTTP by the
/// package suite, tests/Judge.Sandbox.IntegrationTests/PackageSuiteHttpTests.cs).</summary>
public sealed class LanguageCasesTests(LanguagesJudgeServer server) : IClassFixture<LanguagesJudgeServer>
{
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
