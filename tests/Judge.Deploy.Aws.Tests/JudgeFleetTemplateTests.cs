using System.Text.Json;
using Xunit.Abstractions;

namespace Judge.Deploy.Aws.Tests;

/// <summary>The CloudFormation the CDK app synthesizes: what each resource promises in deploy/README.md.</summary>
public class JudgeFleetTemplateTests(SynthesizedFleet fleet, ITestOutputHelper output) : IClassFixture<SynthesizedFleet>
{
    private JudgeApp App => fleet.Fleet;

    private string Id(Constructs.IConstruct construct) => SynthesizedFleet.LogicalId(construct);

    [Fact]
    public void The_app_synthesizes_every_stack_within_two_minutes()
    {
        output.WriteLine($"synth of JudgeCore, JudgeEks and JudgeEc2 ({JudgeSettings.KnownPools.Count} pools) took {fleet.SynthTime.TotalSeconds:F1} s");
        Assert.Equal(["JudgeCore", "JudgeEks", "JudgeEc2"], fleet.All.Select(t => t.Name));
        Assert.True(fleet.SynthTime < TimeSpan.FromMinutes(2), $"synth took {fleet.SynthTime}"); // about 10 s on an idle 2-core machine, most of it starting jsii
    }

    [Fact]
    public void Submissions_move_to_their_dead_letter_queue_after_the_stated_receive_count()
    {
        var queue = fleet.Core.Resource(Id(App.Core.Queues.Submissions)).GetProperty("Properties");
        var redrive = queue.GetProperty("RedrivePolicy");
        Assert.Equal(Id(App.Core.Queues.SubmissionsDeadLetter) + ".Arn", fleet.Core.Describe(redrive.GetProperty("deadLetterTargetArn")));
        Assert.Equal(App.Settings.MaxReceiveCount, redrive.GetProperty("maxReceiveCount").GetInt32());
        Assert.Equal(20, App.Settings.MaxReceiveCount);
        Assert.Equal(App.Settings.VisibilityTimeoutSeconds, queue.GetProperty("VisibilityTimeout").GetInt32());
        Assert.Equal("judge-submissions", queue.GetProperty("QueueName").GetString());
    }

    [Fact]
    public void A_submission_survives_a_quarter_hour_of_cluster_outage_before_SQS_dead_letters_it()
    {
        // After a failed hand-off the ingress hides the message for 5 s x its receive count, at most 300 s
        // (SqsIngressService.RetryLaterAsync); the last receive is the one after which SQS moves it.
        var maxReceiveCount = fleet.Core.Resource(Id(App.Core.Queues.Submissions))
            .GetProperty("Properties").GetProperty("RedrivePolicy").GetProperty("maxReceiveCount").GetInt32();
        var survived = TimeSpan.FromSeconds(Enumerable.Range(1, maxReceiveCount - 1).Sum(receive => Math.Min(300, 5 * receive)));
        output.WriteLine($"maxReceiveCount {maxReceiveCount}: a message survives {survived} of failed hand-offs");
        Assert.True(survived >= TimeSpan.FromMinutes(15), $"only {survived}");
    }

    [Fact]
    public void Results_have_their_own_dead_letter_queue()
    {
        var redrive = fleet.Core.Resource(Id(App.Core.Queues.Results)).GetProperty("Properties").GetProperty("RedrivePolicy");
        Assert.Equal(Id(App.Core.Queues.ResultsDeadLetter) + ".Arn", fleet.Core.Describe(redrive.GetProperty("deadLetterTargetArn")));
        Assert.Equal(10, redrive.GetProperty("maxReceiveCount").GetInt32());
    }

    [Fact]
    public void Every_queue_is_encrypted_and_refuses_plain_http()
    {
        var queues = fleet.Core.Resources("AWS::SQS::Queue").ToList();
        Assert.Equal(4, queues.Count);
        foreach (var (id, queue) in queues)
        {
            Assert.True(queue.GetProperty("SqsManagedSseEnabled").GetBoolean(), id);
            var policy = fleet.Core.Resources("AWS::SQS::QueuePolicy")
                .Single(p => p.Properties.GetProperty("Queues").EnumerateArray().Any(q => fleet.Core.Describe(q) == id)).Properties;
            AssertOnlyDeniesPlainHttp(policy.GetProperty("PolicyDocument"), "sqs:*");
        }
    }

