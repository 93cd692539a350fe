using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Judge.Grains.Options;
using Judge.Silo.Database;
using Judge.Silo.Options;
using Microsoft.Extensions.Hosting;

namespace Judge.Deploy.Tests;

/// <summary>What the rendered manifests of deploy/k8s promise (deploy/k8s/README.md): the silo process without privileges or
/// token, the sandbox sidecar with exactly the capabilities it needs, Orleans' Kubernetes hosting wired, probes, grace
/// period, budgets, scaling, secrets and network rules.</summary>
[Collection(RenderedManifestsCollection.Name)]
public partial class KubernetesManifestTests(RenderedManifests manifests)
{
    /// <summary>The capabilities of the sandbox daemon (the issue 12 contract; deploy/sandbox/README.md says why each).</summary>
    private static readonly string[] SandboxCapabilities =
        ["SYS_ADMIN", "SETUID", "SETGID", "SETPCAP", "CHOWN", "FOWNER", "DAC_OVERRIDE", "KILL", "SYS_CHROOT"];

    /// <summary>The sizing rule of deploy/k8s/README.md: one slot per vCPU, 1.5 GiB per slot in the sandbox container.</summary>
    private const double VcpuPerSlot = 1;
    private const long SandboxBytesPerSlot = 1536L * 1024 * 1024;

    private RenderedManifests.Rendering Eks => manifests.Eks;

    /// <summary>The files of deploy/k8s, relative to deploy/: all checked here (Every_manifest_file_is_part_of_a_kustomization).</summary>
    public static IEnumerable<string> Files
    {
        get
        {
            var files = Directory.EnumerateFiles(RenderedManifests.Source, "*", SearchOption.AllDirectories)
                .Select(f => "k8s/" + Path.GetRelativePath(RenderedManifests.Source, f).Replace('\\', '/')).ToList();
            var ignored = Tools.GitIgnored(files.Select(f => "deploy/" + f));
            return files.Where(f => !ignored.Contains("deploy/" + f));
        }
    }

    private static bool GitIgnored(string relativeToDeploy) => Tools.GitIgnored(["deploy/" + relativeToDeploy]).Count == 1;

    private static JsonObject Container(JsonObject pod, string name, string list = "containers") =>
        pod[list].Items().SingleOrDefault(c => c["name"].Text() == name) ?? throw new Xunit.Sdk.XunitException($"no {list} entry {name}");

    private static Dictionary<string, JsonObject> Env(JsonObject container) =>
        container["env"].Items().ToDictionary(e => e["name"].Text()!, e => e);

    private static JsonObject PodTemplate(JsonObject deployment) => (JsonObject)deployment["spec"]!["template"]!;

    private static JsonObject PodSpec(JsonObject deployment) => (JsonObject)PodTemplate(deployment)["spec"]!;

    private static int Slots(JsonObject deployment) =>
        int.Parse(Env(Container(PodSpec(deployment), "silo"))["Judge__Slots"]["value"].Text()!, CultureInfo.InvariantCulture);

    [Fact]
    public void Every_pool_of_the_images_has_its_silo_Deployment_with_its_own_image()
    {
        var pools = DockerImageTests.Pools;
        var deployments = RenderedManifests.SiloDeployments(Eks).ToList();
        Assert.Equal(pools.Select(p => "judge-silo-" + p).Order(), deployments.Select(d => d["metadata"]!["name"].Text()!).Order());
        foreach (var pool in pools)
        {
            var pod = PodSpec(Eks.Get("Deployment", "judge-silo-" + pool));
            var images = new[] { Container(pod, "sandbox", "initContainers"), Container(pod, "silo") }.Select(c => c["image"].Text()!).ToList();
            Assert.All(images, image => Assert.Matches($"/judge-silo-{pool}:[0-9]", image));
            Assert.Single(images.Distinct());
        }
    }

