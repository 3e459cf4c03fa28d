using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Conformance.Harness.Tests.FaultServer;

/// <summary>
/// An in-process HTTP/1.1 server on raw sockets that answers correctly by default and breaks exactly one
/// rule when <see cref="Fault"/> says so: it proves each check can fail against a real connection.
/// Routes map a path to a handler producing a <see cref="FaultResponse"/>; the fault is applied when the
/// response is written. Keep-alive by default; nothing here sleeps, every wait ends on I/O or on Dispose.
/// </summary>
public sealed partial class FaultServer : IAsyncDisposable, IDisposable
{
    private const int MaxRequestHead = 64 * 1024;

    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<string, FaultHandler> _routes = new(StringComparer.Ordinal);
    private readonly List<Task> _connections = [];
    private readonly List<Socket> _sockets = [];
    private readonly Lock _gate = new();
    private readonly Task _acceptLoop;
    private int _requestCount;

    public FaultServer(ResponseFault fault = ResponseFault.None)
    {
        Fault = fault;
        Map("/", _ => FaultResponse.Text(200, "OK", "hello"));
        Map("/empty", _ => new FaultResponse { Status = 204, Reason = "No Content" });
        Map("/close", _ => new FaultResponse { Action = FaultAction.Close });
        Map("/reset", _ => new FaultResponse { Action = FaultAction.Reset });
        Map("/hang", _ => new FaultResponse { Action = FaultAction.Hang });
        Map("/echo", r => new FaultResponse { Status = 200, Reason = "OK", Body = r.Body });
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = AcceptLoopAsync();
    }

    public int Port { get; }

    /// <summary>The rule this server breaks in every response it writes (None: a conformant server).</summary>
    public ResponseFault Fault { get; set; }

    /// <summary>The connection rule this server breaks (None: connections are managed correctly).</summary>
    public ConnectionFault ConnectionFault { get; set; }

    /// <summary>
    /// Not a fault: a server that does not persist connections and says so, sending "Connection: close" in
    /// every response and closing after it (RFC 9112 §9.3 allows exactly this).
    /// </summary>
    public bool AnnounceCloseAlways { get; set; }

    /// <summary>How many requests the server has parsed, over all connections.</summary>
    public int RequestCount => Volatile.Read(ref _requestCount);

