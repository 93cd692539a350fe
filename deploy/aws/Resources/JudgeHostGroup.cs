using System.Text;
using Amazon.CDK;
using Amazon.CDK.AWS.AutoScaling;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.IAM;
using Constructs;
using BlockDevice = Amazon.CDK.AWS.EC2.BlockDevice;
using BlockDeviceVolume = Amazon.CDK.AWS.EC2.BlockDeviceVolume;
using EbsDeviceOptions = Amazon.CDK.AWS.EC2.EbsDeviceOptions;
using EbsDeviceVolumeType = Amazon.CDK.AWS.EC2.EbsDeviceVolumeType;
using InstanceType = Amazon.CDK.AWS.EC2.InstanceType;

namespace Judge.Deploy.Aws.Resources;

/// <summary>One kind of EC2 host (a silo pool, or the ingress): its instance role and profile, launch template and Auto
/// Scaling group; for silos, the termination lifecycle hook that lets a host drain before it goes.</summary>
public sealed class JudgeHostGroup : Construct
{
    /// <summary>The name of the termination hook the host's lifecycle helper completes (deploy/ec2).</summary>
    public const string DrainHookName = "judge-drain";

    public Role Role { get; }

    public LaunchTemplate LaunchTemplate { get; }

    public AutoScalingGroup Group { get; }

    /// <param name="name">The pool (<c>cpp</c>, <c>jvm</c>, <c>python</c>, <c>all</c>) or <c>ingress</c>: also the user-data file's name.</param>
    /// <param name="environment">Variables exported to the user-data script, before its own first command.</param>
    public JudgeHostGroup(Construct scope, string id, JudgeSettings settings, JudgeNetwork network, string name, bool drains,
        SecurityGroup securityGroup, InstanceType instanceType, int min, int max, IEnumerable<PolicyStatement> statements,
        IReadOnlyDictionary<string, string> environment) : base(scope, id)
    {
        var groupName = name == "ingress" ? $"{settings.Prefix}-ingress" : settings.SiloGroupName(name);
        Role = new Role(this, "Role", new RoleProps
        {
            Description = $"Judge {name} hosts",
            AssumedBy = new ServicePrincipal("ec2.amazonaws.com"),
        });
        foreach (var statement in statements)
            Role.AddToPolicy(statement);

        var variables = new Dictionary<string, string>(environment) { ["JUDGE_ASG_NAME"] = groupName };
        if (drains)
        {
            variables["JUDGE_LIFECYCLE_HOOK"] = DrainHookName;
            // Completing the hook is allowed on this group only. The group's name is fixed (not generated) so that this
            // statement names it without making the role depend on the group that depends on the role.
            Role.AddToPolicy(new PolicyStatement(new PolicyStatementProps
            {
                Effect = Effect.ALLOW,
                Actions = ["autoscaling:CompleteLifecycleAction"],
                Resources = [$"arn:{Amazon.CDK.Aws.PARTITION}:autoscaling:{Amazon.CDK.Aws.REGION}:{Amazon.CDK.Aws.ACCOUNT_ID}:autoScalingGroup:*:autoScalingGroupName/{groupName}"],
            }));
        }

        LaunchTemplate = new LaunchTemplate(this, "LaunchTemplate", new LaunchTemplateProps
        {
            MachineImage = MachineImage.FromSsmParameter(settings.AmiParameter),
            InstanceType = instanceType,
            Role = Role, // the launch template makes the instance profile
            SecurityGroup = securityGroup,
            UserData = UserData.Custom(UserDataScript(settings, name, variables)),
            RequireImdsv2 = true,
            HttpPutResponseHopLimit = 1,
            BlockDevices =
            [
                new BlockDevice
                {
                    DeviceName = "/dev/xvda",
                    Volume = BlockDeviceVolume.Ebs(30, new EbsDeviceOptions { Encrypted = true, VolumeType = EbsDeviceVolumeType.GP3 }),
                },
            ],
        });

        Group = new AutoScalingGroup(this, "Group", new AutoScalingGroupProps
        {
            AutoScalingGroupName = groupName,
            Vpc = network.Vpc,
            VpcSubnets = new SubnetSelection { SubnetType = SubnetType.PRIVATE_WITH_EGRESS },
            LaunchTemplate = LaunchTemplate,
            MinCapacity = min,
            MaxCapacity = max,
        });

        if (drains)
        {
            // Scale-in (and instance refresh) waits here: the host's lifecycle helper sees the Terminating:Wait state,
            // stops the silo (SIGTERM: it drains for Judge:Recovery:DrainTimeout, then leaves the cluster within 30 s
            // more) and completes the action. Should the helper never answer, Auto Scaling goes on after the timeout;
            // unfinished work is then recovered by the other silos as after a crash.
            Group.AddLifecycleHook("Drain", new BasicLifecycleHookProps
            {
                LifecycleHookName = DrainHookName,
                LifecycleTransition = LifecycleTransition.INSTANCE_TERMINATING,
                HeartbeatTimeout = Duration.Seconds(settings.LifecycleHeartbeatSeconds),
                DefaultResult = DefaultResult.CONTINUE,
            });
        }
    }

    /// <summary>The user-data file of this kind of host (deploy/ec2/user-data/&lt;name&gt;.sh) with the stack's facts
    /// exported right after its first line (the interpreter line).</summary>
    private static string UserDataScript(JudgeSettings settings, string name, IReadOnlyDictionary<string, string> variables)
    {
        var path = Path.GetFullPath(Path.Combine(settings.UserDataDirectory, name + ".sh"));
        if (!File.Exists(path))
            throw new FileNotFoundException(
                $"The user-data script of '{name}' hosts is missing: {path} (judge:userDataDirectory names its directory)", path);
        var script = File.ReadAllText(path);
        var newline = script.IndexOf('\n');
        if (!script.StartsWith("#!", StringComparison.Ordinal) || newline < 0)
            throw new InvalidDataException($"{path} must start with an interpreter line (#!/bin/bash) for cloud-init");

        var text = new StringBuilder(script[..(newline + 1)]);
        text.Append("# Set by deploy/aws (the JudgeEc2 stack) for this Auto Scaling group\n");
        foreach (var (key, value) in variables.OrderBy(v => v.Key, StringComparer.Ordinal))
            text.Append("export ").Append(key).Append("='").Append(value).Append("'\n");
        return text.Append(script[(newline + 1)..]).ToString();
    }
}