    [Fact]
    public void Every_silo_process_runs_without_root_capabilities_or_token()
    {
        foreach (var deployment in RenderedManifests.SiloDeployments(Eks))
        {
            var pod = PodSpec(deployment);
            var security = Container(pod, "silo")["securityContext"]!;
            Assert.Equal("10001", security["runAsUser"].Text());
            Assert.Equal("10001", security["runAsGroup"].Text());
            Assert.Equal("true", security["runAsNonRoot"].Text());
            Assert.Equal("false", security["allowPrivilegeEscalation"].Text());
            Assert.Equal("false", security["privileged"].Text());
            Assert.Equal("true", security["readOnlyRootFilesystem"].Text());
            Assert.Equal(["ALL"], security["capabilities"]!["drop"].Strings());
            Assert.Null(security["capabilities"]!["add"]);
            Assert.Equal("RuntimeDefault", security["seccompProfile"]!["type"].Text());
            Assert.Equal(["silo"], Container(pod, "silo")["args"].Strings());
        }
    }

    [Fact]
    public void Only_the_silo_container_gets_a_Kubernetes_token_and_only_for_Orleans_hosting()
    {
        foreach (var rendering in manifests.Renderings.Values)
        {
            foreach (var account in rendering.OfKind("ServiceAccount"))
                Assert.Equal("false", account["automountServiceAccountToken"].Text());
            foreach (var (owner, pod) in RenderedManifests.PodSpecs(rendering))
            {
                Assert.True(pod["automountServiceAccountToken"].Text() == "false", $"{rendering.Name} {owner} mounts a token");
                var tokenVolumes = pod["volumes"].Items()
                    .Where(v => v["projected"]?["sources"].Items().Any(s => s["serviceAccountToken"] is not null) == true)
                    .Select(v => v["name"].Text()).ToHashSet();
                var mounting = pod["containers"].Items().Concat(pod["initContainers"].Items())
                    .Where(c => c["volumeMounts"].Items().Any(m => tokenVolumes.Contains(m["name"].Text())))
                    .Select(c => c["name"].Text()).ToList();
                var isSilo = owner.StartsWith("Deployment/judge-silo-", StringComparison.Ordinal);
                Assert.Equal(isSilo ? ["silo"] : [], mounting);
                if (isSilo)
                {
                    Assert.Equal("judge-silo", pod["serviceAccountName"].Text());
                    var mount = Container(pod, "silo")["volumeMounts"].Items().Single(m => tokenVolumes.Contains(m["name"].Text()));
                    Assert.Equal("/var/run/secrets/kubernetes.io/serviceaccount", mount["mountPath"].Text());
                }
            }
        }
    }

    [Fact]
    public void Orleans_Kubernetes_hosting_may_read_watch_and_label_pods_and_nothing_else()
    {
        var role = Eks.Get("Role", "judge-orleans-hosting");
        var rule = Assert.Single(role["rules"].Items());
        Assert.Equal([""], rule["apiGroups"].Strings());
        Assert.Equal(["pods"], rule["resources"].Strings());
        Assert.Equal(["get", "list", "patch", "watch"], rule["verbs"].Strings().Order());
        var binding = Eks.Get("RoleBinding", "judge-orleans-hosting");
        Assert.Equal("judge-orleans-hosting", binding["roleRef"]!["name"].Text());
        var subject = Assert.Single(binding["subjects"].Items());
        Assert.Equal(("ServiceAccount", "judge-silo", "judge"), (subject["kind"].Text(), subject["name"].Text(), subject["namespace"].Text()));
        Assert.Empty(Eks.OfKind("ClusterRole"));
        Assert.Empty(Eks.OfKind("ClusterRoleBinding"));
    }

