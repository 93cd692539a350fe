using System.Globalization;
using System.Text.RegularExpressions;
using Constructs;

namespace Judge.Deploy.Aws;

/// <summary>The fleet's parameters, read from CDK context (<c>cdk deploy -c judge:key=value</c>), each with a documented default.</summary>
public sealed partial record JudgeSettings
{
    /// <summary>The toolchain pools a silo can belong to (deploy/README.md, contract of issue 12).</summary>
    public static IReadOnlyList<string> KnownPools { get; } = ["cpp", "jvm", "python", "rust-go", "node", "dotnet", "all"];

    /// <summary>Prefix of every physical name (<c>judge:prefix</c>).</summary>
    public string Prefix { get; init; } = "judge";

    /// <summary>CIDR of the VPC the stack creates (<c>judge:vpcCidr</c>).</summary>
    public string VpcCidr { get; init; } = "10.60.0.0/16";

    /// <summary>Availability zones used (<c>judge:maxAzs</c>).</summary>
    public int MaxAzs { get; init; } = 2;

    /// <summary>NAT gateways for the private subnets' outbound traffic (<c>judge:natGateways</c>).</summary>
    public int NatGateways { get; init; } = 1;

    /// <summary>Who may reach the load balancer (<c>judge:apiCidr</c>); default: the VPC itself.</summary>
    public string? ApiCidr { get; init; }

    /// <summary>An ACM certificate for the EC2 load balancer (<c>judge:certificateArn</c>): set, it serves HTTPS on 443 and
    /// port 80 only redirects there.</summary>
    public string? CertificateArn { get; init; }

    /// <summary>Receives of a submission message before SQS moves it to the DLQ (<c>judge:maxReceiveCount</c>).</summary>
    public int MaxReceiveCount { get; init; } = 20;

    /// <summary>The submissions queue's visibility timeout in seconds (<c>judge:visibilityTimeoutSeconds</c>).</summary>
    public int VisibilityTimeoutSeconds { get; init; } = 30;

    /// <summary>Key prefix of the problem packages in the problems bucket (<c>judge:problemsPrefix</c>, the silos'
    /// <c>Judge:Problems:S3:Prefix</c>); default: none, the bucket holds nothing else.</summary>
    public string ProblemsPrefix { get; init; } = "";

    /// <summary>Key prefix of the release archives in the artifacts bucket that EC2 hosts install (<c>judge:releasesPrefix</c>).</summary>
    public string ReleasesPrefix { get; init; } = "releases/";

    /// <summary>RDS instance class (<c>judge:dbInstanceType</c>).</summary>
    public string DbInstanceType { get; init; } = "t4g.medium";

    /// <summary>RDS storage in GiB (<c>judge:dbStorageGiB</c>).</summary>
    public int DbStorageGiB { get; init; } = 50;

    /// <summary>A standby in a second zone (<c>judge:dbMultiAz</c>).</summary>
    public bool DbMultiAz { get; init; }

    /// <summary>Days of automated backups (<c>judge:dbBackupDays</c>).</summary>
    public int DbBackupDays { get; init; } = 7;

    /// <summary>Refuse to delete the database (<c>judge:dbDeletionProtection</c>).</summary>
    public bool DbDeletionProtection { get; init; } = true;

    /// <summary>The EKS cluster's IAM OIDC provider ARN (<c>judge:eksOidcProviderArn</c>); set, the JudgeEks stack is defined.</summary>
    public string? EksOidcProviderArn { get; init; }

    /// <summary>Kubernetes namespace of the judge (<c>judge:eksNamespace</c>).</summary>
    public string EksNamespace { get; init; } = "judge";

    /// <summary>Service account of the silo pods (<c>judge:eksSiloServiceAccount</c>).</summary>
    public string EksSiloServiceAccount { get; init; } = "judge-silo";

    /// <summary>Service account of the ingress pods (<c>judge:eksIngressServiceAccount</c>).</summary>
    public string EksIngressServiceAccount { get; init; } = "judge-ingress";

    /// <summary>Namespace and service account of the KEDA operator (<c>judge:kedaNamespace</c>, <c>judge:kedaServiceAccount</c>).</summary>
    public string KedaNamespace { get; init; } = "keda";

