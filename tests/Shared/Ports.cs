using System.Net;
using System.Net.Sockets;

namespace Judge.Tests;

/// <summary>Free loopback ports for servers the tests start.</summary>
internal static class Ports
{
    private static readonly HashSet<int> Given = [];

    /// <summary>A port free on loopback now and never handed out before in this process. The kernel may offer the same
    /// ephemeral port to two binds in a row once the first listener closes, so without the memory two ports asked for
    /// together (a silo's port and its gateway port) can be equal.</summary>
    public static int Free()
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            lock (Given)
                if (Given.Add(port))
                    return port;
        }
    }
}
