using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace Judge.Sandbox.IntegrationTests;

/// <summary>
/// What the hostile cases attack on the host: a secret in this process's environment and in a 0600 file, and
/// a TCP listener and UDP socket on 127.0.0.1:47113 that count every connection and datagram they see.
/// </summary>
public sealed class HostileHost : IDisposable
{
    /// <summary>The environment variable holding <see cref="Secret"/>; a case's <c>output-lacks:</c> naming it means the secret's value.</summary>
    public const string SecretVariable = "JUDGE_HOSTILE_SECRET";

    /// <summary>The file holding <see cref="Secret"/> (mode 0600).</summary>
    public const string SecretFile = "/tmp/judge-hostile-secret.txt";

    /// <summary>The loopback port the network cases try to reach.</summary>
    public const int Port = 47113;

    private readonly TcpListener tcp;
    private readonly UdpClient udp;
    private readonly CancellationTokenSource stopping = new();
    private readonly Task tcpLoop;
    private readonly Task udpLoop;
    private int contacts;

    public HostileHost()
    {
        Secret = "hostile-secret-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        Environment.SetEnvironmentVariable(SecretVariable, Secret);
        File.Delete(SecretFile);
        using (var stream = new FileStream(SecretFile, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        }))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(Secret);
        }

        tcp = new TcpListener(IPAddress.Loopback, Port);
        // the connections this host accepted and closed in a run a minute ago wait in TIME_WAIT on the port: without
        // SO_REUSEADDR a second run of the suite right after the first could not listen on it
        tcp.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        tcp.Start();
        udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, Port));
        tcpLoop = Task.Run(AcceptAsync);
        udpLoop = Task.Run(ReceiveAsync);
    }

    /// <summary>The random secret of this test run.</summary>
    public string Secret { get; }

    /// <summary>Connections accepted plus datagrams received so far.</summary>
    public int Contacts => Volatile.Read(ref contacts);

    private async Task AcceptAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                using var client = await tcp.AcceptTcpClientAsync(stopping.Token);
                Interlocked.Increment(ref contacts);
            }
            catch (OperationCanceledException) { return; }
            catch (ObjectDisposedException) { return; }
            catch (SocketException) { }
        }
    }

    private async Task ReceiveAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await udp.ReceiveAsync(stopping.Token);
                Interlocked.Increment(ref contacts);
            }
            catch (OperationCanceledException) { return; }
            catch (ObjectDisposedException) { return; }
            catch (SocketException) { }
        }
    }

    public void Dispose()
    {
        stopping.Cancel();
        tcp.Stop();
        udp.Dispose();
        try
        {
            Task.WaitAll([tcpLoop, udpLoop], TimeSpan.FromSeconds(5));
        }
        catch (AggregateException) { }
        stopping.Dispose();
        File.Delete(SecretFile);
        Environment.SetEnvironmentVariable(SecretVariable, null);
    }
}