    [Fact]
    public void The_sandbox_sidecar_gets_exactly_the_capabilities_the_daemon_needs()
    {
        var documented = File.ReadAllText(Path.Combine(Repository.Root, "deploy", "sandbox", "README.md"));
        foreach (var deployment in RenderedManifests.SiloDeployments(Eks))
        {
            var pod = PodSpec(deployment);
            var sandbox = Container(pod, "sandbox", "initContainers");
            Assert.Equal("Always", sandbox["restartPolicy"].Text()); // a native sidecar
            Assert.Equal("sandbox", sandbox["args"].Strings()[0]);
            var security = sandbox["securityContext"]!;
            Assert.Equal("false", security["privileged"].Text());
            Assert.Equal("0", security["runAsUser"].Text());
            Assert.Equal("true", security["readOnlyRootFilesystem"].Text());
            Assert.Equal(["ALL"], security["capabilities"]!["drop"].Strings());
            Assert.Equal(SandboxCapabilities.Order(), security["capabilities"]!["add"].Strings().Order());
            Assert.Equal("Unconfined", security["seccompProfile"]!["type"].Text());
            Assert.Equal("Unconfined", security["appArmorProfile"]!["type"].Text());
            Assert.All(SandboxCapabilities, cap => Assert.Contains("CAP_" + cap, documented));
            Assert.Single(pod["containers"].Items()); // the silo; nothing else runs beside the daemon
            Assert.Single(pod["initContainers"].Items());

            // The daemon's socket and work root are shared with the silo through the same volumes.
            var mounts = (string name, JsonObject c) => c["volumeMounts"].Items().Single(m => m["mountPath"].Text() == name)["name"].Text();
            foreach (var path in new[] { "/run/judge", "/var/lib/judge" })
                Assert.Equal(mounts(path, sandbox), mounts(path, Container(pod, "silo")));
            Assert.Equal("false", pod["hostNetwork"].Text());
            Assert.Equal("false", pod["hostPID"].Text());
            Assert.Equal("false", pod["hostIPC"].Text());
            Assert.Equal("false", pod["enableServiceLinks"].Text());
        }
    }

    [Fact]
    public void Every_silo_wires_Orleans_Kubernetes_hosting_with_the_pod_facts_and_labels()
    {
        var cluster = new JudgeClusterOptions();
        foreach (var deployment in RenderedManifests.SiloDeployments(Eks))
        {
            var env = Env(Container(PodSpec(deployment), "silo"));
            Assert.Equal("metadata.name", env["POD_NAME"]["valueFrom"]!["fieldRef"]!["fieldPath"].Text());
            Assert.Equal("metadata.namespace", env["POD_NAMESPACE"]["valueFrom"]!["fieldRef"]!["fieldPath"].Text());
            Assert.Equal("status.podIP", env["POD_IP"]["valueFrom"]!["fieldRef"]!["fieldPath"].Text());
            Assert.Equal("true", env["Judge__Kubernetes__Enabled"]["value"].Text());
            Assert.Equal("/run/judge/sandbox.sock", env["Judge__Sandbox__Socket"]["value"].Text());
            Assert.Equal("/var/lib/judge/work", env["Judge__WorkRoot"]["value"].Text());
            var labels = PodTemplate(deployment)["metadata"]!["labels"].Map();
            Assert.Equal(cluster.ServiceId, labels["orleans/serviceId"]);
            Assert.Equal(cluster.ClusterId, labels["orleans/clusterId"]);
            var ports = Container(PodSpec(deployment), "silo")["ports"].Items().Select(p => p["containerPort"].Text()).ToList();
            Assert.Equal([cluster.SiloPort.ToString(), cluster.GatewayPort.ToString(), "8080"], ports.Order());
        }
    }

    [Fact]
    public void Silos_and_the_ingress_are_probed_on_health_and_ready()
    {
        var containers = RenderedManifests.SiloDeployments(Eks).Select(d => Container(PodSpec(d), "silo"))
            .Append(Container(PodSpec(Eks.Get("Deployment", "judge-ingress")), "ingress"));
        foreach (var container in containers)
        {
            Assert.Equal("/health", container["livenessProbe"]!["httpGet"]!["path"].Text());
            Assert.Equal("/ready", container["readinessProbe"]!["httpGet"]!["path"].Text());
            var startup = container["startupProbe"]!;
            Assert.Equal("/health", startup["httpGet"]!["path"].Text());
            var patience = int.Parse(startup["periodSeconds"].Text()!) * int.Parse(startup["failureThreshold"].Text()!);
            Assert.True(patience >= 120, $"{container["name"]}: the startup probe gives up after {patience} s; the toolchain probe needs minutes on a busy node");
        }
    }

