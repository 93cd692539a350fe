using System.Net;
using System.Net.Sockets;

namespace Judge.Tests;

/// <summary>Free loopback ports for servers the tests start.</summary>
internal static class Ports
{
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
