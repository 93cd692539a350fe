namespace Judge.Deploy.Tests;

public class SandboxDeploymentTests
{
    private static string Deploy => Path.Combine(Repository.Root, "deploy");

    [Fact]
    public void The_sandbox_entrypoint_makes_cgroups_writable_and_delegable_for_the_daemon()
    {
        // The pod's capabilities and token rules are checked on the rendered manifests (KubernetesManifestTests); the
        // entrypoint itself runs on a pure cgroup v2 kernel in tests/cgroupv2/run-vm.sh.
        var script = File.ReadAllText(Path.Combine(Deploy, "docker", "entrypoint.sh"));
        Assert.Contains("mount -o remount,rw /sys/fs/cgroup", script);
        Assert.Contains("echo $$ > /sys/fs/cgroup/sandbox/cgroup.procs", script); // v2: the daemon leaves the root cgroup
        Assert.Contains("cgroup_args=\"--cgroup-root /\"", script);
        Assert.Contains("exec \"$daemon\" --listen \"$socket\" --client-uid \"$silo_uid\"", script);
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
        var covered = new[] { "README.md", "sandbox/README.md", "sandbox/99-judge.conf" }
            .Concat(SqlSchemaTests.Files) // checked by SqlSchemaTests here and applied by Judge.Cluster.EndToEndTests
            .Concat(DockerImageTests.Files) // DockerImageTests, EntrypointTests, DeployFileTests (shellcheck)
            .Concat(KubernetesManifestTests.Files) // rendered and validated by KubernetesSchemaTests and KubernetesManifestTests
            .Concat(Ec2.Ec2Files.Covered); // checked by Ec2UnitTests and Ec2BootstrapTests
        var all = Directory.EnumerateFiles(Deploy, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Deploy, f).Replace('\\', '/')).ToList();
        var ignored = Tools.GitIgnored(all.Select(f => "deploy/" + f)); // e.g. the dev overlay's secrets
        var files = all.Where(f => !ignored.Contains("deploy/" + f)).Order(StringComparer.Ordinal).ToList();
        // The CDK app: its C# is compiled by the build and synthesized and checked by Judge.Deploy.Aws.Tests (with the
        // context of cdk.json); aws/README.md by DeployReadmeTests. Any other kind of file there needs a test of its own.
        covered = covered.Concat(files.Where(f => f.StartsWith("aws/", StringComparison.Ordinal) &&
            (f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".csproj", StringComparison.Ordinal) || f is "aws/cdk.json" or "aws/README.md")));
        Assert.Equal(covered.Order(StringComparer.Ordinal), files);
    }
}