    [Fact]
    public void The_grace_period_outlasts_the_drain_and_the_silo_stop()
    {
        var config = Eks.OfKind("ConfigMap").Single(c => c["metadata"]!["name"].Text()!.StartsWith("judge-config", StringComparison.Ordinal));
        var drain = config["data"].Map().TryGetValue("Judge__Recovery__DrainTimeout", out var text)
            ? TimeSpan.Parse(text, CultureInfo.InvariantCulture)
            : new RecoveryOptions().DrainTimeout;
        var stop = drain + JudgeSiloHostingExtensions.SiloStopMargin;
        foreach (var deployment in RenderedManifests.SiloDeployments(Eks))
        {
            var grace = TimeSpan.FromSeconds(int.Parse(PodSpec(deployment)["terminationGracePeriodSeconds"].Text()!));
            Assert.True(grace >= stop + TimeSpan.FromSeconds(10),
                $"{deployment["metadata"]!["name"]}: terminationGracePeriodSeconds {grace.TotalSeconds} s must exceed the drain ({drain.TotalSeconds} s) plus the silo's stop margin ({JudgeSiloHostingExtensions.SiloStopMargin.TotalSeconds} s) with room to spare");
        }
    }

    [Fact]
    public void Pod_resources_follow_the_slots()
    {
        foreach (var deployment in RenderedManifests.SiloDeployments(Eks))
        {
            var pod = PodSpec(deployment);
            var slots = Slots(deployment);
            var sandbox = Container(pod, "sandbox", "initContainers");
            foreach (var container in new[] { sandbox, Container(pod, "silo") })
                Assert.Equal(container["resources"]!["limits"]!.ToJsonString(), container["resources"]!["requests"]!.ToJsonString());
            var resources = sandbox["resources"]!["limits"]!;
            Assert.Equal(slots * VcpuPerSlot, Cpu(resources["cpu"].Text()!));
            Assert.Equal(slots * SandboxBytesPerSlot, Bytes(resources["memory"].Text()!));
            // Environments kept ready by the daemon: Judge:Sandbox:Pool's default, 3 per slot + 1.
            var args = sandbox["args"].Strings();
            Assert.Equal((3 * slots + 1).ToString(), args[args.IndexOf("--pool") + 1]);
        }
    }

    [Fact]
    public void Every_pool_has_a_disruption_budget_for_its_pods()
    {
        foreach (var deployment in RenderedManifests.SiloDeployments(Eks).Append(Eks.Get("Deployment", "judge-ingress")))
        {
            var name = deployment["metadata"]!["name"].Text()!;
            var budget = Eks.Get("PodDisruptionBudget", name);
            Assert.Equal("1", budget["spec"]!["maxUnavailable"].Text());
            var selector = budget["spec"]!["selector"]!["matchLabels"].Map();
            Assert.Equal(deployment["spec"]!["selector"]!["matchLabels"].Map(), selector);
            // selects this pool's pods and no other Deployment's
            var labels = PodTemplate(deployment)["metadata"]!["labels"].Map();
            Assert.All(selector, l => Assert.Equal(l.Value, labels[l.Key]));
            foreach (var other in Eks.OfKind("Deployment").Where(d => d != deployment))
                Assert.False(selector.All(l => PodTemplate(other)["metadata"]!["labels"].Map().GetValueOrDefault(l.Key) == l.Value),
                    $"the budget of {name} also selects {other["metadata"]!["name"]}");
        }
    }

