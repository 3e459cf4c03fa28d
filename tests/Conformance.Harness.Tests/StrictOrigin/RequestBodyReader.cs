using System.Globalization;

namespace Conformance.Harness.Tests.StrictOrigin;

/// <summary>How the length of a request's content is known (RFC 9112 §6.3).</summary>
internal abstract record BodyFraming
{
    public sealed record None : BodyFraming;

    public sealed record Length(long Bytes) : BodyFraming;

    /// <summary>Chunked content; <paramref name="CloseAfter"/> when a Content-Length beside it was ignored (RFC 9112 §6.1).</summary>
    public sealed record Chunked(bool CloseAfter = false) : BodyFraming;

    public bool HasContent => this is Chunked || (this is Length l && l.Bytes > 0);
}

/// <summary>
/// Decides the framing of a request's content from its head (RFC 9112 §6.1, §6.3, RFC 9110 §8.6) and reads the
/// content whole, removing the chunked coding (§7.1). The content is read before the application runs, so a
/// malformed body is refused by the server, with a close, before anything was answered.
/// </summary>
internal sealed class RequestBodyReader(StrictOriginOptions options)
{
    /// <summary>Content larger than this gets 413 (RFC 9110 §15.5.14) and a close, unread.</summary>
    public const long MaxContentBytes = 1024 * 1024;

    /// <summary>A chunk-size line (size and extensions) longer than this is refused: the extensions are unbounded otherwise.</summary>
    public const int MaxChunkLineBytes = 4096;

