using Amazon.CDK;
using Judge.Deploy.Aws.Stacks;

namespace Judge.Deploy.Aws.Tests;

/// <summary>The app's CDK context: defaults, and refusals that name the key to fix.</summary>
public class JudgeSettingsTests
{
    [Fact]
    public void Without_context_only_the_core_stack_is_defined_with_the_documented_defaults()
    {
        var settings = JudgeSettings.FromContext(new App().Node);
        Assert.Equal(new JudgeSettings(), settings);
        Assert.Null(settings.EksOidcProviderArn);
        Assert.Empty(settings.Ec2Pools);
        Assert.Equal(15 + 30 + 120, settings.LifecycleHeartbeatSeconds);
    }

    [Fact]
    public void Invalid_context_is_refused_naming_each_key()
    {
        var app = new App(new AppProps
        {
            Context = new Dictionary<string, object>
            {
                ["judge:maxReceiveCount"] = "1",
                ["judge:ec2Pools"] = "cpp,rust",
                ["judge:problemsPrefix"] = "problems",
                ["judge:eksOidcProviderArn"] = "oidc.eks.eu-west-1.amazonaws.com/id/X",
                ["judge:dbMultiAz"] = "yes",
                ["judge:apiKeySha256"] = "not-a-hash",
            },
        });
        var error = Assert.Throws<ArgumentException>(() => JudgeSettings.FromContext(app.Node));
        foreach (var key in new[] { "judge:maxReceiveCount", "judge:ec2Pools", "judge:problemsPrefix", "judge:eksOidcProviderArn", "judge:dbMultiAz",
                     "judge:release", "judge:apiKeySha256" })
            Assert.Contains(key, error.Message);
    }

    [Fact]
    public void A_missing_user_data_script_stops_the_synth_naming_the_file_and_the_key()
    {
        var empty = Directory.CreateTempSubdirectory("judge-user-data-").FullName;
        try
        {
            var context = SynthesizedFleet.Context(empty);
            context["judge:ec2Pools"] = "python";
            var app = new App(new AppProps { Context = context });
            var error = Assert.Throws<FileNotFoundException>(() => JudgeApp.Define(app));
            Assert.Contains(Path.Combine(empty, "python.sh"), error.Message);
            Assert.Contains("judge:userDataDirectory", error.Message);
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }
}
