using Amazon.CDK;
using Amazon.CDK.AWS.S3;
using Constructs;

namespace Judge.Deploy.Aws.Resources;

/// <summary>The problems bucket the silos read packages from, and the artifacts bucket EC2 hosts install releases from.</summary>
public sealed class JudgeBuckets : Construct
{
    public Bucket Problems { get; }

    public Bucket Artifacts { get; }

    public JudgeBuckets(Construct scope, string id) : base(scope, id)
    {
        Problems = Private("Problems");
        Artifacts = Private("Artifacts");
    }

    // SSE-S3 (no KMS key, so readers need no kms: permissions), every public access blocked, HTTPS only (a bucket
    // policy denies aws:SecureTransport=false), versioned (a replaced package stays recoverable), ACLs disabled,
    // kept when the stack is deleted.
    private Bucket Private(string id) => new(this, id, new BucketProps
    {
        Encryption = BucketEncryption.S3_MANAGED,
        BlockPublicAccess = BlockPublicAccess.BLOCK_ALL,
        EnforceSSL = true,
        Versioned = true,
        ObjectOwnership = ObjectOwnership.BUCKET_OWNER_ENFORCED,
        RemovalPolicy = RemovalPolicy.RETAIN,
    });
}
