using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Conformance.Harness.Tests.ReferenceServer;

/// <summary>One response as it came off the socket: the head verbatim, the content by its own framing.</summary>
internal sealed record RawReply(string Head, int Status, IReadOnlyList<KeyValuePair<string, string>> Fields, byte[] Body)
{
    /// <summary>Bytes the server sent after this message ended, up to the close (should be none).</summary>
    public byte[] AfterMessage { get; init; } = [];

    public string BodyText => Encoding.UTF8.GetString(Body);

    public IEnumerable<string> All(string name) =>
        Fields.Where(f => string.Equals(f.Key, name, StringComparison.OrdinalIgnoreCase)).Select(f => f.Value);

    public string? Field(string name) => All(name).FirstOrDefault();
}

/// <summary>
/// A deliberately tiny raw HTTP/1.1 client for the reference server's own tests (the harness's wire layer is
/// built elsewhere). Exact request bytes out; responses read by Content-Length or chunked framing; every read
/// bounded by ReceiveTimeout, so a wrong server fails a test instead of hanging the run.
/// </summary>
internal sealed class RawConnection : IDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private readonly TcpClient _client = new() { ReceiveTimeout = (int)Timeout.TotalMilliseconds, SendTimeout = (int)Timeout.TotalMilliseconds };
    private readonly List<byte> _pending = [];
    private readonly NetworkStream _stream;

    public RawConnection(int port)
    {
        if (!_client.ConnectAsync(IPAddress.Loopback, port).Wait(Timeout))
            throw new TimeoutException($"connect to 127.0.0.1:{port} timed out");
        _stream = _client.GetStream();
    }

    /// <summary>Builds a request with Host and Connection: close, so the exchange ends with the server closing.</summary>
    public static string Request(string method, string target, params string[] fields) =>
        $"{method} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n{string.Concat(fields.Select(f => f + "\r\n"))}Connection: close\r\n\r\n";

    /// <summary>One request on a fresh connection; also collects anything sent after the response, until close.</summary>
    public static RawReply Exchange(int port, string request, bool bodiless = false) => Exchange(port, Encoding.Latin1.GetBytes(request), bodiless);

    public static RawReply Exchange(int port, byte[] request, bool bodiless = false)
    {
        using var connection = new RawConnection(port);
        connection.Send(request);
        var reply = connection.ReadResponse(bodiless);
        return reply with { AfterMessage = connection.ReadToEnd() };
    }

    public void Send(byte[] bytes) => _stream.Write(bytes);

    /// <param name="bodiless">True for a response to HEAD, whose framing fields describe a body that is not sent.</param>
    public RawReply ReadResponse(bool bodiless = false)
    {
        var headBytes = ReadUntil("\r\n\r\n"u8);
        var head = Encoding.Latin1.GetString(headBytes);
        var lines = head[..^4].Split("\r\n");
        var status = int.Parse(lines[0].AsSpan(9, 3), NumberStyles.None, CultureInfo.InvariantCulture);
        var fields = lines.Skip(1).Select(l =>
        {
            var colon = l.IndexOf(':', StringComparison.Ordinal);
            return KeyValuePair.Create(l[..colon], l[(colon + 1)..].Trim(' ', '\t'));
        }).ToList();
        var reply = new RawReply(head, status, fields, []);

        if (bodiless || status is 204 or 304 || status < 200) return reply;
        if (reply.Field("Transfer-Encoding") is { } te && te.EndsWith("chunked", StringComparison.OrdinalIgnoreCase))
            return reply with { Body = ReadChunked() };
        if (reply.Field("Content-Length") is { } cl)
            return reply with { Body = Take(int.Parse(cl, NumberStyles.None, CultureInfo.InvariantCulture)) };
        return reply with { Body = ReadToEnd() };
    }

    public byte[] ReadToEnd()
    {
        while (Fill()) { }
        return Take(_pending.Count);
    }

    private byte[] ReadChunked()
    {
        var body = new List<byte>();
        while (true)
        {
            var line = Encoding.Latin1.GetString(ReadUntil("\r\n"u8)).TrimEnd('\r', '\n');
            var size = int.Parse(line.Split(';')[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (size == 0)
            {
                while (ReadUntil("\r\n"u8).Length > 2) { } // trailer fields, then the final CRLF
                return [.. body];
            }
            body.AddRange(Take(size));
            Take(2);
        }
    }

    private byte[] ReadUntil(ReadOnlySpan<byte> terminator)
    {
        while (true)
        {
            var at = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_pending).IndexOf(terminator);
            if (at >= 0) return Take(at + terminator.Length);
            if (!Fill()) throw new EndOfStreamException($"connection closed before {Encoding.Latin1.GetString(terminator).Replace("\r\n", "CRLF", StringComparison.Ordinal)}; got {_pending.Count} bytes");
        }
    }

    private byte[] Take(int count)
    {
        while (_pending.Count < count)
        {
            if (!Fill()) throw new EndOfStreamException($"connection closed with {_pending.Count} of {count} content bytes");
        }
        var taken = _pending.GetRange(0, count).ToArray();
        _pending.RemoveRange(0, count);
        return taken;
    }

    /// <summary>One read; false when the server closed (0 bytes or reset). Throws IOException on timeout.</summary>
    private bool Fill()
    {
        var buffer = new byte[8192];
        int read;
        try
        {
            read = _stream.Read(buffer);
        }
        catch (IOException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionReset })
        {
            return false;
        }
        _pending.AddRange(buffer.AsSpan(0, read));
        return read > 0;
    }

    public void Dispose()
    {
        _stream?.Dispose();
        _client.Dispose();
    }
}