    public BodyFraming Frame(RequestHead head)
    {
        var transferEncoding = head.Values("Transfer-Encoding").ToList();
        var contentLength = head.Values("Content-Length").ToList();
        if (transferEncoding.Count > 0)
        {
            // RFC 9112 §6.1: "A server or client that receives an HTTP/1.0 message containing a Transfer-Encoding
            // header field MUST treat the message as if the framing is faulty, even if a Content-Length is present,
            // and close the connection after processing the message."
            if (head.IsHttp10) throw new RequestRefusedException(400, "Transfer-Encoding in an HTTP/1.0 request");
            // §6.1: "A server MAY reject a request that contains both Content-Length and Transfer-Encoding or process
            // such a request in accordance with the Transfer-Encoding alone. Regardless, the server MUST close the
            // connection after responding to such a request". Rejected (and closed, as every refusal is).
            if (contentLength.Count > 0 && !options.ProcessTransferEncodingOverContentLength)
                throw new RequestRefusedException(400, "both Transfer-Encoding and Content-Length");
            var codings = head.ListMembers("Transfer-Encoding").ToList();
            var names = codings.Select(CodingName).ToList();
            if (names.Any(n => !Grammar.IsToken(n))) throw new RequestRefusedException(400, "a transfer-coding that is not a token");
            // §6.3: "If a Transfer-Encoding header field is present in a request and the chunked transfer coding is not
            // the final encoding, the message body length cannot be determined reliably; the server MUST respond with
            // the 400 (Bad Request) status code and then close the connection."
            if (names.Count == 0 || !names[^1].Equals("chunked", StringComparison.OrdinalIgnoreCase))
                throw new RequestRefusedException(400, "chunked is not the final transfer coding");
            // §6.1: "A sender MUST NOT apply the chunked transfer coding more than once to a message body": chunked
            // anywhere else makes the framing invalid.
            if (names.Count(n => n.Equals("chunked", StringComparison.OrdinalIgnoreCase)) > 1)
                throw new RequestRefusedException(400, "chunked is applied more than once");
            // chunked defines no parameters (§7.1): a parameter makes it a coding this server does not know.
            // §6.1: "A server that receives a request message with a transfer coding it does not understand SHOULD
            // respond with 501 (Not Implemented)."
            if (names.Count > 1 || codings[^1].Contains(';', StringComparison.Ordinal))
                throw new RequestRefusedException(501, $"transfer coding \"{string.Join(", ", codings)}\" is not implemented; only chunked is");
            // §6.3: "A server MAY reject a request that contains a message body but not a Content-Length by
            // responding with 411 (Length Required)" (a switch; off, chunked content is decoded).
            if (options.RequireContentLength) throw new RequestRefusedException(411, "this server requires a Content-Length");
            return new BodyFraming.Chunked(CloseAfter: contentLength.Count > 0);
        }
        if (contentLength.Count > 0)
        {
            var values = contentLength.SelectMany(v => v.Split(',')).Select(v => v.Trim(' ', '\t')).ToList();
            // RFC 9110 §8.6: Content-Length = 1*DIGIT. A list of identical values MAY be replaced by one (§8.6); this
            // server rejects it instead (also allowed: "a recipient MAY either reject the message as invalid or
            // replace..."). RFC 9112 §6.3: an invalid Content-Length without Transfer-Encoding is an unrecoverable
            // error: "the server MUST respond with a 400 (Bad Request) status code and then close the connection."
            if (options.MergeIdenticalContentLengths && values.Distinct(StringComparer.Ordinal).Count() == 1) values = [values[0]];
            if (values.Count != 1) throw new RequestRefusedException(400, "more than one Content-Length value");
            var text = values[0];
            if (options.AcceptSignedContentLength && text.StartsWith('+')) text = text[1..];
            if (text.Length == 0 || !text.All(char.IsAsciiDigit)) throw new RequestRefusedException(400, "Content-Length is not 1*DIGIT");
            // §8.6: "a recipient MUST anticipate potentially large decimal numerals and prevent parsing errors due to
            // integer conversion overflows": a numeral past the limit is refused for its size, never converted.
            var digits = text.TrimStart('0');
            if (digits.Length > 15 || (digits.Length > 0 && long.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture) > MaxContentBytes))
                throw new RequestRefusedException(413, $"the content is larger than the {MaxContentBytes} bytes this server accepts");
            return new BodyFraming.Length(digits.Length == 0 ? 0 : long.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture));
        }
        // §6.3: "If this is a request message and none of the above are true, then the message body length is zero".
        return new BodyFraming.None();
    }

    /// <summary>Reads the whole content; null when the client closed before it ended (there is no one to answer).</summary>
    public async Task<byte[]?> ReadAsync(ConnectionReader reader, BodyFraming framing, CancellationToken ct)
    {
        using var content = new MemoryStream();
        switch (framing)
        {
            case BodyFraming.Length { Bytes: > 0 } length:
                if (!await reader.ReadExactlyAsync(length.Bytes, content, ct).ConfigureAwait(false)) return null;
                break;
            case BodyFraming.Chunked:
                if (!await ReadChunkedAsync(reader, content, ct).ConfigureAwait(false)) return null;
                break;
        }
        return content.ToArray();
    }

    /// <summary>
    /// chunked-body = *chunk last-chunk trailer-section CRLF; chunk = chunk-size [ chunk-ext ] CRLF chunk-data CRLF
    /// (RFC 9112 §7.1). "A recipient MUST be able to parse and decode the chunked transfer coding."
    /// </summary>
    private async Task<bool> ReadChunkedAsync(ConnectionReader reader, MemoryStream content, CancellationToken ct)
    {
        while (true)
        {
            var (line, end) = await reader.ReadLineAsync(MaxChunkLineBytes, ct).ConfigureAwait(false);
            if (end == LineEnd.Closed) return false;
            if (end == LineEnd.TooLong) throw new RequestRefusedException(400, "a chunk-size line longer than this server reads (chunk extensions are limited)");
            // RFC 9112 §2.2's MAY (a single LF as a line terminator) is for "the start-line and fields"; chunk lines
            // end in CRLF by §7.1's grammar, so no switch relaxes them.
            if (end == LineEnd.BareLf) throw new RequestRefusedException(400, "a chunk-size line ends in a bare LF");
            var size = ParseChunkSizeLine(line);
            if (size == 0) break;
            if (content.Length + size > MaxContentBytes)
                throw new RequestRefusedException(413, $"the content is larger than the {MaxContentBytes} bytes this server accepts");
            if (!await reader.ReadExactlyAsync(size, content, ct).ConfigureAwait(false)) return false;
            // The chunk-data is followed by exactly CRLF: anything else means the size did not match the data.
            var (after, afterEnd) = await reader.ReadLineAsync(2, ct).ConfigureAwait(false);
            if (afterEnd == LineEnd.Closed) return false;
            if (afterEnd != LineEnd.CrLf || after.Length != 0) throw new RequestRefusedException(400, "chunk-data is not followed by CRLF (the data is longer than chunk-size)");
        }
        // trailer-section = *( field-line CRLF ), then the final CRLF (§7.1.2). The trailer fields are checked as field
        // lines and then discarded, which a recipient may do (§7.1.2: "MAY selectively retain or discard").
        var trailerBytes = 0;
        while (true)
        {
            var (line, end) = await reader.ReadLineAsync(RequestHeadParser.MaxHeaderSectionBytes, ct).ConfigureAwait(false);
            if (end == LineEnd.Closed) return false;
            trailerBytes += line.Length + 2;
            if (end == LineEnd.TooLong || trailerBytes > RequestHeadParser.MaxHeaderSectionBytes)
                throw new RequestRefusedException(431, "the trailer section is larger than this server processes");
            if (end == LineEnd.BareLf) throw new RequestRefusedException(400, "a trailer line ends in a bare LF");
            if (line.Length == 0) return true;
            var colon = Array.IndexOf(line, (byte)':');
            if (colon <= 0 || !Grammar.IsToken(line.AsSpan(0, colon)) || !line.AsSpan(colon + 1).ToArray().All(Grammar.IsFieldValueByte))
                throw new RequestRefusedException(400, "a trailer line that is not a valid field line");
        }
    }

    /// <summary>
    /// chunk-size = 1*HEXDIG; chunk-ext = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] ) (§7.1,
    /// §7.1.1). Recipients "MUST anticipate potentially large hexadecimal numerals and prevent parsing errors due
    /// to integer conversion overflows" (§7.1): leading zeros aside, more than 15 hex digits is refused for size
    /// (413), never converted. Unknown extensions are ignored (§7.1.1: "A recipient MUST ignore unrecognized chunk
    /// extensions"), but they must match the grammar.
    /// </summary>
    private long ParseChunkSizeLine(byte[] line)
    {
        var i = 0;
        while (i < line.Length && Grammar.IsHexDigit(line[i])) i++;
        if (i == 0) throw new RequestRefusedException(400, "a chunk-size that is not 1*HEXDIG");
        var digits = System.Text.Encoding.ASCII.GetString(line, 0, i).TrimStart('0');
        if (digits.Length > 15) throw new RequestRefusedException(413, "a chunk larger than this server accepts");
        var size = digits.Length == 0 ? 0 : long.Parse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
        if (!IsChunkExtensions(line.AsSpan(i))) throw new RequestRefusedException(400, "the chunk extensions do not match chunk-ext");
        return size;
    }

    private bool IsChunkExtensions(ReadOnlySpan<byte> ext)
    {
        var i = 0;
        while (true)
        {
            var bws = SkipBws(ext, ref i);
            if (i == ext.Length) return bws == 0;
            if (ext[i] != ';') return false;
            if (bws > 0 && options.RejectBwsInChunkExtension) return false;
            i++;
            bws = SkipBws(ext, ref i);
            if (bws > 0 && options.RejectBwsInChunkExtension) return false;
            var nameStart = i;
            while (i < ext.Length && Grammar.IsTchar(ext[i])) i++;
            if (i == nameStart) return false;
            var save = i;
            bws = SkipBws(ext, ref i);
            if (i < ext.Length && ext[i] == '=')
            {
                if (bws > 0 && options.RejectBwsInChunkExtension) return false;
                i++;
                bws = SkipBws(ext, ref i);
                if (bws > 0 && options.RejectBwsInChunkExtension) return false;
                if (!SkipTokenOrQuotedString(ext, ref i)) return false;
            }
            else
            {
                i = save;
            }
        }
    }

    private static int SkipBws(ReadOnlySpan<byte> text, ref int i)
    {
        var from = i;
        while (i < text.Length && Grammar.IsWhitespace(text[i])) i++;
        return i - from;
    }

    /// <summary>chunk-ext-val = token / quoted-string (RFC 9110 §5.6.4: qdtext and quoted-pair).</summary>
    private static bool SkipTokenOrQuotedString(ReadOnlySpan<byte> text, ref int i)
    {
        if (i < text.Length && text[i] == '"')
        {
            i++;
            while (i < text.Length)
            {
                var b = text[i];
                if (b == '"')
                {
                    i++;
                    return true;
                }
                if (b == '\\')
                {
                    if (i + 1 >= text.Length || !(text[i + 1] is (byte)'\t' or (byte)' ' or >= 0x21 and not 0x7F)) return false;
                    i += 2;
                    continue;
                }
                if (!(b is (byte)'\t' or (byte)' ' or 0x21 or >= 0x23 and <= 0x5B or >= 0x5D and <= 0x7E or >= 0x80)) return false;
                i++;
            }
            return false;
        }
        var start = i;
        while (i < text.Length && Grammar.IsTchar(text[i])) i++;
        return i > start;
    }

    private static string CodingName(string coding)
    {
        var semicolon = coding.IndexOf(';', StringComparison.Ordinal);
        return (semicolon < 0 ? coding : coding[..semicolon]).Trim(' ', '\t');
    }
}