    /// <inheritdoc cref="KedaNamespace"/>
    public string KedaServiceAccount { get; init; } = "keda-operator";

    /// <summary>Silo pools with an Auto Scaling group each (<c>judge:ec2Pools</c>, comma list); any, the JudgeEc2 stack is defined.</summary>
    public IReadOnlyList<string> Ec2Pools { get; init; } = [];

    /// <summary>Instance type of silo hosts (<c>judge:ec2InstanceType</c>) and of the ingress host (<c>judge:ec2IngressInstanceType</c>).</summary>
    public string Ec2InstanceType { get; init; } = "m7i.large";

    /// <inheritdoc cref="Ec2InstanceType"/>
    public string Ec2IngressInstanceType { get; init; } = "t3.small";

    /// <summary>Instances per silo pool (<c>judge:ec2MinPerPool</c>, <c>judge:ec2MaxPerPool</c>).</summary>
    public int Ec2MinPerPool { get; init; } = 1;

    /// <inheritdoc cref="Ec2MinPerPool"/>
    public int Ec2MaxPerPool { get; init; } = 4;

    /// <summary>The release archive EC2 hosts install (<c>judge:release</c>): a file name under <see cref="ReleasesPrefix"/> in
    /// the artifacts bucket, e.g. <c>judge-1.0.0.tar.gz</c> (deploy/ec2/README.md builds it); required with EC2 pools.</summary>
    public string? Release { get; init; }

    /// <summary>Hex SHA-256 of the backend's API key (<c>judge:apiKeySha256</c>), stored with a generated cookie secret in
    /// the EC2 silos' auth secret (their <c>Judge:Auth:Keys</c>); required with EC2 pools.</summary>
    public string? ApiKeySha256 { get; init; }

    /// <summary>The silos' <c>Judge:Cluster:Id</c> and <c>Judge:Cluster:ServiceId</c> on EC2 (<c>judge:clusterId</c>, <c>judge:serviceId</c>).</summary>
    public string ClusterId { get; init; } = "judge";

    /// <inheritdoc cref="ClusterId"/>
    public string ServiceId { get; init; } = "judge";

    /// <summary>SSM parameter holding the AMI id (<c>judge:amiParameter</c>): Debian 12 (bookworm), amd64.</summary>
    public string AmiParameter { get; init; } = "/aws/service/debian/release/bookworm/latest/amd64";

    /// <summary>Directory of the cloud-init user-data scripts (<c>judge:userDataDirectory</c>), relative to the working directory.</summary>
    public string UserDataDirectory { get; init; } = Path.Combine("..", "ec2", "user-data");

    /// <summary>The silos' <c>Judge:Recovery:DrainTimeout</c> in seconds (<c>judge:drainTimeoutSeconds</c>): sizes the lifecycle hook.</summary>
    public int DrainTimeoutSeconds { get; init; } = 15;

    /// <summary>What the silo host adds to the drain timeout for its own stop (its <c>ShutdownTimeout</c> is drain + 30 s).</summary>
    public const int HostShutdownMarginSeconds = 30;

    /// <summary>Time for the lifecycle helper to notice the termination (IMDS polling), stop the units and complete the action.</summary>
    public const int LifecycleMarginSeconds = 120;

    /// <summary>How long a terminating silo host may take to drain before Auto Scaling terminates it anyway.</summary>
    public int LifecycleHeartbeatSeconds => DrainTimeoutSeconds + HostShutdownMarginSeconds + LifecycleMarginSeconds;

