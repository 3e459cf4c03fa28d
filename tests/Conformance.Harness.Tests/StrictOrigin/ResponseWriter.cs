using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Conformance.Harness.Tests.StrictOrigin;

/// <summary>
/// Serialises responses by RFC 9112 §4-§6 and RFC 9110: one status line, CRLF everywhere, Date on every final
/// response, and the framing chosen by the server from the buffered content, never guessed.
/// </summary>
internal static class ResponseWriter
{
    /// <summary>
    /// Fields the server owns: the connection's options and the message's framing (RFC 9110 §7.6.1, RFC 9112 §6).
    /// An application's Connection: close is honoured (the caller reads it first), the field itself is rewritten.
    /// </summary>
    private static readonly HashSet<string> ServerOwned = new(["Connection", "Keep-Alive", "Transfer-Encoding", "Content-Length"], StringComparer.OrdinalIgnoreCase);

    /// <summary>The interim 100 (Continue) of RFC 9110 §15.2.1: a status line and the empty line, nothing else.</summary>
    public static readonly byte[] Continue = "HTTP/1.1 100 Continue\r\n\r\n"u8.ToArray();

    /// <summary>
    /// A server's own refusal: a short text explaining it, framed by Content-Length and followed by a close, so
    /// the client knows the rest of the connection is not read (RFC 9112 §9.6: "A server that sends a 'close'
    /// connection option MUST initiate closure of the connection ... after it sends the response containing close").
    /// No content answers a HEAD (RFC 9110 §9.3.2).
    /// </summary>
    public static byte[] Refusal(int status, string reason, bool isHead)
    {
        var body = Encoding.UTF8.GetBytes(reason + "\n");
        var headers = new HeaderDictionary { ["Content-Type"] = "text/plain; charset=utf-8" };
        return Serialize(status, null, headers, isHead ? ReadOnlyMemory<byte>.Empty : body, body.Length, ConnectionDisposition.Close);
    }

    /// <summary>
    /// The application's response. <paramref name="noContent"/> for HEAD, 1xx, 204 and 304 (RFC 9112 §6.3: they end
    /// at the empty line). <paramref name="declaredLength"/> is what Content-Length says: the content's length, or for
    /// HEAD and 304 what the application declared (the length a GET / 200 would carry, RFC 9110 §8.6), if anything.
    /// </summary>
    public static byte[] Serialize(int status, string? reason, IHeaderDictionary headers, ReadOnlyMemory<byte> content, long? declaredLength,
        ConnectionDisposition connection, ResponseStyle style = default)
    {
        var text = new StringBuilder();
        string Name(string name) => style.LowercaseFieldNames ? name.ToLowerInvariant() : name;
        // status-line = HTTP-version SP status-code SP [ reason-phrase ] (RFC 9112 §4); this server speaks 1.1 to
        // every 1.x request (RFC 9110 §6.2: the highest version it conforms to, whose major is the request's).
        var phrase = style.EmptyReasonPhrase ? "" : string.IsNullOrEmpty(reason) ? ReasonPhrases.GetReasonPhrase(status) : reason;
        text.Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {status} {phrase}\r\n");
        // RFC 9110 §6.6.1: "An origin server with a clock ... MUST generate a Date header field" in 2xx-4xx; it is
        // sent in every final response here, as an IMF-fixdate (§5.6.7).
        if (!headers.ContainsKey("Date")) text.Append(Name("Date")).Append(": ").Append(DateTimeOffset.UtcNow.ToString("r", CultureInfo.InvariantCulture)).Append("\r\n");
        foreach (var (name, values) in headers)
        {
            if (ServerOwned.Contains(name)) continue;
            // Each value its own field line: Set-Cookie must never be folded into one (RFC 6265 §4.1.1 / RFC 9110 §5.3).
            foreach (var value in values) text.Append(Name(name)).Append(": ").Append(value).Append("\r\n");
        }
        // RFC 9110 §8.6: "A server MUST NOT send a Content-Length header field in any response with a status code
        // of 1xx (Informational) or 204 (No Content)"; elsewhere the content's length is always declared, so no
        // response is ever delimited by the close.
        // With ChunkContent the content goes in the chunked coding instead (RFC 9112 §7.1); with OmitContentLength
        // it is delimited by the close (§6.3, item 8), which the caller announces.
        if (style.ChunkContent) text.Append(Name("Transfer-Encoding")).Append(": chunked\r\n");
        else if (declaredLength is { } length && status is >= 200 and not 204 && !style.OmitContentLength)
            text.Append(CultureInfo.InvariantCulture, $"{Name("Content-Length")}: {length}\r\n");
        switch (connection)
        {
            case ConnectionDisposition.Close:
                text.Append(Name("Connection")).Append(": close\r\n");
                break;
            case ConnectionDisposition.KeepAliveHttp10:
                // RFC 9112 §9.3: an HTTP/1.0 connection persists only if the response says keep-alive.
                text.Append(Name("Connection")).Append(": keep-alive\r\n");
                break;
        }
        text.Append("\r\n");
        if (style.ChunkContent) content = Chunk(content);
        var head = Encoding.Latin1.GetBytes(text.ToString());
        var message = new byte[head.Length + content.Length];
        head.CopyTo(message, 0);
        content.Span.CopyTo(message.AsSpan(head.Length));
        return message;
    }

