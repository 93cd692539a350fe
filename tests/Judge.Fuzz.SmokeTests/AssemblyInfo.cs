// Each smoke keeps the machine's cores busy for its whole time: one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
