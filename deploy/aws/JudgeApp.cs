using Amazon.CDK;
using Judge.Deploy.Aws.Stacks;

namespace Judge.Deploy.Aws;

/// <summary>The stacks of a Judge fleet: JudgeCore always, JudgeEks and JudgeEc2 when their context is given.</summary>
public sealed record JudgeApp(JudgeSettings Settings, JudgeCoreStack Core, JudgeEksStack? Eks, JudgeEc2Stack? Ec2)
{
    /// <summary>Defines the stacks in <paramref name="app"/> from its context.</summary>
    public static JudgeApp Define(App app)
    {
        var settings = JudgeSettings.FromContext(app.Node);
        // Account and region from the CLI's profile (cdk deploy), so the stacks are environment-specific.
        var props = new StackProps
        {
            Env = new Amazon.CDK.Environment
            {
                Account = System.Environment.GetEnvironmentVariable("CDK_DEFAULT_ACCOUNT"),
                Region = System.Environment.GetEnvironmentVariable("CDK_DEFAULT_REGION"),
            },
        };
        var core = new JudgeCoreStack(app, "JudgeCore", settings, props);
        var eks = settings.EksOidcProviderArn is null ? null : new JudgeEksStack(app, "JudgeEks", settings, core, props);
        var ec2 = settings.Ec2Pools.Count == 0 ? null : new JudgeEc2Stack(app, "JudgeEc2", settings, core, props);
        return new JudgeApp(settings, core, eks, ec2);
    }
}
