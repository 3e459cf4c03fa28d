namespace Conformance.Harness.Tests.StrictOrigin;

/// <summary>The character classes of RFC 9110 §5.6 and RFC 3986 §2 that the strict parser checks bytes against.</summary>
internal static class Grammar
{
    /// <summary>tchar (RFC 9110 §5.6.2): the characters of a token (method, field name, coding name).</summary>
    public static bool IsTchar(byte b) =>
        char.IsAsciiLetterOrDigit((char)b) || b is (byte)'!' or (byte)'#' or (byte)'$' or (byte)'%' or (byte)'&' or (byte)'\''
            or (byte)'*' or (byte)'+' or (byte)'-' or (byte)'.' or (byte)'^' or (byte)'_' or (byte)'`' or (byte)'|' or (byte)'~';

    public static bool IsToken(ReadOnlySpan<byte> text)
    {
        if (text.IsEmpty) return false;
        foreach (var b in text) if (!IsTchar(b)) return false;
        return true;
    }

    public static bool IsToken(string text) => text.Length > 0 && text.All(c => c < 0x80 && IsTchar((byte)c));

    /// <summary>OWS / BWS (RFC 9110 §5.6.3): SP or HTAB.</summary>
    public static bool IsWhitespace(byte b) => b is (byte)' ' or (byte)'\t';

    /// <summary>
    /// field-content (RFC 9110 §5.5): VCHAR, obs-text, and SP / HTAB between them. Every other control, CR, LF
    /// and NUL included, makes the value invalid ("a recipient of CR, LF, or NUL within a field value MUST either
    /// reject the message or replace each of those characters with SP"; this server rejects).
    /// </summary>
    public static bool IsFieldValueByte(byte b) => b is (byte)'\t' or >= 0x20 and not 0x7F;

    public static bool IsHexDigit(byte b) => char.IsAsciiHexDigit((char)b);

    /// <summary>unreserved (RFC 3986 §2.3).</summary>
    public static bool IsUnreserved(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~';

    /// <summary>sub-delims (RFC 3986 §2.2).</summary>
    public static bool IsSubDelim(char c) => c is '!' or '$' or '&' or '\'' or '(' or ')' or '*' or '+' or ',' or ';' or '=';

    /// <summary>pchar (RFC 3986 §3.3) without pct-encoded, which the callers check as a triplet.</summary>
    public static bool IsPcharLiteral(char c) => IsUnreserved(c) || IsSubDelim(c) || c is ':' or '@';

    /// <summary>
    /// path-abempty [ "?" query ] (RFC 3986 §3.3, §3.4): every percent sign starts a pct-encoded triplet, and
    /// nothing outside pchar, "/" and (in the query) "?" appears. A fragment ("#") is never part of a
    /// request-target (RFC 9112 §3.2).
    /// </summary>
    public static bool IsPathAndQuery(string text)
    {
        var inQuery = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '%')
            {
                if (i + 2 >= text.Length || !char.IsAsciiHexDigit(text[i + 1]) || !char.IsAsciiHexDigit(text[i + 2])) return false;
                i += 2;
            }
            else if (c == '?') inQuery = true;
            else if (!(IsPcharLiteral(c) || c == '/' || (inQuery && c == '?'))) return false;
        }
        return true;
    }

    /// <summary>
    /// uri-host [ ":" port ] (RFC 9110 §7.2, RFC 3986 §3.2.2): an IP-literal in brackets, or a reg-name (which
    /// covers IPv4address) of unreserved, pct-encoded and sub-delims; port is *DIGIT. An empty reg-name is valid.
    /// </summary>
    public static bool IsHostAndPort(string text, bool portRequired = false)
    {
        string rest;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || !IsIpLiteralBody(text[1..close])) return false;
            rest = text[(close + 1)..];
        }
        else
        {
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            var host = colon < 0 ? text : text[..colon];
            if (!IsRegName(host)) return false;
            rest = colon < 0 ? "" : text[colon..];
        }
        if (rest.Length == 0) return !portRequired;
        return rest[0] == ':' && rest[1..].All(char.IsAsciiDigit) && (!portRequired || rest.Length > 1);
    }

    private static bool IsRegName(string host)
    {
        for (var i = 0; i < host.Length; i++)
        {
            var c = host[i];
            if (c == '%')
            {
                if (i + 2 >= host.Length || !char.IsAsciiHexDigit(host[i + 1]) || !char.IsAsciiHexDigit(host[i + 2])) return false;
                i += 2;
            }
            else if (!(IsUnreserved(c) || IsSubDelim(c))) return false;
        }
        return true;
    }

    /// <summary>IP-literal = "[" ( IPv6address / IPvFuture ) "]" (RFC 3986 §3.2.2).</summary>
    private static bool IsIpLiteralBody(string body)
    {
        if (body.Length > 1 && body[0] is 'v' or 'V')
        {
            // IPvFuture = "v" 1*HEXDIG "." 1*( unreserved / sub-delims / ":" )
            var dot = body.IndexOf('.', StringComparison.Ordinal);
            return dot > 1 && body[1..dot].All(char.IsAsciiHexDigit) && dot + 1 < body.Length
                && body[(dot + 1)..].All(c => IsUnreserved(c) || IsSubDelim(c) || c == ':');
        }
        return body.Contains(':', StringComparison.Ordinal) && body.All(c => char.IsAsciiHexDigit(c) || c is ':' or '.')
            && System.Net.IPAddress.TryParse(body, out var address) && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
    }
}
