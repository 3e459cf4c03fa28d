using System.Text;

namespace Conformance.Harness.Engine;

/// <summary>
/// Finds the request lines in bytes the harness sent, so each response can be matched with its request's
/// method (a HEAD response has no content) and version (no Transfer-Encoding to HTTP/1.0). It is
/// deliberately forgiving: the bytes may be malformed on purpose.
/// </summary>
public static class RequestScanner
{
    /// <param name="AskedClose">The request carried the "close" connection option (RFC 9112 §9.6).</param>
    public sealed record SentRequest(string Method, string Version, bool AskedClose = false);

    public static IReadOnlyList<SentRequest> Scan(ReadOnlySpan<byte> bytes)
    {
        var found = new List<SentRequest>();
        var pos = 0;
        while (pos < bytes.Length)
        {
            // RFC 9112 §2.2: a server ignores at least one empty line before the request-line.
            while (pos < bytes.Length && (bytes[pos] == '\r' || bytes[pos] == '\n')) pos++;
            if (pos >= bytes.Length) break;
            var headEnd = FindHeadEnd(bytes[pos..]);
            var head = headEnd < 0 ? bytes[pos..] : bytes.Slice(pos, headEnd);
            var lineEnd = head.IndexOfAny((byte)'\r', (byte)'\n');
            var requestLine = Encoding.Latin1.GetString(lineEnd < 0 ? head : head[..lineEnd]);
            var parts = requestLine.Split(' ');
            found.Add(new SentRequest(parts[0], parts.Length >= 3 ? parts[^1] : "HTTP/1.1", AsksClose(head)));
            if (headEnd < 0) break;
            pos += headEnd;
            pos += ContentLength(head);
        }
        return found;
    }

    /// <summary>Index just past the empty line ending the head (CRLFCRLF or LFLF), or -1.</summary>
    private static int FindHeadEnd(ReadOnlySpan<byte> bytes)
    {
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] != '\n') continue;
            if (i + 1 < bytes.Length && bytes[i + 1] == '\n') return i + 2;
            if (i + 2 < bytes.Length && bytes[i + 1] == '\r' && bytes[i + 2] == '\n') return i + 3;
        }
        return -1;
    }

    private static bool AsksClose(ReadOnlySpan<byte> head)
    {
        foreach (var line in Encoding.Latin1.GetString(head).Split('\n'))
        {
            var l = line.TrimEnd('\r');
            if (l.StartsWith("Connection:", StringComparison.OrdinalIgnoreCase)
                && l[11..].Split(',').Any(o => o.Trim(' ', '\t').Equals("close", StringComparison.OrdinalIgnoreCase)))
                return true;
        }
        return false;
    }

    private static int ContentLength(ReadOnlySpan<byte> head)
    {
        var text = Encoding.Latin1.GetString(head);
        foreach (var line in text.Split('\n'))
        {
            var l = line.TrimEnd('\r');
            if (l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)
                && int.TryParse(l[15..].Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n))
                return n;
        }
        return 0;
    }
}
