using System.Buffers;
using System.Net.WebSockets;

namespace Conformance.Harness.Browser.Devtools;

/// <summary>How the run reaches Chromium's DevTools.</summary>
public enum DevtoolsChannel
{
    /// <summary>
    /// Two pipes given to Chromium as its file descriptors 3 and 4 (--remote-debugging-pipe): no port that
    /// another local process could connect to, and no websocket client to start. Unix only (the descriptors
    /// are set up by /bin/sh).
    /// </summary>
    Pipe,

    /// <summary>A websocket on a loopback port Chromium picks (--remote-debugging-port=0); where there is no /bin/sh.</summary>
    WebSocket,
}

/// <summary>Carries whole DevTools messages (one JSON object each) both ways.</summary>
public abstract class DevtoolsTransport : IAsyncDisposable
{
    public abstract ValueTask SendAsync(ReadOnlyMemory<byte> message, CancellationToken ct);

    /// <summary>The next whole message (valid until the next call), or null once Chromium has closed its end.</summary>
    public abstract ValueTask<ReadOnlyMemory<byte>?> ReceiveAsync(CancellationToken ct);

    public abstract ValueTask DisposeAsync();
}

/// <summary>DevTools over a pair of pipes: every message is JSON followed by a NUL byte.</summary>
public sealed class PipeTransport(Stream toChromium, Stream fromChromium) : DevtoolsTransport
{
    private static readonly byte[] Terminator = [0];
    private readonly byte[] buffer = new byte[64 * 1024];
    private readonly ArrayBufferWriter<byte> message = new(64 * 1024);
    private int start;
    private int end;

    public override async ValueTask SendAsync(ReadOnlyMemory<byte> message, CancellationToken ct)
    {
        await toChromium.WriteAsync(message, ct).ConfigureAwait(false);
        await toChromium.WriteAsync(Terminator, ct).ConfigureAwait(false);
        await toChromium.FlushAsync(ct).ConfigureAwait(false);
    }

    public override async ValueTask<ReadOnlyMemory<byte>?> ReceiveAsync(CancellationToken ct)
    {
        message.ResetWrittenCount();
        while (true)
        {
            if (start < end)
            {
                var unread = buffer.AsSpan(start, end - start);
                var nul = unread.IndexOf((byte)0);
                if (nul >= 0)
                {
                    message.Write(unread[..nul]);
                    start += nul + 1;
                    return message.WrittenMemory;
                }
                message.Write(unread);
                start = end;
            }
            var read = await fromChromium.ReadAsync(buffer, ct).ConfigureAwait(false);
            if (read == 0) return null;
            (start, end) = (0, read);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await toChromium.DisposeAsync().ConfigureAwait(false);
        await fromChromium.DisposeAsync().ConfigureAwait(false);
    }
}

/// <summary>DevTools over Chromium's websocket; a message may come in several frames.</summary>
public sealed class WebSocketTransport : DevtoolsTransport
{
    private readonly ClientWebSocket socket = new();
    private readonly byte[] chunk = new byte[64 * 1024];
    private readonly ArrayBufferWriter<byte> message = new(64 * 1024);

    private WebSocketTransport()
    {
        // Chromium's DevTools socket sends no pings; a keep-alive would only add traffic.
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
    }

    public static async Task<WebSocketTransport> ConnectAsync(Uri endpoint, CancellationToken ct)
    {
        var transport = new WebSocketTransport();
        await transport.socket.ConnectAsync(endpoint, ct).ConfigureAwait(false);
        return transport;
    }

    public override ValueTask SendAsync(ReadOnlyMemory<byte> message, CancellationToken ct) =>
        socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, ct);

    public override async ValueTask<ReadOnlyMemory<byte>?> ReceiveAsync(CancellationToken ct)
    {
        message.ResetWrittenCount();
        ValueWebSocketReceiveResult part;
        do
        {
            part = await socket.ReceiveAsync(chunk.AsMemory(), ct).ConfigureAwait(false);
            if (part.MessageType == WebSocketMessageType.Close) return null;
            message.Write(chunk.AsSpan(0, part.Count));
        }
        while (!part.EndOfMessage);
        return message.WrittenMemory;
    }

    public override async ValueTask DisposeAsync()
    {
        try
        {
            if (socket.State == WebSocketState.Open)
            {
                using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, bound.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The browser may already be gone; nothing is left to close.
        }
        socket.Dispose();
    }
}
