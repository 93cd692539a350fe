using YamlDotNet.RepresentationModel;

namespace Judge.Deploy.Tests;

public class SandboxDeploymentTests
{
    private static string Deploy => Path.Combine(Repository.Root, "deploy");

    private static YamlMappingNode Load(string relative)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(Path.Combine(Deploy, relative));
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents.Single().RootNode;
    }

    private static YamlNode At(YamlNode node, params string[] path)
    {
        foreach (var key in path)
            node = key.StartsWith('[') ? ((YamlSequenceNode)node)[int.Parse(key.Trim('[', ']'))] : ((YamlMappingNode)node)[key];
        return node;
    }

    private static string Scalar(YamlNode node, params string[] path) => ((YamlScalarNode)At(node, path)).Value!;

    [Fact]
    public void Silo_pod_is_not_privileged_and_gets_only_the_capabilities_the_sandbox_needs()
    {
        var pod = Load("eks/judge-silo-pod-security.yaml");
        var security = At(pod, "spec", "containers", "[0]", "securityContext");
        Assert.Equal("false", Scalar(security, "privileged"));
        var drop = ((YamlSequenceNode)At(security, "capabilities", "drop")).Select(n => ((YamlScalarNode)n).Value).ToList();
        var add = ((YamlSequenceNode)At(security, "capabilities", "add")).Select(n => ((YamlScalarNode)n).Value).ToList();
        Assert.Equal(["ALL"], drop);
        Assert.Contains("SYS_ADMIN", add);
        Assert.DoesNotContain("NET_ADMIN", add);
        Assert.DoesNotContain("SYS_PTRACE", add);
        Assert.DoesNotContain("SYS_MODULE", add);
        Assert.All(add, cap => Assert.Contains("CAP_" + cap, File.ReadAllText(Path.Combine(Deploy, "sandbox", "README.md"))));
    }

    [Fact]
    public void Judge_pods_carry_no_service_account_token_and_share_nothing_with_the_host()
    {
        var spec = At(Load("eks/judge-silo-pod-security.yaml"), "spec");
        Assert.Equal("false", Scalar(spec, "automountServiceAccountToken"));
        Assert.Equal("false", Scalar(spec, "hostNetwork"));
        Assert.Equal("false", Scalar(spec, "hostPID"));
        Assert.Equal("false", Scalar(spec, "hostIPC"));
        Assert.Equal("false", Scalar(spec, "enableServiceLinks"));
    }

    [Fact]
    public void Silo_container_makes_cgroups_writable_and_delegable_for_the_sandbox()
    {
        var container = At(Load("eks/judge-silo-pod-security.yaml"), "spec", "containers", "[0]");
        var script = Scalar(container, "args", "[0]");
        Assert.Contains("mount -o remount,rw /sys/fs/cgroup", script);
        Assert.Contains("/sys/fs/cgroup/silo/cgroup.procs", script); // v2: the silo leaves the root cgroup
        Assert.EndsWith("exec dotnet /app/Judge.Silo.dll", script);
        var env = ((YamlSequenceNode)At(container, "env")).Cast<YamlMappingNode>()
            .ToDictionary(e => Scalar(e, "name"), e => Scalar(e, "value"));
        Assert.Equal("/", env["Judge__Sandbox__CgroupRoot"]);
        Assert.StartsWith("/var/lib/judge", env["Judge__WorkRoot"]);
    }

    [Fact]
    public void Node_sysctls_protect_links()
    {
        var settings = File.ReadAllLines(Path.Combine(Deploy, "sandbox", "99-judge.conf"))
            .Where(l => l.Contains('=') && !l.TrimStart().StartsWith('#'))
            .ToDictionary(l => l.Split('=')[0].Trim(), l => l.Split('=')[1].Trim());
        Assert.Equal("1", settings["fs.protected_symlinks"]);
        Assert.Equal("1", settings["fs.protected_hardlinks"]);
    }

    [Fact]
    public void Every_deploy_file_is_covered_by_a_test()
    {
        var covered = new[] { "README.md", "sandbox/README.md", "sandbox/99-judge.conf", "eks/judge-silo-pod-security.yaml" }
            .Concat(SqlSchemaTests.Files) // checked by SqlSchemaTests here and applied by Judge.Cluster.EndToEndTests
            .Concat(Ec2.Ec2Files.Covered); // checked by Ec2UnitTests and Ec2BootstrapTests
        var files = Directory.EnumerateFiles(Deploy, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Deploy, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);
        Assert.Equal(covered.Order(StringComparer.Ordinal), files);
    }
}
