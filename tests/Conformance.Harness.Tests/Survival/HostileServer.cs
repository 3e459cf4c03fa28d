using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Conformance.Harness.Tests.Survival;

/// <summary>The ways a buggy or hostile server can misbehave at the socket level (issue 8, "Survival").</summary>
public enum Hostility
{
    /// <summary>Accepts and never answers, keeping the connection open.</summary>
    NeverAnswers,
    /// <summary>A valid head, then a body that never ends (until-close framing, bytes forever).</summary>
    EndlessBody,
    /// <summary>A status line, then header lines forever.</summary>
    EndlessHeaders,
    /// <summary>A valid response, one byte at a time with a gap between bytes.</summary>
    Trickle,
    /// <summary>Random binary garbage instead of a response.</summary>
    Garbage,
    /// <summary>Half a response, then a TCP reset.</summary>
    ResetMidResponse,
    /// <summary>Accepts and closes at once.</summary>
    AcceptAndClose,
    /// <summary>10 MB of header lines, then the empty line and a tiny body.</summary>
    TenMegabytesOfHeaders,
}

/// <summary>
/// A raw-socket server that misbehaves in one way, so the harness can prove it survives: every case ends
/// within its bound, with a reason, keeping bounded memory. Test code: its gaps between bytes are the
/// stimulus. Disposing it stops every connection.
/// </summary>
public sealed class HostileServer : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stop = new();
    private readonly List<Task> connections = [];
    private readonly Lock gate = new();
    private readonly Task acceptLoop;

    public HostileServer(Hostility hostility)
    {
        Hostility = hostility;
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        acceptLoop = AcceptAsync();
    }

    public Hostility Hostility { get; }

    public int Port { get; }

    /// <summary>Bytes this server has written, over all connections.</summary>
    public long BytesWritten => Interlocked.Read(ref written);

    private long written;

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptSocketAsync(stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            var serving = ServeAsync(socket);
            lock (gate) connections.Add(serving);
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        var ct = stop.Token;
        try
        {
            if (Hostility == Hostility.AcceptAndClose)
            {
                socket.Close(0);
                return;
            }
            await ReadRequestHeadAsync(socket, ct).ConfigureAwait(false);
            switch (Hostility)
            {
                case Hostility.NeverAnswers:
                    await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false);
                    break;
                case Hostility.EndlessBody:
                    await SendAsync(socket, "HTTP/1.1 200 OK\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nConnection: close\r\n\r\n", ct).ConfigureAwait(false);
                    var block = new byte[16 * 1024];
                    Array.Fill(block, (byte)'x');
                    while (true) await SendAsync(socket, block, ct).ConfigureAwait(false);
                case Hostility.EndlessHeaders:
                    await SendAsync(socket, "HTTP/1.1 200 OK\r\n", ct).ConfigureAwait(false);
                    var line = Encoding.ASCII.GetBytes("X-Forever: " + new string('y', 1000) + "\r\n");
                    while (true) await SendAsync(socket, line, ct).ConfigureAwait(false);
                case Hostility.Trickle:
                    foreach (var b in Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nContent-Length: 5000\r\n\r\n" + new string('z', 5000)))
                    {
                        await SendAsync(socket, new[] { b }, ct).ConfigureAwait(false);
                        await Task.Delay(20, ct).ConfigureAwait(false);
                    }
                    break;
                case Hostility.Garbage:
                    var garbage = new byte[4096];
                    new Random(42).NextBytes(garbage);
                    garbage[0] = 0x00;
                    await SendAsync(socket, garbage, ct).ConfigureAwait(false);
                    await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false);
                    break;
                case Hostility.ResetMidResponse:
                    await SendAsync(socket, "HTTP/1.1 200 OK\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nContent-Length: 100\r\n\r\nhalf of the bod", ct).ConfigureAwait(false);
                    socket.LingerState = new LingerOption(true, 0);
                    socket.Close();
                    return;
                case Hostility.TenMegabytesOfHeaders:
                    await SendAsync(socket, "HTTP/1.1 200 OK\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n", ct).ConfigureAwait(false);
                    var header = Encoding.ASCII.GetBytes("X-Big: " + new string('h', 1017) + "\r\n");
                    for (var sent = 0; sent < 10 * 1024 * 1024; sent += header.Length) await SendAsync(socket, header, ct).ConfigureAwait(false);
                    await SendAsync(socket, "Content-Length: 2\r\n\r\nok", ct).ConfigureAwait(false);
                    await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false);
                    break;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException or IOException)
        {
            // The client gave up or the test ended: exactly what a hostile server sees.
        }
        finally
        {
            socket.Dispose();
        }
    }

    private static async Task ReadRequestHeadAsync(Socket socket, CancellationToken ct)
    {
        var buffer = new byte[8192];
        var seen = new List<byte>();
        while (true)
        {
            var n = await socket.ReceiveAsync(buffer, SocketFlags.None, ct).ConfigureAwait(false);
            if (n == 0) return;
            seen.AddRange(buffer.AsSpan(0, n));
            if (Encoding.ASCII.GetString([.. seen]).Contains("\r\n\r\n", StringComparison.Ordinal)) return;
        }
    }

    private Task SendAsync(Socket socket, string text, CancellationToken ct) => SendAsync(socket, Encoding.ASCII.GetBytes(text), ct);

    private async Task SendAsync(Socket socket, byte[] bytes, CancellationToken ct)
    {
        await socket.SendAsync(bytes, SocketFlags.None, ct).ConfigureAwait(false);
        Interlocked.Add(ref written, bytes.Length);
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync().ConfigureAwait(false);
        listener.Stop();
        await acceptLoop.ConfigureAwait(false);
        Task[] all;
        lock (gate) all = [.. connections];
        await Task.WhenAll(all).ConfigureAwait(false);
        stop.Dispose();
    }
}