    /// <summary>Reads the settings from the construct tree's context; throws naming every invalid key.</summary>
    public static JudgeSettings FromContext(Node node)
    {
        var failures = new List<string>();
        string? Text(string key) => node.TryGetContext("judge:" + key)?.ToString() is { Length: > 0 } value ? value.Trim() : null;
        int Int(string key, int fallback, int min, int max)
        {
            if (Text(key) is not { } text)
                return fallback;
            if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
                return value;
            failures.Add($"judge:{key} must be a whole number from {min} to {max} (was '{text}')");
            return fallback;
        }
        bool Bool(string key, bool fallback)
        {
            if (Text(key) is not { } text)
                return fallback;
            if (bool.TryParse(text, out var value))
                return value;
            failures.Add($"judge:{key} must be true or false (was '{text}')");
            return fallback;
        }

        var defaults = new JudgeSettings();
        var settings = new JudgeSettings
        {
            Prefix = Text("prefix") ?? defaults.Prefix,
            VpcCidr = Text("vpcCidr") ?? defaults.VpcCidr,
            MaxAzs = Int("maxAzs", defaults.MaxAzs, 2, 6),
            NatGateways = Int("natGateways", defaults.NatGateways, 1, 6),
            ApiCidr = Text("apiCidr"),
            CertificateArn = Text("certificateArn"),
            MaxReceiveCount = Int("maxReceiveCount", defaults.MaxReceiveCount, 2, 1000),
            VisibilityTimeoutSeconds = Int("visibilityTimeoutSeconds", defaults.VisibilityTimeoutSeconds, 10, 43200),
            ProblemsPrefix = node.TryGetContext("judge:problemsPrefix")?.ToString()?.Trim() ?? defaults.ProblemsPrefix,
            ReleasesPrefix = Text("releasesPrefix") ?? defaults.ReleasesPrefix,
            DbInstanceType = Text("dbInstanceType") ?? defaults.DbInstanceType,
            DbStorageGiB = Int("dbStorageGiB", defaults.DbStorageGiB, 20, 65536),
            DbMultiAz = Bool("dbMultiAz", defaults.DbMultiAz),
            DbBackupDays = Int("dbBackupDays", defaults.DbBackupDays, 1, 35),
            DbDeletionProtection = Bool("dbDeletionProtection", defaults.DbDeletionProtection),
            EksOidcProviderArn = Text("eksOidcProviderArn"),
            EksNamespace = Text("eksNamespace") ?? defaults.EksNamespace,
            EksSiloServiceAccount = Text("eksSiloServiceAccount") ?? defaults.EksSiloServiceAccount,
            EksIngressServiceAccount = Text("eksIngressServiceAccount") ?? defaults.EksIngressServiceAccount,
            KedaNamespace = Text("kedaNamespace") ?? defaults.KedaNamespace,
            KedaServiceAccount = Text("kedaServiceAccount") ?? defaults.KedaServiceAccount,
            Ec2Pools = Text("ec2Pools") is { } pools
                ? pools.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().ToList()
                : defaults.Ec2Pools,
            Ec2InstanceType = Text("ec2InstanceType") ?? defaults.Ec2InstanceType,
            Ec2IngressInstanceType = Text("ec2IngressInstanceType") ?? defaults.Ec2IngressInstanceType,
            Ec2MinPerPool = Int("ec2MinPerPool", defaults.Ec2MinPerPool, 0, 1000),
            Ec2MaxPerPool = Int("ec2MaxPerPool", defaults.Ec2MaxPerPool, 1, 1000),
            Release = Text("release"),
            ApiKeySha256 = Text("apiKeySha256")?.ToLowerInvariant(),
            ClusterId = Text("clusterId") ?? defaults.ClusterId,
            ServiceId = Text("serviceId") ?? defaults.ServiceId,
            AmiParameter = Text("amiParameter") ?? defaults.AmiParameter,
            UserDataDirectory = Text("userDataDirectory") ?? defaults.UserDataDirectory,
            DrainTimeoutSeconds = Int("drainTimeoutSeconds", defaults.DrainTimeoutSeconds, 1, 6000),
        };

        if (!NameRegex().IsMatch(settings.Prefix))
            failures.Add($"judge:prefix must be 1 to 20 lowercase letters, digits or '-', starting with a letter (was '{settings.Prefix}')");
        foreach (var (key, cidr) in new[] { ("vpcCidr", settings.VpcCidr), ("apiCidr", settings.ApiCidr) })
            if (cidr is not null && !CidrRegex().IsMatch(cidr))
                failures.Add($"judge:{key} must be an IPv4 CIDR such as 10.60.0.0/16 (was '{cidr}')");
        foreach (var (key, prefix) in new[] { ("problemsPrefix", settings.ProblemsPrefix), ("releasesPrefix", settings.ReleasesPrefix) })
            if (prefix.Length > 0 && (prefix.StartsWith('/') || !prefix.EndsWith('/') || prefix.Contains('*')))
                failures.Add($"judge:{key} must be empty or a key prefix ending in '/', without a leading '/' or '*' (was '{prefix}')");
        if (settings.CertificateArn is { } certificate && !CertificateArnRegex().IsMatch(certificate))
            failures.Add($"judge:certificateArn must be an ACM certificate ARN, arn:aws:acm:<region>:<account>:certificate/<id> (was '{certificate}')");
        if (settings.EksOidcProviderArn is { } arn && !OidcArnRegex().IsMatch(arn))
            failures.Add($"judge:eksOidcProviderArn must be an IAM OIDC provider ARN, arn:aws:iam::<account>:oidc-provider/<issuer host and path> (was '{arn}')");
        foreach (var pool in settings.Ec2Pools.Where(p => !KnownPools.Contains(p)))
            failures.Add($"judge:ec2Pools names an unknown pool '{pool}' (known: {string.Join(", ", KnownPools)})");
        if (settings.Ec2Pools.Count > 0 && (settings.Release is not { } release || !ReleaseRegex().IsMatch(release)))
            failures.Add($"judge:release must name the release archive in the artifacts bucket under {settings.ReleasesPrefix} (a file name such as judge-1.0.0.tar.gz) when judge:ec2Pools is set (was '{settings.Release}')");
        if (settings.Ec2Pools.Count > 0 && (settings.ApiKeySha256 is not { } hash || !Sha256Regex().IsMatch(hash)))
            failures.Add("judge:apiKeySha256 must be the hex SHA-256 (64 hex digits) of the backend's API key when judge:ec2Pools is set");
        foreach (var (key, value) in new[] { ("clusterId", settings.ClusterId), ("serviceId", settings.ServiceId) })
            if (!TagValueRegex().IsMatch(value))
                failures.Add($"judge:{key} must be letters, digits, '.', '_' or '-' (was '{value}')");
        if (settings.Ec2MinPerPool > settings.Ec2MaxPerPool)
            failures.Add($"judge:ec2MinPerPool ({settings.Ec2MinPerPool}) must not exceed judge:ec2MaxPerPool ({settings.Ec2MaxPerPool})");

        return failures.Count == 0
            ? settings
            : throw new ArgumentException("Invalid CDK context: " + string.Join("; ", failures));
    }

