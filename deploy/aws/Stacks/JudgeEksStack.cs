using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Constructs;
using Judge.Deploy.Aws.Resources;

namespace Judge.Deploy.Aws.Stacks;

/// <summary>IAM roles for service accounts (IRSA) on an existing EKS cluster: the ingress, the silos and KEDA's operator.</summary>
public sealed class JudgeEksStack : Stack
{
    public Role IngressRole { get; }

    public Role SiloRole { get; }

    public Role KedaRole { get; }

    public JudgeEksStack(Construct scope, string id, JudgeSettings settings, JudgeCoreStack core, IStackProps? props = null)
        : base(scope, id, props)
    {
        IngressRole = ServiceAccountRole("IngressRole", settings, settings.EksNamespace, settings.EksIngressServiceAccount,
            "Judge SQS ingress pods", core.Access.Ingress());
        SiloRole = ServiceAccountRole("SiloRole", settings, settings.EksNamespace, settings.EksSiloServiceAccount,
            "Judge silo pods", core.Access.Silo());
        KedaRole = ServiceAccountRole("KedaRole", settings, settings.KedaNamespace, settings.KedaServiceAccount,
            "KEDA operator: the submissions queue's depth", core.Access.Keda());

        Output("IngressRoleArn", IngressRole.RoleArn, $"eks.amazonaws.com/role-arn of {settings.EksNamespace}/{settings.EksIngressServiceAccount}");
        Output("SiloRoleArn", SiloRole.RoleArn, $"eks.amazonaws.com/role-arn of {settings.EksNamespace}/{settings.EksSiloServiceAccount}");
        Output("KedaRoleArn", KedaRole.RoleArn, $"eks.amazonaws.com/role-arn of {settings.KedaNamespace}/{settings.KedaServiceAccount}");
    }

    // Only the one service account of the one cluster may assume the role, with a token meant for STS.
    private Role ServiceAccountRole(string id, JudgeSettings settings, string ns, string serviceAccount, string description,
        IEnumerable<PolicyStatement> statements)
    {
        var issuer = settings.EksOidcIssuer;
        var role = new Role(this, id, new RoleProps
        {
            Description = description,
            AssumedBy = new FederatedPrincipal(settings.EksOidcProviderArn!, new Dictionary<string, object>
            {
                ["StringEquals"] = new Dictionary<string, object>
                {
                    [$"{issuer}:sub"] = $"system:serviceaccount:{ns}:{serviceAccount}",
                    [$"{issuer}:aud"] = "sts.amazonaws.com",
                },
            }, "sts:AssumeRoleWithWebIdentity"),
        });
        foreach (var statement in statements)
            role.AddToPolicy(statement);
        return role;
    }

    private void Output(string id, string value, string description) =>
        _ = new CfnOutput(this, id, new CfnOutputProps { Value = value, Description = description });
}