    [Fact]
    public void Buckets_are_encrypted_private_versioned_and_reachable_over_https_only()
    {
        var template = Amazon.CDK.Assertions.Template.FromStack(App.Core);
        template.ResourceCountIs("AWS::S3::Bucket", 2);
        template.AllResourcesProperties("AWS::S3::Bucket", new Dictionary<string, object>
        {
            ["PublicAccessBlockConfiguration"] = new Dictionary<string, object>
            {
                ["BlockPublicAcls"] = true, ["BlockPublicPolicy"] = true, ["IgnorePublicAcls"] = true, ["RestrictPublicBuckets"] = true,
            },
            ["VersioningConfiguration"] = new Dictionary<string, object> { ["Status"] = "Enabled" },
        });

        var buckets = fleet.Core.Resources("AWS::S3::Bucket").ToList();
        Assert.Equal([Id(App.Core.Buckets.Problems), Id(App.Core.Buckets.Artifacts)], buckets.Select(b => b.Id).Order().Reverse());
        foreach (var (id, bucket) in buckets)
        {
            var encryption = bucket.GetProperty("BucketEncryption").GetProperty("ServerSideEncryptionConfiguration")[0]
                .GetProperty("ServerSideEncryptionByDefault").GetProperty("SSEAlgorithm").GetString();
            Assert.Equal("AES256", encryption);
            var block = bucket.GetProperty("PublicAccessBlockConfiguration");
            foreach (var setting in new[] { "BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets" })
                Assert.True(block.GetProperty(setting).GetBoolean(), $"{id}: {setting}");
            Assert.Equal("Enabled", bucket.GetProperty("VersioningConfiguration").GetProperty("Status").GetString());
            Assert.Equal("Retain", fleet.Core.Resource(id).GetProperty("DeletionPolicy").GetString());
            var policy = fleet.Core.Resources("AWS::S3::BucketPolicy").Single(p => fleet.Core.Describe(p.Properties.GetProperty("Bucket")) == id).Properties;
            AssertOnlyDeniesPlainHttp(policy.GetProperty("PolicyDocument"), "s3:*");
        }
    }

    [Fact]
    public void Database_is_encrypted_private_PostgreSQL_16_with_backups_and_its_password_in_Secrets_Manager()
    {
        var db = fleet.Core.Resources("AWS::RDS::DBInstance").Single().Properties;
        Assert.Equal("postgres", db.GetProperty("Engine").GetString());
        Assert.StartsWith("16.", db.GetProperty("EngineVersion").GetString());
        Assert.True(db.GetProperty("StorageEncrypted").GetBoolean());
        Assert.False(db.GetProperty("PubliclyAccessible").GetBoolean());
        Assert.True(db.GetProperty("BackupRetentionPeriod").GetInt32() >= 7);
        Assert.True(db.GetProperty("DeletionProtection").GetBoolean());
        Assert.Contains("{{resolve:secretsmanager:", fleet.Core.Describe(db.GetProperty("MasterUserPassword")));
        Assert.Equal([Id(App.Core.Network.Database) + ".GroupId"], db.GetProperty("VPCSecurityGroups").EnumerateArray().Select(fleet.Core.Describe));

        // Its subnets are the isolated ones: no route out of the VPC, none in.
        var group = fleet.Core.Resources("AWS::RDS::DBSubnetGroup").Single().Properties;
        var isolated = App.Core.Network.Vpc.IsolatedSubnets.Select(Id).ToHashSet();
        Assert.NotEmpty(isolated);
        Assert.All(group.GetProperty("SubnetIds").EnumerateArray(), s => Assert.Contains(fleet.Core.Describe(s), isolated));
        // They start the VPC's range, so one block covers them (deploy/README.md: a NetworkPolicy's PostgreSQL rule).
        Assert.Equal(["10.60.0.0/24", "10.60.1.0/24"],
            isolated.Select(s => fleet.Core.Resource(s).GetProperty("Properties").GetProperty("CidrBlock").GetString()).Order());
    }

