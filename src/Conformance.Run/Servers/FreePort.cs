using System.Net;
using System.Net.Sockets;

namespace Conformance.Harness.Servers;

/// <summary>Finds a loopback port that is free right now.</summary>
internal static class FreePort
{
    /// <summary>
    /// Binds port 0 and releases it. Another process may take the port before the server binds it; the
    /// launcher therefore retries on a bind failure and checks that the answer comes from its own server.
    /// </summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