    [Fact]
    public void Every_pool_scales_on_the_backlog_of_exactly_its_own_languages()
    {
        var poolLanguages = DockerImageTests.PoolLanguages();
        var authentications = Eks.OfKind("TriggerAuthentication").ToDictionary(a => a["metadata"]!["name"].Text()!);
        var scaled = Eks.OfKind("ScaledObject").ToList();
        var deployments = RenderedManifests.SiloDeployments(Eks).ToList();
        Assert.Equal(deployments.Count + 1, scaled.Count); // and the ingress's
        var api = Eks.Get("Service", "judge-api");
        var apiHost = $"judge-api.{api["metadata"]!["namespace"].Text()}.svc.cluster.local";
        Assert.Equal("80", Assert.Single(api["spec"]!["ports"].Items())["port"].Text());
        foreach (var deployment in deployments)
        {
            var name = deployment["metadata"]!["name"].Text()!;
            var pool = name["judge-silo-".Length..];
            var scaler = Assert.Single(scaled, s => s["spec"]!["scaleTargetRef"]!["name"].Text() == name);
            Assert.True(int.Parse(scaler["spec"]!["minReplicaCount"].Text()!) >= 1, $"{name} may scale to zero: its languages would have no silo");
            Assert.True(int.Parse(scaler["spec"]!["maxReplicaCount"].Text()!) > int.Parse(scaler["spec"]!["minReplicaCount"].Text()!));
            Assert.Null(deployment["spec"]!["replicas"]); // KEDA owns the replicas; an apply must not reset them
            var trigger = Assert.Single(scaler["spec"]!["triggers"].Items());
            Assert.Equal("metrics-api", trigger["type"].Text());
            var metadata = trigger["metadata"].Map();
            var url = new Uri(metadata["url"]);
            Assert.Equal(("http", apiHost, "/api/cluster/backlog"), (url.Scheme, url.Host, url.AbsolutePath));
            var query = System.Web.HttpUtility.ParseQueryString(url.Query);
            Assert.Equal(["languages"], query.AllKeys.Select(k => k ?? "(none)"));
            var languages = query["languages"]!.Split(',');
            Assert.True(languages.Order().SequenceEqual(poolLanguages[pool].Order()),
                $"{name} scales on the backlog of {string.Join(",", languages)}, but its image offers {string.Join(",", poolLanguages[pool])}");
            Assert.Equal("total", metadata["valueLocation"]);
            Assert.Equal("json", metadata["format"]);
            Assert.Equal((2 * Slots(deployment)).ToString(), metadata["targetValue"]);
            // GET /api/cluster/backlog needs a key with the read scope: KEDA sends one from a Secret, as a bearer token
            Assert.Equal("bearer", metadata["authMode"]);
            var authentication = authentications[trigger["authenticationRef"]!["name"].Text()!];
            var secret = Assert.Single(authentication["spec"]!["secretTargetRef"].Items());
            Assert.Equal(("token", "judge-keda-api-key", "token"), (secret["parameter"].Text(), secret["name"].Text(), secret["key"].Text()));
        }
        Assert.Equal(LanguageIdsOf(poolLanguages), Judge.Interfaces.LanguageIds.All.Order());
        Assert.Contains("Scale-in is safe", File.ReadAllText(Path.Combine(RenderedManifests.Source, "base", "silo", "scaledobject.yaml")));
        Assert.Contains("judge-keda-api-key", File.ReadAllText(Path.Combine(RenderedManifests.Source, "README.md")));
    }

    private static List<string> LanguageIdsOf(IReadOnlyDictionary<string, IReadOnlyList<string>> pools) => pools.Values.SelectMany(l => l).Distinct().Order().ToList();

    [Fact]
    public void The_ingress_scales_on_the_submissions_queue_it_reads()
    {
        var settings = RenderedManifests.EksSettings;
        var deployment = Eks.Get("Deployment", "judge-ingress");
        Assert.Null(deployment["spec"]!["replicas"]); // KEDA owns the replicas
        var scaler = Eks.Get("ScaledObject", "judge-ingress");
        Assert.Equal("judge-ingress", scaler["spec"]!["scaleTargetRef"]!["name"].Text());
        Assert.True(int.Parse(scaler["spec"]!["minReplicaCount"].Text()!) >= 2, "one ingress reader is a single point of failure");
        var trigger = Assert.Single(scaler["spec"]!["triggers"].Items());
        Assert.Equal("aws-sqs-queue", trigger["type"].Text());
        var metadata = trigger["metadata"].Map();
        Assert.Equal(settings["submissionsQueueUrl"], metadata["queueURL"]);
        Assert.Equal(settings["region"], metadata["awsRegion"]);
        var authentication = Eks.Get("TriggerAuthentication", trigger["authenticationRef"]!["name"].Text()!);
        Assert.Equal("aws", authentication["spec"]!["podIdentity"]!["provider"].Text());
        Assert.Null(authentication["spec"]!["secretTargetRef"]); // no keys
        // the queue is the ingress's alone: no silo pool scales on it (a flood of one language would scale them all)
        Assert.DoesNotContain(Eks.OfKind("ScaledObject"), s => s != scaler && s["spec"]!["triggers"].Items().Any(t => t["type"].Text() == "aws-sqs-queue"));
    }

