using System.Net;
using System.Net.Sockets;

namespace Conformance.Harness.Tests.Survival;

/// <summary>
/// A loopback relay in front of a correct server that delivers the server's bytes slowly: each burst the
/// server writes reaches the client in small pieces spread over <see cref="Spread"/> (a response of a few
/// hundred bytes arrives almost byte by byte over about that long). The client's bytes go through at once,
/// and a close or reset by the server follows its last byte. It proves that a slow but correct server gets
/// the verdicts of a fast one: the gaps are the stimulus of this test server, never waits of the harness.
/// </summary>
public sealed class TrickleRelay : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly int upstreamPort;
    private readonly CancellationTokenSource stop = new();
    private readonly List<Task> connections = [];
    private readonly Lock gate = new();
    private readonly Task accepting;

    public TrickleRelay(int upstreamPort, TimeSpan spread)
    {
        this.upstreamPort = upstreamPort;
        Spread = spread;
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        accepting = AcceptAsync();
    }

    public int Port { get; }

    /// <summary>How long each burst of the server's bytes takes to reach the client.</summary>
    public TimeSpan Spread { get; }

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptSocketAsync(stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            var relaying = RelayAsync(client);
            lock (gate) connections.Add(relaying);
        }
    }

    private async Task RelayAsync(Socket client)
    {
        using var _ = client;
        using var upstream = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        client.NoDelay = true;
        try
        {
            await upstream.ConnectAsync(new IPEndPoint(IPAddress.Loopback, upstreamPort), stop.Token).ConfigureAwait(false);
            var up = PumpUpAsync(client, upstream);
            var down = PumpDownAsync(upstream, client);
            await Task.WhenAll(up, down).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Either side went away, or the test ended.
        }
    }

    /// <summary>Client to server, at once; the client's close is passed on as a half-close.</summary>
    private async Task PumpUpAsync(Socket client, Socket upstream)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var n = await client.ReceiveAsync(buffer, SocketFlags.None, stop.Token).ConfigureAwait(false);
                if (n == 0) break;
                await upstream.SendAsync(buffer.AsMemory(0, n), SocketFlags.None, stop.Token).ConfigureAwait(false);
            }
            upstream.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The other pump ends the connection.
        }
    }

    /// <summary>
    /// Server to client: whatever the server has written is drained in a piece every <see cref="Tick"/>, sized
    /// so that the bytes queued when a burst began (and any that join it) are all delivered about
    /// <see cref="Spread"/> after the burst began; then the server's close or reset follows.
    /// </summary>
    private async Task PumpDownAsync(Socket upstream, Socket client)
    {
        var queue = new List<byte>();
        var arrived = new SemaphoreSlim(0);
        var ended = false;
        var reset = false;
        var reading = Task.Run(async () =>
        {
            var buffer = new byte[64 * 1024];
            try
            {
                while (true)
                {
                    var n = await upstream.ReceiveAsync(buffer, SocketFlags.None, stop.Token).ConfigureAwait(false);
                    if (n == 0) break;
                    lock (queue) queue.AddRange(buffer.AsSpan(0, n));
                    arrived.Release();
                }
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
            {
                reset = true;
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // The test ended or the client side went away.
            }
            finally
            {
                ended = true;
                arrived.Release();
            }
        });

        try
        {
            while (true)
            {
                await arrived.WaitAsync(stop.Token).ConfigureAwait(false);
                var burstStart = DateTime.UtcNow;
                while (true)
                {
                    byte[] piece;
                    lock (queue)
                    {
                        if (queue.Count == 0) break;
                        var ticksLeft = Math.Max(1, (int)((burstStart + Spread - DateTime.UtcNow) / Tick));
                        var take = Math.Max(1, (queue.Count + ticksLeft - 1) / ticksLeft);
                        piece = [.. queue.GetRange(0, take)];
                        queue.RemoveRange(0, take);
                    }
                    await client.SendAsync(piece, SocketFlags.None, stop.Token).ConfigureAwait(false);
                    await Task.Delay(Tick, stop.Token).ConfigureAwait(false);
                }
                bool drained;
                lock (queue) drained = queue.Count == 0;
                if (ended && drained) break;
            }
            if (reset) client.LingerState = new LingerOption(true, 0);
            else client.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The client gave up (a bound of the harness) or the test ended.
        }
        finally
        {
            client.Close();
            upstream.Close();
            await reading.ConfigureAwait(false);
            arrived.Dispose();
        }
    }

    /// <summary>The gap between two pieces.</summary>
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(60);

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync().ConfigureAwait(false);
        listener.Stop();
        await accepting.ConfigureAwait(false);
        Task[] all;
        lock (gate) all = [.. connections];
        await Task.WhenAll(all).ConfigureAwait(false);
        stop.Dispose();
    }
}