    [Fact]
    public void Security_groups_let_in_exactly_the_listed_traffic()
    {
        var network = App.Core.Network;
        string Sg(Constructs.IConstruct group) => Id(group) + ".GroupId";
        var (lb, silos, ingress, db) = (Sg(network.LoadBalancer), Sg(network.Silos), Sg(network.Ingress), Sg(network.Database));
        var expected = new HashSet<string>
        {
            $"{App.Settings.VpcCidr} -> {lb} tcp 80",
            $"{lb} -> {silos} tcp 8080",
            $"{silos} -> {silos} tcp 11111",
            $"{silos} -> {silos} tcp 30000",
            $"{ingress} -> {silos} tcp 30000",
            $"{silos} -> {db} tcp 5432",
            $"{ingress} -> {db} tcp 5432",
        };
        Assert.Equal(expected.Order(), InboundRules(fleet).Order());

        // The four groups are all there are: the load balancer, launch templates and database use them.
        Assert.Equal(4, fleet.All.Sum(t => t.Resources("AWS::EC2::SecurityGroup").Count()));
        // The load balancer may only talk to the silos' HTTP port; the database talks to nobody.
        var lbEgress = fleet.Core.Resources("AWS::EC2::SecurityGroupEgress").Select(r => r.Properties)
            .Select(e => $"{fleet.Core.Describe(e.GetProperty("GroupId"))} -> {fleet.Core.Describe(e.GetProperty("DestinationSecurityGroupId"))} tcp {e.GetProperty("FromPort")}");
        Assert.Equal([$"{lb} -> {silos} tcp 8080"], lbEgress);
        var dbEgress = fleet.Core.Resource(Id(network.Database)).GetProperty("Properties").GetProperty("SecurityGroupEgress");
        Assert.Equal("255.255.255.255/32", dbEgress.EnumerateArray().Single().GetProperty("CidrIp").GetString()); // CDK's "no egress" marker
    }

    internal static IEnumerable<string> InboundRules(SynthesizedFleet fleet)
    {
        foreach (var template in fleet.All)
        {
            foreach (var (id, group) in template.Resources("AWS::EC2::SecurityGroup"))
                if (group.TryGetProperty("SecurityGroupIngress", out var rules))
                    foreach (var rule in rules.EnumerateArray())
                        yield return Rule(template, rule, id + ".GroupId");
            foreach (var (_, rule) in template.Resources("AWS::EC2::SecurityGroupIngress"))
                yield return Rule(template, rule, template.Describe(rule.GetProperty("GroupId")));
        }
    }

    private static string Rule(CfnTemplate template, JsonElement rule, string target)
    {
        var source = rule.TryGetProperty("CidrIp", out var cidr) ? cidr.GetString() : template.Describe(rule.GetProperty("SourceSecurityGroupId"));
        var (from, to) = (rule.GetProperty("FromPort").GetInt32(), rule.GetProperty("ToPort").GetInt32());
        return $"{source} -> {target} {rule.GetProperty("IpProtocol").GetString()} {(from == to ? from.ToString() : $"{from}-{to}")}";
    }

    [Fact]
    public void Ingress_role_may_do_exactly_what_the_ingress_does()
    {
        var (queue, dlq) = (Id(App.Core.Queues.Submissions) + ".Arn", Id(App.Core.Queues.SubmissionsDeadLetter) + ".Arn");
        string[] expected =
        [
            $"sqs:ReceiveMessage on {queue}", $"sqs:DeleteMessage on {queue}", $"sqs:ChangeMessageVisibility on {queue}",
            $"sqs:GetQueueAttributes on {queue}",
            $"sqs:SendMessage on {dlq}", $"sqs:GetQueueUrl on {dlq}", $"sqs:GetQueueAttributes on {dlq}",
        ];
        Assert.Equal(expected.Order(), fleet.Eks.RolePermissions(Id(App.Eks!.IngressRole)).Order());
        Assert.Equal(expected.Concat(Ec2Host("judge-ingress")).Order(), fleet.Ec2.RolePermissions(Id(App.Ec2!.Ingress.Role)).Order());
    }

