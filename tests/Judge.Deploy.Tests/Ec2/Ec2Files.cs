namespace Judge.Deploy.Tests.Ec2;

/// <summary>Where the files of deploy/ec2 are, and which of them the EC2 tests cover.</summary>
public static class Ec2Files
{
    public static string Root => System.IO.Path.Combine(Repository.Root, "deploy", "ec2");

    public static string Path(string relative) => System.IO.Path.Combine(Root, relative);

    public static IReadOnlyList<string> Units { get; } =
        ["judge-sandbox.service", "judge-silo.service", "judge-ingress.service", "judge-lifecycle.service"];

    public static IReadOnlyList<string> Pools { get; } = ["cpp", "jvm", "python", "rust-go", "node", "dotnet", "all"];

    public static IReadOnlyList<string> UserData { get; } = [.. Pools, "ingress"];

    public static IReadOnlyList<string> Templates { get; } = ["judge.env.example", "judge-ingress.env.example"];

    public static SystemdUnit Unit(string name) => new(Path("systemd/" + name));

    /// <summary>Every file of deploy/ec2 these tests check, relative to deploy/.</summary>
    public static IEnumerable<string> Covered =>
    [
        "ec2/README.md", "ec2/bin/judge-lifecycle.sh", "ec2/user-data/common.sh",
        .. Units.Select(u => "ec2/systemd/" + u),
        .. UserData.Select(u => $"ec2/user-data/{u}.sh"),
        .. Templates.Select(t => "ec2/" + t),
    ];
}
