// Silo processes isolate submissions with Linux namespaces and cgroups; PostgreSQL runs from the Debian packages.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
// One PostgreSQL server and one cluster at a time: the machine is small.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
