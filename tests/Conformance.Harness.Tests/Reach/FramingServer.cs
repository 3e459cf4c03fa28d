using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Conformance.Harness.Tests.Reach;

/// <summary>How <see cref="FramingServer"/> reads a request's content.</summary>
public enum ContentFraming
{
    /// <summary>RFC 9112 §6: Transfer-Encoding chunked (final) is decoded, else Content-Length is read; invalid framing is a 400 and a close.</summary>
    Correct,
    /// <summary>Answers without reading any content: the content is parsed as the next request (too few bytes).</summary>
    IgnoreContent,
    /// <summary>Reads two bytes more than Content-Length says: the next request is swallowed (too many bytes).</summary>
    ReadTwoExtraBytes,
    /// <summary>Frames by Content-Length when both it and Transfer-Encoding are present, and keeps the connection: request smuggling.</summary>
    ContentLengthOverChunked,
    /// <summary>Decodes chunked when Content-Length is present too, but keeps the connection (RFC 9112 §6.1 requires a close): what follows the chunked content is answered.</summary>
    ChunkedOverContentLengthKeepAlive,
    /// <summary>Frames correctly, but closes after refusing content (405) without announcing it.</summary>
    SilentCloseAfterRefusal,
    /// <summary>"/" answers any method 200 before reading the content, then closes without announcing it (Caddy's file server): nothing is misread.</summary>
    AnswerBeforeReadingThenClose,
    /// <summary>"/" answers any method 200 before reading the content, then reads it by its framing and keeps the connection (a close on invalid content): correct.</summary>
    AnswerBeforeReadingThenDrain,
    /// <summary>"/" answers any method 200 before reading the content and never reads it: the content is parsed as the next request.</summary>
    AnswerBeforeReadingKeepAlive,
    /// <summary>Refuses every method but GET and HEAD with 501 and a close before it reads a field (Python's http.server): correct.</summary>
    RefuseMethodFirst,
    /// <summary>As <see cref="RefuseMethodFirst"/>, but keeps the connection and parses the content as the next request.</summary>
    RefuseMethodFirstKeepAlive,
}

