using System.Net;
using System.Net.Http.Json;

namespace Judge.Sandbox.IntegrationTests;

/// <summary>
/// The HTTP level of the package suite: the cases of <see cref="SuiteCases.OverHttp"/> (every case of
/// <see cref="PackageSuiteTests"/> but the hostile ones that test only the sandbox; tests/packages/README.md says which), submitted with
/// <c>POST /api/submissions?wait=true</c> to one silo serving every package (<see cref="SuiteHost"/>), as many at once as it
/// has slots, cases with a host effect alone; checked by the same code. The hostile cases attack a judge as production runs
/// it: an unprivileged silo process reaching its sandbox daemon over a Unix socket.
/// </summary>
[Collection(PackageSuiteCollection.Name)]
public class PackageSuiteHttpTests(SuiteHost suite, ITestOutputHelper output)
{
    public static TheoryData<string> Cases => SuiteCases.HttpNames();

    public static TheoryData<string> Refused => PackageSuiteTests.Refused;

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Package_submission_gets_its_expected_judgement_over_http(string name) =>
        SuiteRun.Assert(await suite.Http.ResultAsync(name), suite.Host, output);

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task A_submission_to_a_malformed_package_is_refused_with_its_reason(string package)
    {
        var (_, _, reason) = SuiteCases.Refused.Single(r => r.Package == package);

        using var response = await suite.Silo.Http.PostAsJsonAsync("/api/submissions", new { problem = package, language = "cpp17", source = "int main() {}" });
        var body = await response.Content.ReadAsStringAsync();

        output.WriteLine($"{(int)response.StatusCode} {body}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"problem '{package}' is refused: {reason}", body);
    }
}
