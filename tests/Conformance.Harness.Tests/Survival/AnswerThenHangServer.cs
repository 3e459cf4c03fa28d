using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Conformance.Harness.Tests.Survival;

/// <summary>
/// Answers the first <c>answered</c> connections with a plain 200 and then holds every later connection
/// open in silence: the probe passes and some cases finish, while the rest are still in flight, which is
/// the moment an interrupt (Ctrl-C) must be tested at. <see cref="HangingConnections"/> lets a test wait
/// for that moment as an event instead of sleeping.
/// </summary>
public sealed class AnswerThenHangServer : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stop = new();
    private readonly List<Task> connections = [];
    private readonly Lock gate = new();
    private readonly Task acceptLoop;
    private readonly int answered;
    private readonly int hangingWanted;
    private readonly TaskCompletionSource hanging = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int accepted;

    public AnswerThenHangServer(int answered, int hangingWanted)
    {
        this.answered = answered;
        this.hangingWanted = hangingWanted;
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        acceptLoop = AcceptAsync();
    }

    public int Port { get; }

    public Uri BaseUri => new($"http://127.0.0.1:{Port}/");

    /// <summary>Completes once <c>hangingWanted</c> connections are being held open.</summary>
    public Task HangingConnections => hanging.Task;

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
            var n = Interlocked.Increment(ref accepted);
            var serving = ServeAsync(socket, n);
            lock (gate) connections.Add(serving);
        }
    }

    private async Task ServeAsync(Socket socket, int n)
    {
        var ct = stop.Token;
        try
        {
            var buffer = new byte[8192];
            var seen = new StringBuilder();
            while (!seen.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                var read = await socket.ReceiveAsync(buffer, SocketFlags.None, ct).ConfigureAwait(false);
                if (read == 0) return;
                seen.Append(Encoding.Latin1.GetString(buffer, 0, read));
            }
            if (n <= answered)
            {
                var reply = Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nDate: {DateTimeOffset.UtcNow:R}\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
                await socket.SendAsync(reply, SocketFlags.None, ct).ConfigureAwait(false);
                socket.Shutdown(SocketShutdown.Send);
                return;
            }
            if (n - answered >= hangingWanted) hanging.TrySetResult();
            await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The client went away or the test ended.
        }
        finally
        {
            socket.Dispose();
        }
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