    [Fact]
    public void Silo_role_may_read_problems_and_send_results_and_nothing_more()
    {
        Assert.Equal(SiloPermissions().Order(), fleet.Eks.RolePermissions(Id(App.Eks!.SiloRole)).Order());
    }

    [Fact]
    public void Keda_may_only_read_the_submissions_queue_depth()
    {
        Assert.Equal([$"sqs:GetQueueAttributes on {Id(App.Core.Queues.Submissions)}.Arn"], fleet.Eks.RolePermissions(Id(App.Eks!.KedaRole)));
    }

    [Fact]
    public void Each_service_account_role_trusts_only_its_own_service_account()
    {
        var expected = new Dictionary<string, string>
        {
            [Id(App.Eks!.IngressRole)] = "system:serviceaccount:judge:judge-ingress",
            [Id(App.Eks!.SiloRole)] = "system:serviceaccount:judge:judge-silo",
            [Id(App.Eks!.KedaRole)] = "system:serviceaccount:keda:keda-operator",
        };
        Assert.Equal(expected.Keys.Order(), fleet.Eks.Resources("AWS::IAM::Role").Select(r => r.Id).Order());
        foreach (var (id, subject) in expected)
        {
            var statement = fleet.Eks.Resource(id).GetProperty("Properties").GetProperty("AssumeRolePolicyDocument").GetProperty("Statement").EnumerateArray().Single();
            Assert.Equal("sts:AssumeRoleWithWebIdentity", statement.GetProperty("Action").GetString());
            Assert.Equal(SynthesizedFleet.OidcProviderArn, statement.GetProperty("Principal").GetProperty("Federated").GetString());
            var equals = statement.GetProperty("Condition").GetProperty("StringEquals");
            Assert.Equal(subject, equals.GetProperty(SynthesizedFleet.OidcIssuer + ":sub").GetString());
            Assert.Equal("sts.amazonaws.com", equals.GetProperty(SynthesizedFleet.OidcIssuer + ":aud").GetString());
        }
    }

    [Fact]
    public void No_allowed_action_or_resource_is_a_wildcard()
    {
        foreach (var template in fleet.All)
        {
            foreach (var type in new[] { "AWS::IAM::Policy", "AWS::SQS::QueuePolicy", "AWS::S3::BucketPolicy" })
            {
                foreach (var (id, policy) in template.Resources(type))
                {
                    foreach (var statement in policy.GetProperty("PolicyDocument").GetProperty("Statement").EnumerateArray())
                    {
                        if (statement.GetProperty("Effect").GetString() != "Allow")
                            continue;
                        Assert.All(CfnTemplate.Many(statement.GetProperty("Action")), a => Assert.DoesNotContain("*", a.GetString()));
                        // The one exception: AWS offers no resource-level permission for DescribeAutoScalingInstances.
                        if (statement.GetProperty("Action").ToString() != "autoscaling:DescribeAutoScalingInstances")
                            Assert.All(CfnTemplate.Many(statement.GetProperty("Resource")), r => Assert.NotEqual("*", template.Describe(r)));
                        Assert.False(statement.TryGetProperty("Principal", out var principal) && principal.GetRawText().Contains("\"*\""), $"{id} allows everyone");
                    }
                }
            }
        }
    }

    [Fact]
    public void Every_host_group_drains_through_a_termination_hook_longer_than_the_silos_stop()
    {
        Assert.Equal(JudgeSettings.KnownPools.Order(), App.Ec2!.Pools.Keys.Order());
        var hooks = fleet.Ec2.Resources("AWS::AutoScaling::LifecycleHook").ToList();
        Assert.Equal(JudgeSettings.KnownPools.Count + 1, hooks.Count); // every silo pool and the ingress
        foreach (var (name, group) in Hosts())
        {
            var hook = hooks.Single(h => fleet.Ec2.Describe(h.Properties.GetProperty("AutoScalingGroupName")) == Id(group.Group)).Properties;
            Assert.Equal("autoscaling:EC2_INSTANCE_TERMINATING", hook.GetProperty("LifecycleTransition").GetString());
            Assert.Equal("judge-drain", hook.GetProperty("LifecycleHookName").GetString());
            // The silo drains for Judge:Recovery:DrainTimeout, then its host allows 30 s more to leave the cluster.
            var timeout = hook.GetProperty("HeartbeatTimeout").GetInt32();
            Assert.True(timeout >= App.Settings.DrainTimeoutSeconds + 30 + 60, $"{name}: {timeout} s");
            Assert.Equal("CONTINUE", hook.GetProperty("DefaultResult").GetString());
        }
    }