    /// <summary>
    /// chunked-body = *chunk last-chunk trailer-section CRLF (RFC 9112 §7.1): the content in two chunks (so a
    /// reader that stops after the first is seen), then the last chunk and no trailer.
    /// </summary>
    private static byte[] Chunk(ReadOnlyMemory<byte> content)
    {
        using var chunked = new MemoryStream();
        var half = content.Length / 2;
        foreach (var piece in new[] { content[..half], content[half..] })
        {
            if (piece.IsEmpty) continue;
            chunked.Write(Encoding.ASCII.GetBytes(piece.Length.ToString("x", CultureInfo.InvariantCulture) + "\r\n"));
            chunked.Write(piece.Span);
            chunked.Write("\r\n"u8);
        }
        chunked.Write("0\r\n\r\n"u8);
        return chunked.ToArray();
    }

    /// <summary>
    /// A field the application set that cannot be written as a valid field line (RFC 9110 §5.1, §5.5): sending it
    /// would break the response grammar, so the response becomes a 500 instead.
    /// </summary>
    public static string? InvalidField(IHeaderDictionary headers)
    {
        foreach (var (name, values) in headers)
        {
            if (!Grammar.IsToken(name)) return $"field name \"{name}\" is not a token";
            foreach (var value in values)
            {
                if (value is null) continue;
                if (value.Length > 0 && (Grammar.IsWhitespace((byte)value[0]) || Grammar.IsWhitespace((byte)value[^1]))) return $"field {name} has surrounding whitespace";
                if (value.Any(c => c > 0xFF || !Grammar.IsFieldValueByte((byte)c))) return $"field {name} holds a character not allowed in a field value";
            }
        }
        return null;
    }
}

/// <summary>
/// How a response is written where RFC 9112 leaves the sender a choice (all off: Content-Length framing, the
/// standard reason phrase, field names as the application spelled them).
/// </summary>
internal readonly record struct ResponseStyle(bool ChunkContent, bool OmitContentLength, bool EmptyReasonPhrase, bool LowercaseFieldNames);

/// <summary>What the server does with the connection after a response (RFC 9112 §9.3, §9.6).</summary>
internal enum ConnectionDisposition
{
    /// <summary>HTTP/1.1 persistence: nothing to say.</summary>
    Persist,

    /// <summary>An HTTP/1.0 client asked for keep-alive and got it.</summary>
    KeepAliveHttp10,

    /// <summary>Closed after this response, which says so.</summary>
    Close,
}
