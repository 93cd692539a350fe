namespace Judge.Problems.S3.Options;

/// <summary>Where the S3 problem store is (section <c>Judge:Problems:S3</c>); credentials come from the standard AWS chain.</summary>
public sealed class S3ProblemsOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Judge:Problems:S3";

    /// <summary>The bucket holding the packages (<c>Judge:Problems:S3:Bucket</c>); setting it makes the silo use this store.</summary>
    public string? Bucket { get; set; }

    /// <summary>The key prefix of the packages (<c>Judge:Problems:S3:Prefix</c>): problem <c>x</c> is every object under
    /// <c>&lt;prefix&gt;x/</c>. Empty means the bucket's top level; a missing trailing '/' is added.</summary>
    public string? Prefix { get; set; }

    /// <summary>The S3 endpoint, e.g. an emulator (<c>Judge:Problems:S3:ServiceUrl</c>); default: AWS.</summary>
    public string? ServiceUrl { get; set; }

    /// <summary>The region (<c>Judge:Problems:S3:Region</c>); default: the AWS chain (<c>AWS_REGION</c>, profile, instance metadata).</summary>
    public string? Region { get; set; }

    /// <summary>Path-style addressing (<c>http://host/bucket/key</c>) instead of virtual-host style
    /// (<c>Judge:Problems:S3:ForcePathStyle</c>); default: on with a <see cref="ServiceUrl"/>, off for AWS.</summary>
    public bool? ForcePathStyle { get; set; }

    /// <summary>The prefix as keys start with it: empty, or ending with '/'.</summary>
    public string KeyPrefix => string.IsNullOrEmpty(Prefix) ? "" : Prefix.EndsWith('/') ? Prefix : Prefix + "/";
}
