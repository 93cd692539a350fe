namespace Judge.Fleet.EndToEndTests;

/// <summary>The fleet's private network: a bridge in a namespace of its own, one namespace per host joined to it by a
/// veth pair, and one veth from the test's own namespace so that the test reaches the hosts as a backend would.
/// Addresses are 10.77.0.0/24, nothing is routed off the machine (no host has a default route). Every name starts
/// with <c>jfleet</c>: leftovers of a crashed run are removed before a new one and after it.</summary>
public sealed class FleetNetwork : IDisposable
{
    public const string Prefix = "jfleet";
    private const string Switch = Prefix + "-sw";
    private const string TestLink = Prefix + "-t";
    public const string TestAddress = "10.77.0.1";

    private readonly List<string> hosts = [];

    public FleetNetwork()
    {
        RemoveLeftovers();
        if (Shell.Run("ip", "-o", "route").Contains("10.77.0.", StringComparison.Ordinal))
            throw new InvalidOperationException("10.77.0.0/24 is already routed on this machine: the rehearsal needs it for its private network");
        Shell.Run("ip", "netns", "add", Switch);
        Shell.Run("ip", "-n", Switch, "link", "add", "br0", "type", "bridge");
        Shell.Run("ip", "-n", Switch, "link", "set", "br0", "up");
        Shell.Run("ip", "link", "add", TestLink, "type", "veth", "peer", "name", "test", "netns", Switch);
        Shell.Run("ip", "-n", Switch, "link", "set", "test", "master", "br0", "up");
        Shell.Run("ip", "addr", "add", TestAddress + "/24", "dev", TestLink);
        Shell.Run("ip", "link", "set", TestLink, "up");
    }

    /// <summary>The namespace of host <paramref name="name"/>.</summary>
    public static string Namespace(string name) => $"{Prefix}-{name}";

    /// <summary>Creates host <paramref name="name"/>: its namespace, loopback up, eth0 on the bridge with <paramref name="address"/>/24.</summary>
    public void AddHost(string name, string address)
    {
        var ns = Namespace(name);
        Shell.Run("ip", "netns", "add", ns);
        hosts.Add(ns);
        Shell.Run("ip", "-n", ns, "link", "set", "lo", "up");
        Shell.Run("ip", "-n", Switch, "link", "add", Port(name), "type", "veth", "peer", "name", "eth0", "netns", ns);
        Shell.Run("ip", "-n", Switch, "link", "set", Port(name), "master", "br0", "up");
        Shell.Run("ip", "-n", ns, "addr", "add", address + "/24", "dev", "eth0");
        Shell.Run("ip", "-n", ns, "link", "set", "eth0", "up");
    }

    /// <summary>Cuts host <paramref name="name"/> off: its port on the bridge goes down (its own side stays up, as when
    /// a switch port or a cable fails).</summary>
    public void Cut(string name) => Shell.Run("ip", "-n", Switch, "link", "set", Port(name), "down");

    /// <summary>Joins host <paramref name="name"/> to the network again.</summary>
    public void Restore(string name) => Shell.Run("ip", "-n", Switch, "link", "set", Port(name), "up");

    private static string Port(string name) => "p-" + name;

    public void Dispose() => RemoveLeftovers();

    /// <summary>Deletes every jfleet namespace (their veths go with them) and the test's own veth.</summary>
    private static void RemoveLeftovers()
    {
        foreach (var line in Shell.Run("ip", "netns", "list").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var ns = line.Split(' ')[0];
            if (!ns.StartsWith(Prefix + "-", StringComparison.Ordinal))
                continue;
            // Processes a crashed run left in the namespace (its daemons, silos, database) would keep it alive.
            foreach (var pid in Shell.Run("ip", "netns", "pids", ns).Split('\n', StringSplitOptions.RemoveEmptyEntries))
                Shell.TryRun("kill", "-KILL", pid.Trim());
            Shell.TryRun("ip", "netns", "delete", ns);
        }
        Shell.TryRun("ip", "link", "delete", TestLink);
    }
}
