// One test at a time: the silos judge with the machine's cores, and the live tests watch timing-sensitive states.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
