using Judge.Engine.Problems;

namespace Judge.Sandbox.IntegrationTests;

/// <summary>
/// The engine level of the package suite: every case of <see cref="SuiteCases"/> (examples/problems and tests/packages, the
/// hostile cases included) judged through <see cref="Judge.Engine.Judging.SubmissionJudge"/>, the isolating sandbox and the
/// real toolchains, two at a time, cases with a host effect alone. The verdict, and where the package names them the score,
/// messages, signal and single tests' verdicts, must be what it expects (checked by the code <c>verify</c> uses), and the host
/// must show none of the case's effect.
/// </summary>
[Collection(PackageSuiteCollection.Name)]
public class PackageSuiteTests(SuiteHost suite, ITestOutputHelper output)
{
    public static TheoryData<string> Cases => SuiteCases.Names();

    public static TheoryData<string> Refused => new(SuiteCases.Refused.Select(r => r.Package));

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Package_submission_gets_its_expected_judgement(string name) =>
        SuiteRun.Assert(await suite.Engine.ResultAsync(name), suite.Host, output);

    [Theory]
    [MemberData(nameof(Refused))]
    public void Malformed_package_is_refused_naming_the_file_and_key(string package)
    {
        var (_, directory, reason) = SuiteCases.Refused.Single(r => r.Package == package);

        var error = Assert.Throws<ProblemFormatException>(() => ProblemLoader.Load(directory));

        output.WriteLine(error.Message);
        Assert.Contains(reason, error.Message);
    }
}
