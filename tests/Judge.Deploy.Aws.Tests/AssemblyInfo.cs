// The jsii runtime behind the CDK serves one .NET thread at a time: test classes run one after another.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
