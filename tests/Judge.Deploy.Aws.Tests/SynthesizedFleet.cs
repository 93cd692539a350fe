using System.Diagnostics;
using System.Text.Json;
using Amazon.CDK;

namespace Judge.Deploy.Aws.Tests;

/// <summary>The CDK app of deploy/aws synthesized once for a test class, with every stack defined: all the silo pools on
/// EC2 (their user-data read from deploy/ec2/user-data) and the EKS roles for an example OIDC provider.</summary>
public class SynthesizedFleet : IDisposable
{
    public const string OidcProviderArn = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";

    public const string Release = "judge-1.0.0.tar.gz";

    public const string ApiKeySha256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    public const string OidcIssuer = "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";

    private readonly string outdir = Directory.CreateTempSubdirectory("judge-cdk-").FullName;

    public SynthesizedFleet() : this(new Dictionary<string, object>())
    {
    }

    /// <param name="extra">Context on top of <see cref="Context"/>.</param>
    protected SynthesizedFleet(IReadOnlyDictionary<string, object> extra)
    {
        var watch = Stopwatch.StartNew();
        var context = Context(UserDataDirectory);
        foreach (var (key, value) in extra)
            context[key] = value;
        var app = new App(new AppProps { Context = context, Outdir = outdir });
        Fleet = JudgeApp.Define(app);
        var assembly = app.Synth();
        SynthTime = watch.Elapsed;

        var templates = Templates(assembly);
        Core = templates["JudgeCore"];
        Eks = templates["JudgeEks"];
        Ec2 = templates["JudgeEc2"];
        All = [Core, Eks, Ec2];
    }

    /// <summary>The templates of a synthesized app by stack name, each resolving imports through the others' exports.</summary>
    internal static IReadOnlyDictionary<string, CfnTemplate> Templates(Amazon.CDK.CXAPI.CloudAssembly assembly)
    {
        var templates = new Dictionary<string, CfnTemplate>();
        JsonElement? Import(string name) => templates.Values.Select(t => t.Export(name)).FirstOrDefault(e => e is not null);
        foreach (var stack in assembly.Stacks)
        {
            using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(assembly.Directory, stack.TemplateFile)));
            templates[stack.StackName] = new CfnTemplate(stack.StackName, json.RootElement.Clone(), Import);
        }
        return templates;
    }

    public static string UserDataDirectory => Path.Combine(Repository.Root, "deploy", "ec2", "user-data");

    /// <summary>The context of deploy/aws/cdk.json (what <c>cdk synth</c> passes) plus what defines every stack.</summary>
    public static Dictionary<string, object> Context(string userDataDirectory)
    {
        var context = new Dictionary<string, object>();
        using (var cdkJson = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repository.Root, "deploy", "aws", "cdk.json"))))
            foreach (var entry in cdkJson.RootElement.GetProperty("context").EnumerateObject())
                context[entry.Name] = entry.Value.ValueKind == JsonValueKind.String ? entry.Value.GetString()! : entry.Value.GetRawText();
        context["judge:ec2Pools"] = string.Join(",", JudgeSettings.KnownPools);
        context["judge:eksOidcProviderArn"] = OidcProviderArn;
        context["judge:userDataDirectory"] = userDataDirectory;
        context["judge:release"] = Release;
        context["judge:apiKeySha256"] = ApiKeySha256;
        return context;
    }

    public JudgeApp Fleet { get; }

    public TimeSpan SynthTime { get; }

    internal CfnTemplate Core { get; }

    internal CfnTemplate Eks { get; }

    internal CfnTemplate Ec2 { get; }

    internal IReadOnlyList<CfnTemplate> All { get; }

    /// <summary>The logical id of a construct's CloudFormation resource in its stack.</summary>
    public static string LogicalId(Constructs.IConstruct construct)
    {
        var resource = (CfnElement)(construct is CfnElement element ? element : construct.Node.DefaultChild!);
        return Stack.Of(construct).GetLogicalId(resource);
    }

    public void Dispose()
    {
        GC.SuppressFinalize(this);
        try
        {
            Directory.Delete(outdir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