    /// <summary>The OIDC issuer (host and path, no scheme) of the EKS provider, as IRSA trust conditions name it.</summary>
    public string EksOidcIssuer => EksOidcProviderArn![(EksOidcProviderArn!.IndexOf(":oidc-provider/", StringComparison.Ordinal) + ":oidc-provider/".Length)..];

    /// <summary>The physical name of a host kind's Auto Scaling group (fixed, so its instances' policy can name it):
    /// <c>judge-silo-&lt;pool&gt;</c>, or <c>judge-ingress</c>.</summary>
    public string HostGroupName(string name) => name == "ingress" ? $"{Prefix}-ingress" : $"{Prefix}-silo-{name}";

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._+=@-]{0,200}$")]
    private static partial Regex ReleaseRegex();

    [GeneratedRegex(@"^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate/[A-Za-z0-9-]+$")]
    private static partial Regex CertificateArnRegex();

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Sha256Regex();

    [GeneratedRegex(@"^[A-Za-z0-9._-]{1,100}$")]
    private static partial Regex TagValueRegex();

    [GeneratedRegex("^[a-z][a-z0-9-]{0,19}$")]
    private static partial Regex NameRegex();

    [GeneratedRegex(@"^(\d{1,3}\.){3}\d{1,3}/\d{1,2}$")]
    private static partial Regex CidrRegex();

    [GeneratedRegex(@"^arn:aws[a-z-]*:iam::\d{12}:oidc-provider/[^\s]+$")]
    private static partial Regex OidcArnRegex();
}
