using System.Text;

namespace Conformance.Harness.Engine;

/// <summary>
/// Finds the request lines in bytes the harness sent, so each response can be matched with its request's
/// method (a HEAD response has no content) and version (no Transfer-Encoding to HTTP/1.0). It is
/// deliberately forgiving: the bytes may be malformed on purpose.
/// </summary>
public static class RequestScanner
{
    /// <param name="Version">
    /// The HTTP-version of a well-formed request-line (method SP request-target SP HTTP-version, ended by CRLF
    /// or LF), or "" when the line has no version, a malformed one, or a bare CR: the server then received no
    /// version, and the rules that depend on the request's version (RFC 9110 §6.2) do not apply.
    /// </param>
    /// <param name="AskedClose">The request carried the "close" connection option (RFC 9112 §9.6).</param>
    /// <param name="AskedKeepAlive">The request carried the "keep-alive" connection option (RFC 9112 §9.3, HTTP/1.0).</param>
    public sealed record SentRequest(string Method, string Version, bool AskedClose = false, bool AskedKeepAlive = false);

    /// <summary>The version the scanner reports for a request-line whose version it could not read.</summary>
    public const string NoVersion = "";

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
            // A line ends in CRLF or LF; a CR followed by anything else is a bare CR (RFC 9112 §2.2) and the
            // "line" the server sees is not this one.
            var properEnd = lineEnd >= 0 && (head[lineEnd] == '\n' || (lineEnd + 1 < head.Length && head[lineEnd + 1] == '\n'));
            var version = parts.Length == 3 && properEnd && IsHttpVersion(parts[2]) ? parts[2] : NoVersion;
            found.Add(new SentRequest(parts[0], version, HasOption(head, "close"), HasOption(head, "keep-alive")));
            if (headEnd < 0) break;
            pos += headEnd;
            pos += ContentLength(head);
        }
        return found;
    }

    /// <summary>HTTP-version = HTTP-name "/" DIGIT "." DIGIT, HTTP-name case-sensitive (RFC 9112 §2.3).</summary>
    private static bool IsHttpVersion(string v)
        => v.Length == 8 && v.StartsWith("HTTP/", StringComparison.Ordinal) && char.IsAsciiDigit(v[5]) && v[6] == '.' && char.IsAsciiDigit(v[7]);

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

    private static bool HasOption(ReadOnlySpan<byte> head, string option)
    {
        foreach (var line in Encoding.Latin1.GetString(head).Split('\n'))
        {
            var l = line.TrimEnd('\r');
            if (l.StartsWith("Connection:", StringComparison.OrdinalIgnoreCase)
                && l[11..].Split(',').Any(o => o.Trim(' ', '\t').Equals(option, StringComparison.OrdinalIgnoreCase)))
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