    /// <summary>Adds or replaces the handler for an exact path (query ignored).</summary>
    public void Map(string path, FaultHandler handler)
    {
        lock (_gate) _routes[path] = handler;
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            // Started outside the lock: the connection's first steps may complete synchronously.
            lock (_gate) _sockets.Add(socket);
            var serving = ServeAsync(socket);
            lock (_gate) _connections.Add(serving);
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        var buffer = new RequestBuffer();
        var held = new Stack<FaultRequest>();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var request = await NextRequestAsync().ConfigureAwait(false);
                if (request is null) return;
                Interlocked.Increment(ref _requestCount);
                if (ConnectionFault == ConnectionFault.IgnoreClose) request = request.WithoutClose();

                // Request-side rules (FaultServer.Requests.cs): a conformant 400-and-close unless RequestFault says otherwise.
                switch (await RejectMalformedAsync(socket, request).ConfigureAwait(false))
                {
                    case Rejection.Closed: return;
                    case Rejection.AnsweredAndKeptOpen: continue;
                }

                FaultHandler? handler;
                lock (_gate) _routes.TryGetValue(request.Path, out handler);
                var response = handler?.Invoke(request) ?? Fallback?.Invoke(request) ?? FaultResponse.Text(404, "Not Found", "not found");

                switch (response.Action)
                {
                    case FaultAction.Close:
                        socket.Shutdown(SocketShutdown.Both);
                        return;
                    case FaultAction.Reset:
                        // Linger 0 makes Close send RST instead of FIN.
                        socket.LingerState = new LingerOption(true, 0);
                        socket.Close();
                        return;
                    case FaultAction.Hang:
                        // Answer nothing; keep reading so the connection ends only when the client or Dispose ends it.
                        continue;
                }

                if (AnnounceCloseAlways && response.Raw is null) response.Headers.Add(new("Connection", "close"));
                var (bytes, closeAfter) = FaultResponseWriter.Write(response, request, Fault);
                await socket.SendAsync(bytes, SocketFlags.None, _stop.Token).ConfigureAwait(false);
                if (response.ResetAfterRaw is { } gap)
                {
                    // The answer is on its way; the reset follows once the client has had time to read it, the way a
                    // server that closes with unread request bytes resets (RFC 9112 §9.6).
                    await Task.Delay(gap, _stop.Token).ConfigureAwait(false);
                    socket.LingerState = new LingerOption(true, 0);
                    socket.Close();
                    return;
                }
                if (AnnounceCloseAlways && response.Raw is null) closeAfter = true;
                if (ConnectionFault == ConnectionFault.AnswerFirstOnly) buffer.Discard();
                if (closeAfter || response.CloseAfter)
                {
                    socket.Shutdown(SocketShutdown.Both);
                    return;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The client went away or the server is stopping: either ends this connection.
        }
        finally
        {
            socket.Dispose();
        }

        // ReverseOrder takes every request already received whole and answers the last one first.
        async Task<FaultRequest?> NextRequestAsync()
        {
            if (held.Count > 0) return held.Pop();
            var first = await buffer.ReadRequestAsync(socket, SendContinueAsync, _stop.Token).ConfigureAwait(false);
            if (first is null || ConnectionFault != ConnectionFault.ReverseOrder) return first;
            held.Push(first);
            while (buffer.HasCompleteHead && await buffer.ReadRequestAsync(socket, SendContinueAsync, _stop.Token).ConfigureAwait(false) is { } next) held.Push(next);
            return held.Pop();
        }

        async Task SendContinueAsync(CancellationToken token)
        {
            if (RequestFault == RequestFault.WaitForBodyOnExpect) return;
            await socket.SendAsync("HTTP/1.1 100 Continue\r\n\r\n"u8.ToArray(), SocketFlags.None, token).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested) return;
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        await _acceptLoop.ConfigureAwait(false);
        Task[] pending;
        lock (_gate)
        {
            foreach (var s in _sockets) s.Dispose();
            pending = [.. _connections];
        }

        await Task.WhenAll(pending).ConfigureAwait(false);
        _stop.Dispose();
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>Bytes read from one connection, kept across requests so pipelined requests are parsed in order.</summary>
    private sealed class RequestBuffer
    {
        private byte[] _data = new byte[8192];
        private int _count;

        public async Task<FaultRequest?> ReadRequestAsync(Socket socket, Func<CancellationToken, Task> sendContinue, CancellationToken token)
        {
            int headEnd;
            while ((headEnd = FindHeadEnd()) < 0)
            {
                if (_count >= MaxRequestHead) return null;
                if (!await FillAsync(socket, token).ConfigureAwait(false)) return null;
            }

            var head = Encoding.Latin1.GetString(_data, 0, headEnd);
            var lines = head.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToList();
            var parts = lines.Count > 0 ? lines[0].Split(' ') : [];
            var headers = new List<KeyValuePair<string, string>>();
            foreach (var line in lines.Skip(1))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0) headers.Add(new(line[..colon].Trim(), line[(colon + 1)..].Trim()));
            }

            var request = new FaultRequest(
                parts.Length > 0 ? parts[0] : "",
                parts.Length > 1 ? parts[1] : "",
                parts.Length > 2 ? parts[2] : "",
                headers,
                []);
            _ = long.TryParse(request.Header("Content-Length"), out var length);
            if (length > 0 && string.Equals(request.Header("Expect"), "100-continue", StringComparison.OrdinalIgnoreCase))
            {
                await sendContinue(token).ConfigureAwait(false);
            }

            while (_count - headEnd < length)
            {
                if (!await FillAsync(socket, token).ConfigureAwait(false)) return null;
            }

            var body = _data.AsSpan(headEnd, (int)length).ToArray();
            var consumed = headEnd + (int)length;
            Buffer.BlockCopy(_data, consumed, _data, 0, _count - consumed);
            _count -= consumed;
            return request with { Body = body, RawHead = head };
        }

