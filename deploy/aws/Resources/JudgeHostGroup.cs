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
/// Scaling group, with the termination lifecycle hook that lets a host drain before it goes.</summary>
public sealed class JudgeHostGroup : Construct
{
    /// <summary>The name of the termination hook the host's lifecycle helper completes (deploy/ec2).</summary>
    public const string DrainHookName = "judge-drain";

    public Role Role { get; }

    public LaunchTemplate LaunchTemplate { get; }

    public AutoScalingGroup Group { get; }

    /// <param name="name">The pool (<c>cpp</c>, <c>jvm</c>, <c>python</c>, <c>all</c>) or <c>ingress</c>: also the user-data file's name.</param>
    /// <param name="tags">The instance tags the user-data reads its settings from (deploy/ec2/README.md), through IMDS.</param>
    public JudgeHostGroup(Construct scope, string id, JudgeSettings settings, JudgeNetwork network, string name,
        SecurityGroup securityGroup, InstanceType instanceType, int min, int max, IEnumerable<PolicyStatement> statements,
        IReadOnlyDictionary<string, string> tags) : base(scope, id)
    {
        var groupName = settings.HostGroupName(name);
        Role = new Role(this, "Role", new RoleProps
        {
            Description = $"Judge {name} hosts",
            AssumedBy = new ServicePrincipal("ec2.amazonaws.com"),
        });
        foreach (var statement in statements)
            Role.AddToPolicy(statement);
        // Completing the hook is allowed on this group only. The group's name is fixed (not generated) so that this
        // statement names it without making the role depend on the group that depends on the role.
        Role.AddToPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Effect = Effect.ALLOW,
            Actions = ["autoscaling:CompleteLifecycleAction"],
            Resources = [$"arn:{Amazon.CDK.Aws.PARTITION}:autoscaling:{Amazon.CDK.Aws.REGION}:{Amazon.CDK.Aws.ACCOUNT_ID}:autoScalingGroup:*:autoScalingGroupName/{groupName}"],
        }));

        LaunchTemplate = new LaunchTemplate(this, "LaunchTemplate", new LaunchTemplateProps
        {
            MachineImage = MachineImage.FromSsmParameter(settings.AmiParameter),
            InstanceType = instanceType,
            Role = Role, // the launch template makes the instance profile
            SecurityGroup = securityGroup,
            UserData = UserData.Custom(UserDataScript(settings, name)),
            RequireImdsv2 = true,
            HttpPutResponseHopLimit = 1,
            InstanceMetadataTags = true, // the user-data reads its settings from the instance's tags
            BlockDevices =
            [
                new BlockDevice
                {
                    DeviceName = "/dev/xvda",
                    Volume = BlockDeviceVolume.Ebs(30, new EbsDeviceOptions { Encrypted = true, VolumeType = EbsDeviceVolumeType.GP3 }),
                },
            ],
        });
        foreach (var (key, value) in tags)
            Tags.Of(LaunchTemplate).Add(key, value);

        Group = new AutoScalingGroup(this, "Group", new AutoScalingGroupProps
        {
            AutoScalingGroupName = groupName,
            Vpc = network.Vpc,
            VpcSubnets = new SubnetSelection { SubnetType = SubnetType.PRIVATE_WITH_EGRESS },
            LaunchTemplate = LaunchTemplate,
            MinCapacity = min,
            MaxCapacity = max,
        });

        // Scale-in (and instance refresh) waits here: the host's lifecycle helper sees the Terminating:Wait state,
        // stops the silo (SIGTERM: it drains for Judge:Recovery:DrainTimeout, then leaves the cluster within 30 s
        // more) or the ingress (its hand-offs in flight finish) and completes the action. Should the helper never
        // answer, Auto Scaling goes on after the timeout; unfinished work is then recovered by the other silos as
        // after a crash, and an ingress's unfinished messages come back from SQS.
        Group.AddLifecycleHook("Drain", new BasicLifecycleHookProps
        {
            LifecycleHookName = DrainHookName,
            LifecycleTransition = LifecycleTransition.INSTANCE_TERMINATING,
            HeartbeatTimeout = Duration.Seconds(settings.LifecycleHeartbeatSeconds),
            DefaultResult = DefaultResult.CONTINUE,
        });
    }

    /// <summary>The user-data file of this kind of host, deploy/ec2/user-data/&lt;name&gt;.sh, as it is.</summary>
    private static string UserDataScript(JudgeSettings settings, string name)
    {
        var path = Path.GetFullPath(Path.Combine(settings.UserDataDirectory, name + ".sh"));
        if (!File.Exists(path))
            throw new FileNotFoundException(
                $"The user-data script of '{name}' hosts is missing: {path} (judge:userDataDirectory names its directory)", path);
        var script = File.ReadAllText(path);
        return script.StartsWith("#!", StringComparison.Ordinal)
            ? script
            : throw new InvalidDataException($"{path} must start with an interpreter line (#!/bin/bash) for cloud-init");
    }
}