    [Fact]
    public void A_silo_host_may_complete_the_lifecycle_action_of_its_own_group_only()
    {
        foreach (var (pool, group) in App.Ec2!.Pools)
        {
            var name = fleet.Ec2.Resource(Id(group.Group)).GetProperty("Properties").GetProperty("AutoScalingGroupName").GetString();
            Assert.Equal($"judge-silo-{pool}", name);
            Assert.Equal(SiloPermissions().Concat(Ec2Host(name!)).Append($"secretsmanager:GetSecretValue on {Id(App.Ec2.Auth)}").Order(),
                fleet.Ec2.RolePermissions(Id(group.Role)).Order());
        }
    }

    [Fact]
    public void Every_launch_template_boots_Debian_with_its_user_data_script_and_the_tags_it_reads()
    {
        foreach (var (name, group) in Hosts())
        {
            var data = fleet.Ec2.Resource(Id(group.LaunchTemplate)).GetProperty("Properties").GetProperty("LaunchTemplateData");
            Assert.Equal(File.ReadAllText(Path.Combine(SynthesizedFleet.UserDataDirectory, name + ".sh")), fleet.Ec2.Describe(data.GetProperty("UserData")));

            var tags = data.GetProperty("TagSpecifications").EnumerateArray().Single(t => t.GetProperty("ResourceType").GetString() == "instance")
                .GetProperty("Tags").EnumerateArray().ToDictionary(t => t.GetProperty("Key").GetString()!, t => fleet.Ec2.Describe(t.GetProperty("Value")));
            var expected = new Dictionary<string, string>
            {
                ["Name"] = $"JudgeEc2/{group.Node.Id}/LaunchTemplate",
                ["judge:artifact"] = $"s3://{Id(App.Core.Buckets.Artifacts)}/releases/{SynthesizedFleet.Release}",
                ["judge:db-secret"] = Id(App.Core.Database.Instance.Secret!),
                ["judge:cluster-id"] = "judge",
                ["judge:service-id"] = "judge",
                ["judge:lifecycle-hook"] = "judge-drain",
            };
            if (name == "ingress")
            {
                expected["judge:submissions-queue-url"] = Id(App.Core.Queues.Submissions);
            }
            else
            {
                expected["judge:problems-bucket"] = Id(App.Core.Buckets.Problems);
                expected["judge:results-queue-url"] = Id(App.Core.Queues.Results);
                expected["judge:auth-secret"] = Id(App.Ec2!.Auth);
            }
            Assert.Equal(expected.OrderBy(e => e.Key), tags.OrderBy(e => e.Key));

            var metadata = data.GetProperty("MetadataOptions");
            Assert.Equal("required", metadata.GetProperty("HttpTokens").GetString());
            Assert.Equal("enabled", metadata.GetProperty("InstanceMetadataTags").GetString());
            Assert.Equal(1, metadata.GetProperty("HttpPutResponseHopLimit").GetInt32());
            Assert.True(data.GetProperty("BlockDeviceMappings")[0].GetProperty("Ebs").GetProperty("Encrypted").GetBoolean());
            var image = fleet.Ec2.Root.GetProperty("Parameters").GetProperty(fleet.Ec2.Describe(data.GetProperty("ImageId")));
            Assert.Equal("AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>", image.GetProperty("Type").GetString());
            Assert.Equal("/aws/service/debian/release/bookworm/latest/amd64", image.GetProperty("Default").GetString());
        }
    }

    [Fact]
    public void The_silos_auth_secret_holds_the_configured_key_hash_and_a_generated_cookie_secret()
    {
        var secret = fleet.Ec2.Resource(Id(App.Ec2!.Auth)).GetProperty("Properties").GetProperty("GenerateSecretString");
        using var template = JsonDocument.Parse(secret.GetProperty("SecretStringTemplate").GetString()!);
        Assert.Equal(SynthesizedFleet.ApiKeySha256, template.RootElement.GetProperty("apiKeySha256").GetString());
        Assert.Equal("cookieSecret", secret.GetProperty("GenerateStringKey").GetString());
        Assert.True(secret.GetProperty("PasswordLength").GetInt32() >= 32); // Judge:Auth:CookieSecret's minimum
    }

