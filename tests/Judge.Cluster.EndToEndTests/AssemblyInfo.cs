// One PostgreSQL server and one cluster at a time: the machine is small.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
