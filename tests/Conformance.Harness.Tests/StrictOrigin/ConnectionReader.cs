using System.Net.Sockets;

namespace Conformance.Harness.Tests.StrictOrigin;

/// <summary>How a line read by <see cref="ConnectionReader.ReadLineAsync"/> ended.</summary>
internal enum LineEnd
{
    /// <summary>CRLF, the only line terminator this server accepts (RFC 9112 §2.2).</summary>
    CrLf,

    /// <summary>A LF without CR: RFC 9112 §2.2 lets a recipient accept it (MAY); this server refuses it.</summary>
    BareLf,

    /// <summary>No LF within the limit: the line is longer than the server will parse.</summary>
    TooLong,

    /// <summary>The client closed (or the read bound expired) before the line ended.</summary>
    Closed,
}

/// <summary>
/// Buffered reads from one connection. The bytes after a message stay buffered for the next one, which is what
/// makes pipelined requests (RFC 9112 §9.3.2) work: nothing is read past what the current message needs.
/// </summary>
internal sealed class ConnectionReader(Socket socket)
{
    private byte[] buffer = new byte[16 * 1024];
    private int start;
    private int end;

    /// <summary>True when no byte of a further request has arrived yet.</summary>
    public bool IsEmpty => start == end;

    /// <summary>
    /// Reads one line up to (not including) its LF; <paramref name="line"/> excludes the CR of a CRLF. A line
    /// longer than <paramref name="max"/> bytes is not read whole: <see cref="LineEnd.TooLong"/> comes back with the
    /// first <paramref name="max"/> bytes, so the caller can tell what it was (a request-line or a field line).
    /// </summary>
    public async Task<(byte[] Line, LineEnd End)> ReadLineAsync(int max, CancellationToken ct)
    {
        var scanned = 0;
        while (true)
        {
            var lf = Array.IndexOf(buffer, (byte)'\n', start + scanned, end - start - scanned);
            if (lf >= 0)
            {
                var length = lf - start;
                var crlf = length > 0 && buffer[lf - 1] == '\r';
                var line = buffer.AsSpan(start, crlf ? length - 1 : length).ToArray();
                start = lf + 1;
                return (line, crlf ? LineEnd.CrLf : LineEnd.BareLf);
            }
            scanned = end - start;
            if (scanned > max) return (buffer.AsSpan(start, max).ToArray(), LineEnd.TooLong);
            if (!await FillAsync(ct).ConfigureAwait(false)) return (buffer.AsSpan(start, end - start).ToArray(), LineEnd.Closed);
        }
    }

    /// <summary>Copies exactly <paramref name="count"/> bytes to <paramref name="into"/>; false if the client closed first.</summary>
    public async Task<bool> ReadExactlyAsync(long count, Stream into, CancellationToken ct)
    {
        while (count > 0)
        {
            if (start == end && !await FillAsync(ct).ConfigureAwait(false)) return false;
            var take = (int)Math.Min(count, end - start);
            into.Write(buffer, start, take);
            start += take;
            count -= take;
        }
        return true;
    }

    /// <summary>Waits for the first byte of a further request; false if the client closed.</summary>
    public async Task<bool> WaitForDataAsync(CancellationToken ct) => start < end || await FillAsync(ct).ConfigureAwait(false);

    private async Task<bool> FillAsync(CancellationToken ct)
    {
        if (start > 0 && start == end) start = end = 0;
        if (end == buffer.Length)
        {
            if (start > 0)
            {
                Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                end -= start;
                start = 0;
            }
            else
            {
                Array.Resize(ref buffer, buffer.Length * 2);
            }
        }
        int n;
        try
        {
            n = await socket.ReceiveAsync(buffer.AsMemory(end), SocketFlags.None, ct).ConfigureAwait(false);
        }
        catch (SocketException)
        {
            return false;
        }
        end += n;
        return n > 0;
    }
}