    [Fact]
    public void The_load_balancer_sends_API_traffic_to_ready_silos_of_every_pool()
    {
        var target = fleet.Ec2.Resources("AWS::ElasticLoadBalancingV2::TargetGroup").Single();
        Assert.Equal(8080, target.Properties.GetProperty("Port").GetInt32());
        Assert.Equal("/ready", target.Properties.GetProperty("HealthCheckPath").GetString());
        foreach (var group in App.Ec2!.Pools.Values)
        {
            var groups = fleet.Ec2.Resource(Id(group.Group)).GetProperty("Properties").GetProperty("TargetGroupARNs");
            Assert.Equal([target.Id], groups.EnumerateArray().Select(fleet.Ec2.Describe));
        }
        var balancer = fleet.Ec2.Resources("AWS::ElasticLoadBalancingV2::LoadBalancer").Single().Properties;
        Assert.Equal("internal", balancer.GetProperty("Scheme").GetString()); // judge:apiCidr unset: reachable from the VPC only
    }

    [Fact]
    public void Stacks_output_the_queue_urls_bucket_names_database_endpoint_and_role_arns()
    {
        Assert.Superset(new HashSet<string> { "SubmissionsQueueUrl", "SubmissionsDeadLetterQueueUrl", "ResultsQueueUrl", "ResultsDeadLetterQueueUrl",
            "ProblemsBucketName", "ArtifactsBucketName", "DatabaseEndpoint", "DatabasePort", "DatabaseSecretArn" }, fleet.Core.Outputs.Keys.ToHashSet());
        Assert.Equal(["IngressRoleArn", "KedaRoleArn", "SiloRoleArn"], fleet.Eks.Outputs.Keys.Order());
        Assert.Superset(new HashSet<string> { "IngressRoleArn", "SiloCppRoleArn", "SiloJvmRoleArn", "SiloPythonRoleArn", "SiloAllRoleArn", "AuthSecretArn", "LoadBalancerDns" },
            fleet.Ec2.Outputs.Keys.ToHashSet());
    }

    private IEnumerable<string> SiloPermissions()
    {
        var (bucket, results) = (Id(App.Core.Buckets.Problems) + ".Arn", Id(App.Core.Queues.Results) + ".Arn");
        yield return $"s3:GetObject on {bucket}/*"; // the bucket holds problem packages only (no judge:problemsPrefix)
        yield return $"s3:ListBucket on {bucket}";
        yield return $"sqs:SendMessage on {results}";
    }

    private IEnumerable<string> Ec2Host(string groupName)
    {
        yield return $"secretsmanager:GetSecretValue on {Id(App.Core.Database.Instance.Secret!)}";
        yield return $"s3:GetObject on {Id(App.Core.Buckets.Artifacts)}.Arn/releases/*";
        yield return "autoscaling:DescribeAutoScalingInstances on *";
        yield return $"autoscaling:CompleteLifecycleAction on arn:${{AWS::Partition}}:autoscaling:${{AWS::Region}}:${{AWS::AccountId}}:autoScalingGroup:*:autoScalingGroupName/{groupName}";
    }

    private IEnumerable<(string Name, Resources.JudgeHostGroup Group)> Hosts() =>
        App.Ec2!.Pools.Select(p => (p.Key, p.Value)).Append(("ingress", App.Ec2.Ingress));

    // An enforce-SSL policy: one Deny of every action when aws:SecureTransport is false, and nothing allowed.
    private static void AssertOnlyDeniesPlainHttp(JsonElement document, string allActions)
    {
        var statement = document.GetProperty("Statement").EnumerateArray().Single();
        Assert.Equal("Deny", statement.GetProperty("Effect").GetString());
        Assert.Equal(allActions, statement.GetProperty("Action").GetString());
        Assert.Equal("false", statement.GetProperty("Condition").GetProperty("Bool").GetProperty("aws:SecureTransport").GetString());
    }
}