    [GeneratedRegex("ConnectionStrings__|Password|Secret|Key|Token", RegexOptions.IgnoreCase)]
    private static partial Regex SecretName();

    [Fact]
    public void No_secret_value_is_written_in_the_manifests()
    {
        foreach (var name in new[] { "base", "overlays/eks", "migrate", "overlays/eks/migrate" })
            Assert.Empty(manifests.Renderings[name].OfKind("Secret"));
        foreach (var rendering in manifests.Renderings.Values)
        {
            foreach (var (owner, pod) in RenderedManifests.PodSpecs(rendering))
                foreach (var container in pod["containers"].Items().Concat(pod["initContainers"].Items()))
                    foreach (var (name, variable) in Env(container).Where(e => SecretName().IsMatch(e.Key)))
                    {
                        Assert.True(variable["value"] is null, $"{rendering.Name} {owner}: {name} has a value in the manifest");
                        Assert.NotNull(variable["valueFrom"]!["secretKeyRef"]);
                    }
            foreach (var map in rendering.OfKind("ConfigMap"))
                Assert.DoesNotContain(map["data"].Map().Keys, key => SecretName().IsMatch(key));
        }
        // The dev overlay's Secrets come from env files that git ignores; only their examples are committed.
        var dev = Yaml.File(Path.Combine(RenderedManifests.Source, "overlays", "dev", "kustomization.yaml"));
        var envFiles = dev["secretGenerator"].Items().SelectMany(g => g["envs"].Strings()).ToList();
        Assert.NotEmpty(envFiles);
        Assert.All(envFiles, file =>
        {
            Assert.True(GitIgnored("k8s/overlays/dev/" + file), $"overlays/dev/{file} must be git-ignored");
            Assert.True(File.Exists(Path.Combine(RenderedManifests.Source, "overlays", "dev", file + ".example")));
        });
    }

    [Fact]
    public void Judge_pods_reach_only_PostgreSQL_AWS_DNS_and_each_others_silo_ports()
    {
        var settings = RenderedManifests.EksSettings;
        var policies = Eks.OfKind("NetworkPolicy").ToList();
        var deny = Eks.Get("NetworkPolicy", "judge-default-deny");
        Assert.Empty(deny["spec"]!["podSelector"]!.AsObject());
        Assert.Equal(["Egress", "Ingress"], deny["spec"]!["policyTypes"].Strings().Order());
        Assert.Null(deny["spec"]!["ingress"]);
        Assert.Null(deny["spec"]!["egress"]);

        static List<string> Ports(JsonObject rule) => rule["ports"].Items().Select(p => p["port"].Text()!).Distinct().Order().ToList();
        static string? PodName(JsonObject peer) => peer["podSelector"]?["matchLabels"].Map().GetValueOrDefault("app.kubernetes.io/name");
        var allowedEgress = new List<string>();
        foreach (var policy in policies)
            foreach (var rule in policy["spec"]!["egress"].Items())
            {
                var peers = rule["to"].Items().ToList();
                Assert.True(peers.Count > 0 && rule["ports"] is not null, $"{Eks.Name} {RenderedManifests.Rendering.Id(policy)}: an egress rule without peers or ports allows everything");
                var ports = Ports(rule);
                var kind = ports switch
                {
                    ["53"] when peers.All(p => p["namespaceSelector"]?["matchLabels"].Map().GetValueOrDefault("kubernetes.io/metadata.name") == "kube-system"
                                             && p["podSelector"]?["matchLabels"].Map().GetValueOrDefault("k8s-app") == "kube-dns") => "dns",
                    ["5432"] when peers.All(p => p["ipBlock"]?["cidr"].Text() == settings["postgresCidr"]) => "postgres",
                    ["443"] when peers.All(p => p["ipBlock"] is not null) => "aws",
                    ["11111"] or ["30000"] when peers.All(p => PodName(p) == "judge-silo") => "silo " + ports[0],
                    _ => throw new Xunit.Sdk.XunitException($"{RenderedManifests.Rendering.Id(policy)} allows egress to {rule.ToJsonString()}"),
                };
                allowedEgress.Add(kind);
            }
        Assert.Equal(["aws", "dns", "postgres", "silo 11111", "silo 30000"], allowedEgress.Distinct().Order());

        var allowedIngress = new List<string>();
        foreach (var policy in policies)
            foreach (var rule in policy["spec"]!["ingress"].Items())
            {
                var peers = rule["from"].Items().ToList();
                Assert.True(peers.Count > 0 && rule["ports"] is not null, $"{RenderedManifests.Rendering.Id(policy)}: an ingress rule without peers or ports admits everything");
                allowedIngress.Add(Ports(rule) switch
                {
                    ["11111"] when peers.All(p => PodName(p) == "judge-silo") => "silo from silo",
                    ["30000"] when peers.All(p => PodName(p) == "judge-ingress") => "gateway from ingress",
                    ["8080"] when peers.All(p => p["ipBlock"]?["cidr"].Text() == settings["vpcCidr"]) => "http from load balancer",
                    ["8080"] when peers.All(p => p["namespaceSelector"]?["matchLabels"].Map().GetValueOrDefault("kubernetes.io/metadata.name") == "keda"
                                              && PodName(p) == "keda-operator") => "http from KEDA",
                    _ => throw new Xunit.Sdk.XunitException($"{RenderedManifests.Rendering.Id(policy)} admits {rule.ToJsonString()}"),
                });
                Assert.Equal("judge-silo", policy["spec"]!["podSelector"]!["matchLabels"].Map()["app.kubernetes.io/name"]);
            }
        Assert.Equal(["gateway from ingress", "http from KEDA", "http from load balancer", "silo from silo"], allowedIngress.Order());
    }