/// <summary>
/// A small HTTP/1.1 server on raw sockets for the evidence fallback's tests: "/" is a resource that does not
/// want content (GET 200, anything else 405 with Allow), "/echo" returns the decoded content. It frames
/// request content correctly unless <see cref="ContentFraming"/> says otherwise, so each misframing has a
/// server that commits it, with and without an echo role in the profile.
/// </summary>
public sealed class FramingServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _connections = [];
    private readonly Lock _gate = new();
    private readonly Task _accept;

    public FramingServer(ContentFraming framing)
    {
        Framing = framing;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accept = AcceptAsync();
    }

    public ContentFraming Framing { get; }
    public int Port { get; }

    private int _smuggled;

    /// <summary>How many requests for /smuggled the server answered.</summary>
    public int SmuggledAnswered => Volatile.Read(ref _smuggled);

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try { socket = await _listener.AcceptSocketAsync(_stop.Token).ConfigureAwait(false); }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException) { return; }
            var serving = ServeAsync(socket);
            lock (_gate) _connections.Add(serving);
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        var input = new Input(socket, _stop.Token);
        try
        {
            while (true)
            {
                var head = await input.ReadHeadAsync().ConfigureAwait(false);
                if (head is null) return;
                var lines = head.Split("\r\n").ToList();
                var requestLine = lines[0].Split(' ');
                var fields = lines.Skip(1).Where(l => l.Length > 0).Select(l => (Name: l[..Math.Max(0, l.IndexOf(':', StringComparison.Ordinal))], Value: l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim())).ToList();
                string? Field(string name) => fields.Where(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase)).Select(f => f.Value).FirstOrDefault();
                var requestParts = head.Split("\r\n")[0].Split(' ');
                if (Framing is ContentFraming.RefuseMethodFirst or ContentFraming.RefuseMethodFirstKeepAlive && requestParts[0] is not ("GET" or "HEAD"))
                {
                    var keep = Framing == ContentFraming.RefuseMethodFirstKeepAlive;
                    await RespondAsync(socket, 501, "Not Implemented", "unsupported method", close: !keep).ConfigureAwait(false);
                    if (keep) continue;
                    socket.Shutdown(SocketShutdown.Both);
                    return;
                }
                // The method is a token (RFC 9110 §9.1): content left unread and parsed as a request-line fails here.
                static bool IsToken(string s) => s.Length > 0 && s.All(c => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal));
                if (requestLine.Length != 3 || !IsToken(requestLine[0]) || fields.Any(f => f.Name.Length == 0 || f.Name.EndsWith(' ') || f.Name.EndsWith('\t')) || Field("Host") is null)
                {
                    await RespondAsync(socket, 400, "Bad Request", "bad request", close: true).ConfigureAwait(false);
                    return;
                }
                var te = Field("Transfer-Encoding");
                var cl = Field("Content-Length");
                if (Field("Expect") is { } expect && expect.Equals("100-continue", StringComparison.OrdinalIgnoreCase) && requestLine[2] == "HTTP/1.1")
                    await socket.SendAsync("HTTP/1.1 100 Continue\r\n\r\n"u8.ToArray(), SocketFlags.None, _stop.Token).ConfigureAwait(false);

                var (method, path) = (requestLine[0], requestLine[1]);
                if (Framing is ContentFraming.AnswerBeforeReadingThenClose or ContentFraming.AnswerBeforeReadingThenDrain or ContentFraming.AnswerBeforeReadingKeepAlive
                    && path == "/" && method is not ("GET" or "HEAD"))
                {
                    await RespondAsync(socket, 200, "OK", "hello", close: false).ConfigureAwait(false);
                    if (Framing == ContentFraming.AnswerBeforeReadingKeepAlive) continue;
                    var drained = Framing == ContentFraming.AnswerBeforeReadingThenDrain
                        && (te is not null ? await input.ReadChunkedAsync().ConfigureAwait(false) is not null
                            : cl is null || (cl.All(char.IsAsciiDigit) && cl.Length is > 0 and <= 9 && await input.ReadExactlyAsync(int.Parse(cl, System.Globalization.CultureInfo.InvariantCulture)).ConfigureAwait(false) is not null));
                    if (drained) continue;
                    socket.Shutdown(SocketShutdown.Both);
                    return;
                }

                byte[]? content = [];
                var mustClose = false;
                if (Framing == ContentFraming.IgnoreContent) { }
                else if (te is not null && (cl is null || Framing != ContentFraming.ContentLengthOverChunked))
                {
                    // RFC 9112 §6.1: with both, use Transfer-Encoding and close after the response.
                    mustClose = cl is not null && Framing != ContentFraming.ChunkedOverContentLengthKeepAlive;
                    if (!te.Split(',').Select(c => c.Trim()).Last().Equals("chunked", StringComparison.OrdinalIgnoreCase))
                    {
                        await RespondAsync(socket, 501, "Not Implemented", "unknown coding", close: true).ConfigureAwait(false);
                        return;
                    }
                    content = await input.ReadChunkedAsync().ConfigureAwait(false);
                }
                else if (cl is not null)
                {
                    if (cl.Length == 0 || !cl.All(char.IsAsciiDigit) || cl.Length > 9)
                    {
                        await RespondAsync(socket, 400, "Bad Request", "invalid Content-Length", close: true).ConfigureAwait(false);
                        return;
                    }
                    var length = int.Parse(cl, System.Globalization.CultureInfo.InvariantCulture) + (Framing == ContentFraming.ReadTwoExtraBytes ? 2 : 0);
                    content = await input.ReadExactlyAsync(length).ConfigureAwait(false);
                }
                if (content is null)
                {
                    await RespondAsync(socket, 400, "Bad Request", "invalid content", close: true).ConfigureAwait(false);
                    return;
                }
                if (path == "/smuggled") Interlocked.Increment(ref _smuggled);
                mustClose |= (Field("Connection") ?? "").Contains("close", StringComparison.OrdinalIgnoreCase) || requestLine[2] == "HTTP/1.0";
                if (path == "/echo") await RespondAsync(socket, 200, "OK", Encoding.Latin1.GetString(content), mustClose).ConfigureAwait(false);
                else if (path is "/" or "/smuggled" && method is "GET" or "HEAD") await RespondAsync(socket, 200, "OK", "hello", mustClose, head: method == "HEAD").ConfigureAwait(false);
                else if (path == "/")
                {
                    await RespondAsync(socket, 405, "Method Not Allowed", "GET only", mustClose, allow: true).ConfigureAwait(false);
                    if (Framing == ContentFraming.SilentCloseAfterRefusal) mustClose = true;
                }
                else await RespondAsync(socket, 404, "Not Found", "not found", mustClose).ConfigureAwait(false);
                if (mustClose)
                {
                    socket.Shutdown(SocketShutdown.Both);
                    return;
                }
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException or IOException) { }
        finally
        {
            socket.Dispose();
        }
    }

    private async Task RespondAsync(Socket socket, int status, string reason, string body, bool close, bool head = false, bool allow = false)
    {
        var bytes = Encoding.Latin1.GetBytes(body);
        var text = $"HTTP/1.1 {status} {reason}\r\nDate: {DateTimeOffset.UtcNow:R}\r\nContent-Type: text/plain\r\nContent-Length: {bytes.Length}\r\n"
            + (allow ? "Allow: GET, HEAD\r\n" : "") + (close ? "Connection: close\r\n" : "") + "\r\n";
        await socket.SendAsync(Encoding.ASCII.GetBytes(text).Concat(head ? [] : bytes).ToArray(), SocketFlags.None, _stop.Token).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        Task[] all;
        lock (_gate) all = [.. _connections];
        try { await Task.WhenAll(all.Append(_accept)).ConfigureAwait(false); }
        catch (Exception e) when (e is OperationCanceledException or SocketException) { }
        _stop.Dispose();
    }

    /// <summary>Buffered reads from one connection: heads, exact lengths, chunked content. Null: malformed or closed.</summary>
    private sealed class Input(Socket socket, CancellationToken token)
    {
        private readonly List<byte> _buffer = [];

        private async Task<bool> FillAsync()
        {
            var chunk = new byte[4096];
            var n = await socket.ReceiveAsync(chunk, SocketFlags.None, token).ConfigureAwait(false);
            if (n == 0) return false;
            _buffer.AddRange(chunk.AsSpan(0, n).ToArray());
            return true;
        }

        public async Task<string?> ReadHeadAsync()
        {
            while (true)
            {
                while (_buffer.Count > 0 && _buffer[0] is (byte)'\r' or (byte)'\n') _buffer.RemoveAt(0);
                var text = Encoding.Latin1.GetString([.. _buffer]);
                var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                if (end >= 0)
                {
                    _buffer.RemoveRange(0, end + 4);
                    return text[..end];
                }
                if (!await FillAsync().ConfigureAwait(false)) return null;
            }
        }

        public async Task<byte[]?> ReadExactlyAsync(int length)
        {
            while (_buffer.Count < length)
                if (!await FillAsync().ConfigureAwait(false)) return null;
            var taken = _buffer.GetRange(0, length).ToArray();
            _buffer.RemoveRange(0, length);
            return taken;
        }

        private async Task<string?> ReadLineAsync()
        {
            while (true)
            {
                var lf = _buffer.IndexOf((byte)'\n');
                if (lf > 0 && _buffer[lf - 1] == '\r')
                {
                    var line = Encoding.Latin1.GetString([.. _buffer.GetRange(0, lf - 1)]);
                    _buffer.RemoveRange(0, lf + 1);
                    return line;
                }
                if (lf >= 0) return null; // a bare LF: this server is strict
                if (!await FillAsync().ConfigureAwait(false)) return null;
            }
        }

        public async Task<byte[]?> ReadChunkedAsync()
        {
            var content = new List<byte>();
            while (true)
            {
                var line = await ReadLineAsync().ConfigureAwait(false);
                if (line is null) return null;
                var size = line.Split(';')[0].TrimEnd(' ', '\t');
                if (size.Length == 0 || size.Length > 8 || !size.All(Uri.IsHexDigit)) return null;
                var n = Convert.ToInt32(size, 16);
                if (n == 0)
                {
                    while (await ReadLineAsync().ConfigureAwait(false) is { } trailer)
                        if (trailer.Length == 0) return [.. content];
                    return null;
                }
                if (await ReadExactlyAsync(n).ConfigureAwait(false) is not { } data) return null;
                content.AddRange(data);
                if (await ReadLineAsync().ConfigureAwait(false) is not "") return null;
            }
        }
    }
}
