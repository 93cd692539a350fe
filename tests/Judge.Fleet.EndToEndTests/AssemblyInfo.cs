// Network namespaces, veth pairs, setpriv and the sandbox daemon: Linux, as root.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
// One fleet at a time: the machine is small.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