    [Fact]
    public void The_API_is_served_through_an_ALB_to_every_silo_and_the_ingress_assumes_its_IAM_role()
    {
        var settings = RenderedManifests.EksSettings;
        var service = Eks.Get("Service", "judge-api");
        Assert.Equal(new Dictionary<string, string> { ["app.kubernetes.io/name"] = "judge-silo" }, service["spec"]!["selector"].Map());
        Assert.Equal("http", Assert.Single(service["spec"]!["ports"].Items())["targetPort"].Text());
        var ingress = Eks.Get("Ingress", "judge-api");
        Assert.Equal("alb", ingress["spec"]!["ingressClassName"].Text());
        var annotations = ingress["metadata"]!["annotations"].Map();
        Assert.Equal("ip", annotations["alb.ingress.kubernetes.io/target-type"]);
        Assert.Equal(settings["certificateArn"], annotations["alb.ingress.kubernetes.io/certificate-arn"]);
        var backend = ingress["spec"]!["rules"].Items().Single()["http"]!["paths"].Items().Single()["backend"]!["service"]!;
        Assert.Equal("judge-api", backend["name"].Text());

        Assert.Equal(settings["ingressRoleArn"], Eks.Get("ServiceAccount", "judge-ingress")["metadata"]!["annotations"].Map()["eks.amazonaws.com/role-arn"]);
        Assert.Equal(settings["siloRoleArn"], Eks.Get("ServiceAccount", "judge-silo")["metadata"]!["annotations"].Map()["eks.amazonaws.com/role-arn"]);
        Assert.Equal("judge-ingress", PodSpec(Eks.Get("Deployment", "judge-ingress"))["serviceAccountName"].Text());
        foreach (var deployment in RenderedManifests.SiloDeployments(Eks)) // IRSA's token stays out of the sandbox
            Assert.Equal("sandbox", PodTemplate(deployment)["metadata"]!["annotations"].Map()["eks.amazonaws.com/skip-containers"]);
        // Both HTTP hosts listen beyond loopback, which they refuse to do without API keys (Judge:Auth:Keys).
        foreach (var container in RenderedManifests.SiloDeployments(Eks).Select(d => Container(PodSpec(d), "silo"))
                     .Append(Container(PodSpec(Eks.Get("Deployment", "judge-ingress")), "ingress")))
            Assert.Contains(container["envFrom"].Items(), e => e["secretRef"]?["name"].Text() == "judge-api-keys" && e["secretRef"]?["optional"] is null);
        var ingressEnv = Container(PodSpec(Eks.Get("Deployment", "judge-ingress")), "ingress")["securityContext"]!;
        Assert.Equal("10002", ingressEnv["runAsUser"].Text());
        Assert.Equal(["ALL"], ingressEnv["capabilities"]!["drop"].Strings());
        // Only the ingress reads the queue: a silo given Judge__Sqs__QueueUrl would pump it too.
        var siloConfig = Eks.OfKind("ConfigMap").Single(c => c["metadata"]!["name"].Text()!.StartsWith("judge-config", StringComparison.Ordinal));
        Assert.DoesNotContain("Judge__Sqs__QueueUrl", siloConfig["data"].Map().Keys);
        var ingressConfig = Eks.OfKind("ConfigMap").Single(c => c["metadata"]!["name"].Text()!.StartsWith("judge-ingress-config", StringComparison.Ordinal));
        Assert.Equal(settings["submissionsQueueUrl"], ingressConfig["data"].Map()["Judge__Sqs__QueueUrl"]);
    }