        /// <summary>A whole request head is already buffered (a pipelined request arrived with an earlier one).</summary>
        public bool HasCompleteHead => FindHeadEnd() >= 0;

        /// <summary>Drops every buffered byte: requests already received are never answered.</summary>
        public void Discard() => _count = 0;

        /// <summary>Index just past the empty line (CRLF CRLF, or bare LF LF which the server accepts leniently).</summary>
        private int FindHeadEnd()
        {
            var span = _data.AsSpan(0, _count);
            for (var i = 0; i < span.Length; i++)
            {
                if (span[i] != (byte)'\n') continue;
                if (i + 1 < span.Length && span[i + 1] == (byte)'\n') return i + 2;
                if (i + 2 < span.Length && span[i + 1] == (byte)'\r' && span[i + 2] == (byte)'\n') return i + 3;
            }

            return -1;
        }

        private async Task<bool> FillAsync(Socket socket, CancellationToken token)
        {
            if (_data.Length - _count < 4096) Array.Resize(ref _data, _data.Length * 2);
            var n = await socket.ReceiveAsync(_data.AsMemory(_count), SocketFlags.None, token).ConfigureAwait(false);
            _count += n;
            return n > 0;
        }
    }
}

public delegate FaultResponse FaultHandler(FaultRequest request);

/// <summary>A parsed request as the fault server saw it.</summary>
public sealed record FaultRequest(string Method, string Target, string Version, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body)
{
    public string Path => Target.Split('?')[0];

    public string? Header(string name) =>
        Headers.Where(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).FirstOrDefault();

    public bool IsHead => string.Equals(Method, "HEAD", StringComparison.Ordinal);

    /// <summary>The request line and field lines exactly as received (Latin-1), for the request-side rules.</summary>
    public string RawHead { get; init; } = "";
}

/// <summary>What the server does instead of (or by) answering.</summary>
public enum FaultAction
{
    Respond,
    /// <summary>Close the connection (FIN) without a response.</summary>
    Close,
    /// <summary>Reset the connection (RST) without a response.</summary>
    Reset,
    /// <summary>Never answer; keep the connection open.</summary>
    Hang,
}

/// <summary>A response before serialisation; the writer adds Date and framing and applies the fault.</summary>
public sealed class FaultResponse
{
    public int Status { get; init; } = 200;
    public string Reason { get; init; } = "OK";
    public List<KeyValuePair<string, string>> Headers { get; init; } = [];
    public byte[] Body { get; init; } = [];
    /// <summary>Send the body chunked instead of with Content-Length.</summary>
    public bool Chunked { get; init; }
    public FaultAction Action { get; init; }

    /// <summary>When set, these exact bytes are sent instead of a serialised response (no fault is applied).</summary>
    public byte[]? Raw { get; init; }

    /// <summary>Close the connection after sending <see cref="Raw"/>.</summary>
    public bool CloseAfterRaw { get; init; }

    /// <summary>Reset (RST) the connection this long after sending the response, instead of closing it.</summary>
    public TimeSpan? ResetAfterRaw { get; init; }

    /// <summary>Close after this response without saying so (no "Connection: close"): the RFC 9112 §9.3 fault.</summary>
    public bool CloseAfter { get; init; }

    public static FaultResponse Text(int status, string reason, string body) => new()
    {
        Status = status,
        Reason = reason,
        Headers = [new("Content-Type", "text/plain")],
        Body = Encoding.ASCII.GetBytes(body),
    };
}
