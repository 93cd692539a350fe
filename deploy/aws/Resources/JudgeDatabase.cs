using Amazon.CDK;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.RDS;
using Constructs;
using InstanceType = Amazon.CDK.AWS.EC2.InstanceType;

namespace Judge.Deploy.Aws.Resources;

/// <summary>RDS PostgreSQL 16 for clustering, grain state, reminders and the results tables, its credentials in Secrets Manager.</summary>
public sealed class JudgeDatabase : Construct
{
    public const string DatabaseName = "judge";

    public const string UserName = "judge";

    public DatabaseInstance Instance { get; }

    public JudgeDatabase(Construct scope, string id, JudgeSettings settings, JudgeNetwork network) : base(scope, id)
    {
        Instance = new DatabaseInstance(this, "Postgres", new DatabaseInstanceProps
        {
            Engine = DatabaseInstanceEngine.Postgres(new PostgresInstanceEngineProps { Version = PostgresEngineVersion.VER_16_4 }),
            InstanceType = new InstanceType(settings.DbInstanceType),
            Vpc = network.Vpc,
            VpcSubnets = new SubnetSelection { SubnetType = SubnetType.PRIVATE_ISOLATED },
            SecurityGroups = [network.Database],
            PubliclyAccessible = false,
            DatabaseName = DatabaseName,
            // A generated password in a Secrets Manager secret (JSON with host, port, username, password, dbname).
            Credentials = Credentials.FromGeneratedSecret(UserName, new CredentialsBaseOptions
            {
                SecretName = $"{settings.Prefix}/database",
            }),
            StorageEncrypted = true,
            AllocatedStorage = settings.DbStorageGiB,
            StorageType = StorageType.GP3,
            MultiAz = settings.DbMultiAz,
            BackupRetention = Duration.Days(settings.DbBackupDays),
            DeleteAutomatedBackups = false,
            DeletionProtection = settings.DbDeletionProtection,
            RemovalPolicy = RemovalPolicy.SNAPSHOT,
            AutoMinorVersionUpgrade = true,
            CopyTagsToSnapshot = true,
        });
    }
}