    [Fact]
    public void The_migration_Job_runs_the_silos_migrate_command_without_privileges()
    {
        var job = manifests.Renderings["overlays/eks/migrate"].Get("Job", "judge-migrate");
        var container = Container((JsonObject)job["spec"]!["template"]!["spec"]!, "migrate");
        Assert.Equal(["silo", MigrateCommand.Name], container["args"].Strings());
        Assert.Equal("10001", container["securityContext"]!["runAsUser"].Text());
        Assert.Equal(["ALL"], container["securityContext"]!["capabilities"]!["drop"].Strings());
        Assert.Equal("judge", job["metadata"]!["namespace"].Text());
        Assert.Contains("dotnet Judge.Silo.dll migrate".Replace("dotnet ", "dotnet /opt/judge/silo/"), File.ReadAllText(Path.Combine(RenderedManifests.Source, "README.md")));
    }

    [Fact]
    public void Every_manifest_file_is_part_of_a_kustomization()
    {
        var referenced = new HashSet<string>(StringComparer.Ordinal);
        foreach (var kustomization in Directory.EnumerateFiles(RenderedManifests.Source, "kustomization.yaml", SearchOption.AllDirectories))
        {
            var dir = Path.GetDirectoryName(kustomization)!;
            var k = Yaml.File(kustomization);
            var files = k["resources"].Strings().Concat(k["configurations"].Strings())
                .Concat(k["patches"].Items().Select(p => p["path"].Text()).OfType<string>())
                .Concat(k["secretGenerator"].Items().Concat(k["configMapGenerator"].Items()).SelectMany(g => g["envs"].Strings()));
            foreach (var file in files)
                referenced.Add(Path.GetFullPath(Path.Combine(dir, file)));
        }
        var unreferenced = Directory.EnumerateFiles(RenderedManifests.Source, "*.yaml", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f) != "kustomization.yaml" && !referenced.Contains(Path.GetFullPath(f)));
        Assert.Empty(unreferenced);
        // and every kustomization is rendered by these tests, or included by one that is
        var rendered = RenderedManifests.Kustomizations.Select(k => Path.GetFullPath(Path.Combine(RenderedManifests.Source, k))).ToHashSet();
        foreach (var kustomization in Directory.EnumerateFiles(RenderedManifests.Source, "kustomization.yaml", SearchOption.AllDirectories))
        {
            var dir = Path.GetFullPath(Path.GetDirectoryName(kustomization)!);
            Assert.True(rendered.Contains(dir) || referenced.Contains(dir), $"{dir} is neither rendered nor included");
        }
    }

    private static double Cpu(string quantity) =>
        quantity.EndsWith('m') ? double.Parse(quantity[..^1], CultureInfo.InvariantCulture) / 1000 : double.Parse(quantity, CultureInfo.InvariantCulture);

    private static long Bytes(string quantity)
    {
        var m = Regex.Match(quantity, "^([0-9]+)(Ki|Mi|Gi)?$");
        Assert.True(m.Success, $"unexpected quantity {quantity}");
        return long.Parse(m.Groups[1].Value) * m.Groups[2].Value switch { "Ki" => 1L << 10, "Mi" => 1L << 20, "Gi" => 1L << 30, _ => 1 };
    }
}
