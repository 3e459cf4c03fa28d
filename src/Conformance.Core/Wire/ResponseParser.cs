using System.Globalization;
using System.Text;

namespace Conformance.Harness.Wire;

/// <summary>What a parse attempt concluded.</summary>
public enum ParseStatus
{
    /// <summary>The buffer holds only part of a message and the stream is still open.</summary>
    NeedMore,
    /// <summary>A message was framed (possibly incomplete or truncated: see RawResponse.Complete).</summary>
    Parsed,
    /// <summary>The bytes do not begin with anything like a status line.</summary>
    NotHttp,
}

/// <summary>The result of <see cref="ResponseParser.Parse(ReadOnlySpan{byte}, bool, StreamEnd, WireOptions, long)"/>.</summary>
/// <param name="Consumed">How many bytes of the buffer belong to the message (or, for NotHttp, were judged).</param>
public sealed record ParseResult(ParseStatus Status, RawResponse? Response, int Consumed, string? Detail = null);

/// <summary>
/// A lenient response parser that keeps every byte. It is stateless and incremental: call it with all
/// bytes received since the message boundary; it either asks for more or frames one message. It never
/// throws on bad input: it records what it saw (bare LF, whitespace before a colon, obs-fold, odd status
/// lines, broken chunking) and leaves the verdicts to the grammar checks.
/// </summary>
public static class ResponseParser
{
    private const byte Cr = (byte)'\r';
    private const byte Lf = (byte)'\n';
    private const byte Sp = (byte)' ';
    private const byte Htab = (byte)'\t';

    // Chunked framing overhead (size lines, extensions, CRLFs) is not content, but it still costs memory:
    // bound it too, so a stream of one-byte chunks cannot grow the buffer without limit.
    private const int ChunkOverheadAllowance = 64 * 1024;

    private static ReadOnlySpan<byte> HttpPrefix => "HTTP/"u8;

    /// <param name="buffer">Bytes received so far, starting at a message boundary.</param>
    /// <param name="requestWasHead">A response to HEAD has no content whatever its headers say (RFC 9112 §6.3 rule 1).</param>
    /// <param name="end">Whether more bytes can still arrive; when not, the parser never answers NeedMore for a non-empty buffer.</param>
    /// <param name="options">The caps on kept head and body bytes.</param>
    /// <param name="streamOffset">Where the buffer starts within the connection's byte stream (recorded on the response).</param>
    public static ParseResult Parse(ReadOnlySpan<byte> buffer, bool requestWasHead, StreamEnd end, WireOptions options, long streamOffset = 0)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (buffer.IsEmpty) return new ParseResult(ParseStatus.NeedMore, null, 0);

        // Lenient on purpose: "http/1.1 200" is still a response whose status line the checks will judge;
        // only bytes that do not start like "HTTP/" at all are not HTTP.
        var probe = Math.Min(buffer.Length, HttpPrefix.Length);
        if (!Ascii.EqualsIgnoreCase(buffer[..probe], HttpPrefix[..probe]))
        {
            return NotHttp(buffer, "expected a status line beginning \"HTTP/\"");
        }

        if (probe < HttpPrefix.Length)
        {
            return end == StreamEnd.Open
                ? new ParseResult(ParseStatus.NeedMore, null, 0)
                : NotHttp(buffer, $"stream {Describe(end)} after {buffer.Length} bytes");
        }

        var head = ReadHead(buffer, options.MaxHeadBytes, end);
        if (head is null) return new ParseResult(ParseStatus.NeedMore, null, 0);
        var (lines, headEnd, headTruncated) = head.Value;

        var statusLine = lines[0];
        var (version, code, reason) = ParseStatusLine(statusLine.Content);
        var terminatorLine = headEnd >= 0 ? lines[^1] : null;
        var fieldLines = lines.Skip(1).Take(lines.Count - 1 - (terminatorLine is null ? 0 : 1)).ToList();
        var fields = BuildFields(fieldLines);

        var draft = new Draft(streamOffset, statusLine, version, code, reason, fields, terminatorLine, end);
        if (headEnd < 0)
        {
            // The empty line never arrived: the stream ended, or the head outgrew the cap.
            var consumed = headTruncated ? options.MaxHeadBytes : buffer.Length;
            var why = headTruncated
                ? $"head exceeded MaxHeadBytes ({options.MaxHeadBytes}) before the empty line"
                : $"stream {Describe(end)} before the empty line that ends the header section";
            return draft.Build(buffer[..consumed], consumed, BodyFraming.UntilClose, [], [], complete: false, why, headTruncated);
        }

        if (requestWasHead || code is >= 100 and < 200 or 204 or 304)
        {
            byte[]? unexpected = null;
            var rest = buffer[headEnd..];
            var restProbe = Math.Min(rest.Length, HttpPrefix.Length);
            if (!rest.IsEmpty && !Ascii.EqualsIgnoreCase(rest[..restProbe], HttpPrefix[..restProbe]))
            {
                unexpected = rest[..Math.Min(rest.Length, 256)].ToArray();
            }

            var r = draft.Build(buffer[..headEnd], headEnd, BodyFraming.NoContent, [], [], complete: true, null, truncated: false);
            return r with { Response = Clone(r.Response!, unexpected) };
        }

        if (IsChunked(fields, out var hasTransferEncoding))
        {
            return ParseChunked(buffer, headEnd, draft, end, options);
        }

        // RFC 9112 §6.3 rule 4: Transfer-Encoding without chunked final means read until close; and an
        // invalid or conflicting Content-Length (rule 5) is judged by the checks, framed here the safe way.
        if (!hasTransferEncoding && TryContentLength(fields, out var length))
        {
            return ParseContentLength(buffer, headEnd, length, draft, end, options);
        }

        return ParseUntilClose(buffer, headEnd, draft, end, options);
    }

    private static RawResponse Clone(RawResponse r, byte[]? unexpected) => new()
    {
        Bytes = r.Bytes,
        StreamOffset = r.StreamOffset,
        StatusLine = r.StatusLine,
        HttpVersion = r.HttpVersion,
        StatusCode = r.StatusCode,
        ReasonPhrase = r.ReasonPhrase,
        Fields = r.Fields,
        HeaderTerminator = r.HeaderTerminator,
        BodyOffset = r.BodyOffset,
        Framing = r.Framing,
        Body = r.Body,
        Trailers = r.Trailers,
        Complete = r.Complete,
        IncompleteReason = r.IncompleteReason,
        Truncated = r.Truncated,
        ChunkedSyntaxIssues = r.ChunkedSyntaxIssues,
        EndedBy = r.EndedBy,
        UnexpectedBytesAfterEnd = unexpected,
    };

    private static ParseResult NotHttp(ReadOnlySpan<byte> buffer, string why) =>
        new(ParseStatus.NotHttp, null, buffer.Length, $"{why}; got \"{ByteText.Escape(buffer, 64)}\"");

    private static string Describe(StreamEnd end) => end switch
    {
        StreamEnd.Closed => "closed",
        StreamEnd.Reset => "was reset",
        StreamEnd.TimedOut => "timed out",
        _ => "paused",
    };

    /// <summary>Splits the head into lines. Null means: need more bytes.</summary>
    private static (List<RawLine> Lines, int HeadEnd, bool Truncated)? ReadHead(ReadOnlySpan<byte> buffer, int maxHead, StreamEnd end)
    {
        var lines = new List<RawLine>();
        var limit = Math.Min(buffer.Length, maxHead);
        var pos = 0;
        while (true)
        {
            var lf = buffer[pos..limit].IndexOf(Lf);
            if (lf < 0)
            {
                var truncated = buffer.Length >= maxHead;
                if (!truncated && end == StreamEnd.Open) return null;
                if (pos < limit) lines.Add(new RawLine(pos, buffer[pos..limit].ToArray(), LineTerminator.None));
                return (lines, -1, truncated);
            }

            var lfAt = pos + lf;
            var crlf = lfAt > pos && buffer[lfAt - 1] == Cr;
            var contentEnd = crlf ? lfAt - 1 : lfAt;
            var line = new RawLine(pos, buffer[pos..contentEnd].ToArray(), crlf ? LineTerminator.CrLf : LineTerminator.Lf);
            lines.Add(line);
            pos = lfAt + 1;
            if (lines.Count > 1 && line.Content.Length == 0) return (lines, pos, false);
        }
    }

    /// <summary>RFC 9112 §4, read leniently: version before the first SP, a code only if exactly 3 digits.</summary>
    private static (string Version, int? Code, string? Reason) ParseStatusLine(byte[] content)
    {
        var span = content.AsSpan();
        var sp = span.IndexOf(Sp);
        if (sp < 0) return (Encoding.Latin1.GetString(span), null, null);
        var version = Encoding.Latin1.GetString(span[..sp]);
        var rest = span[(sp + 1)..];
        if (rest.Length < 3 || !IsDigit(rest[0]) || !IsDigit(rest[1]) || !IsDigit(rest[2])) return (version, null, null);
        if (rest.Length > 3 && rest[3] != Sp) return (version, null, null);
        var code = ((rest[0] - '0') * 100) + ((rest[1] - '0') * 10) + (rest[2] - '0');
        var reason = rest.Length > 3 ? Encoding.Latin1.GetString(rest[4..]) : null;
        return (version, code, reason);
    }

    private static bool IsDigit(byte b) => b is >= (byte)'0' and <= (byte)'9';

    /// <summary>Groups lines into field lines; a line starting with SP or HTAB continues the previous one (obs-fold).</summary>
    internal static List<FieldLine> BuildFields(List<RawLine> lines)
    {
        var result = new List<FieldLine>();
        RawLine? current = null;
        var continuations = new List<RawLine>();
        foreach (var line in lines)
        {
            var c = line.Content;
            if (current is not null && c.Length > 0 && (c[0] == Sp || c[0] == Htab))
            {
                continuations.Add(line);
                continue;
            }

            if (current is not null) result.Add(MakeField(current, continuations));
            current = line;
            continuations = [];
        }

        if (current is not null) result.Add(MakeField(current, continuations));
        return result;
    }

    private static FieldLine MakeField(RawLine line, List<RawLine> continuations)
    {
        var c = line.Content.AsSpan();
        var colon = c.IndexOf((byte)':');
        if (colon < 0) return new FieldLine(line, Encoding.Latin1.GetString(c), "", false, continuations);
        var name = c[..colon];
        var trimmedName = name.TrimEnd(" \t"u8);
        var value = new StringBuilder(Encoding.Latin1.GetString(c[(colon + 1)..].Trim(" \t"u8)));
        foreach (var k in continuations)
        {
            // RFC 9112 §5.2: a recipient replaces each obs-fold with SP before interpreting the value.
            var more = k.Content.AsSpan().Trim(" \t"u8);
            if (more.IsEmpty) continue;
            if (value.Length > 0) value.Append(' ');
            value.Append(Encoding.Latin1.GetString(more));
        }

        return new FieldLine(line, Encoding.Latin1.GetString(trimmedName), value.ToString(), trimmedName.Length != name.Length, continuations);
    }

    private static bool IsChunked(IReadOnlyList<FieldLine> fields, out bool hasTransferEncoding)
    {
        var codings = fields.Where(f => f.Is("Transfer-Encoding"))
            .SelectMany(f => f.Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .ToList();
        hasTransferEncoding = fields.Any(f => f.Is("Transfer-Encoding"));
        return codings.Count > 0 && string.Equals(codings[^1], "chunked", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>True only for one agreed decimal value; anything else is left to until-close framing and the checks.</summary>
    private static bool TryContentLength(IReadOnlyList<FieldLine> fields, out long length)
    {
        length = -1;
        var values = fields.Where(f => f.Is("Content-Length")).SelectMany(f => f.Value.Split(',', StringSplitOptions.TrimEntries)).ToList();
        if (values.Count == 0) return false;
        foreach (var v in values)
        {
            if (v.Length == 0 || !v.All(char.IsAsciiDigit)) return false;
            if (!long.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n)) return false;
            if (length >= 0 && n != length) return false;
            length = n;
        }

        return true;
    }

    private static ParseResult ParseContentLength(ReadOnlySpan<byte> buffer, int headEnd, long length, Draft draft, StreamEnd end, WireOptions options)
    {
        var available = buffer.Length - headEnd;
        var cap = options.MaxBodyBytes;
        if (length > cap && available >= cap)
        {
            var consumed = headEnd + cap;
            return draft.Build(buffer[..consumed], headEnd, BodyFraming.ContentLength, buffer[headEnd..consumed], [], complete: false,
                $"kept {cap} of {length} content bytes (MaxBodyBytes); stopped reading the rest", truncated: true);
        }

        if (available >= length)
        {
            var consumed = headEnd + (int)length;
            return draft.Build(buffer[..consumed], headEnd, BodyFraming.ContentLength, buffer[headEnd..consumed], [], complete: true, null, truncated: false);
        }

        if (end == StreamEnd.Open) return new ParseResult(ParseStatus.NeedMore, null, 0);
        return draft.Build(buffer, headEnd, BodyFraming.ContentLength, buffer[headEnd..], [], complete: false,
            $"stream {Describe(end)} after {available} of {length} content bytes", truncated: false);
    }

    private static ParseResult ParseUntilClose(ReadOnlySpan<byte> buffer, int headEnd, Draft draft, StreamEnd end, WireOptions options)
    {
        var available = buffer.Length - headEnd;
        var cap = options.MaxBodyBytes;
        if (available > cap)
        {
            var consumed = headEnd + cap;
            return draft.Build(buffer[..consumed], headEnd, BodyFraming.UntilClose, buffer[headEnd..consumed], [], complete: false,
                $"kept {cap} content bytes (MaxBodyBytes) of a body delimited by close; stopped reading", truncated: true);
        }

        return end switch
        {
            StreamEnd.Open => new ParseResult(ParseStatus.NeedMore, null, 0),
            // RFC 9112 §6.3 rule 8: a close-delimited body is the octets received before the server closed.
            // RFC 9112 §8 defines "incomplete" only for chunked and Content-Length bodies, so a reset ends such a
            // body as a close does (a server that closes with unread request bytes resets, RFC 9112 §9.6);
            // only our own timeout leaves it unfinished.
            StreamEnd.Closed or StreamEnd.Reset => draft.Build(buffer, headEnd, BodyFraming.UntilClose, buffer[headEnd..], [], complete: true, null, truncated: false),
            _ => draft.Build(buffer, headEnd, BodyFraming.UntilClose, buffer[headEnd..], [], complete: false,
                $"stream {Describe(end)} instead of closing, after {available} content bytes", truncated: false),
        };
    }

    private static ParseResult ParseChunked(ReadOnlySpan<byte> buffer, int headEnd, Draft draft, StreamEnd end, WireOptions options)
    {
        var body = new List<byte>();
        var issues = new List<WireIssue>();
        var cap = options.MaxBodyBytes;
        var pos = headEnd;

        ParseResult Incomplete(ReadOnlySpan<byte> buf, int consumed, string why, bool truncated = false) =>
            draft.Build(buf[..consumed], headEnd, BodyFraming.Chunked, body.ToArray(), [], complete: false, why, truncated, issues);

        ParseResult NeedMoreOr(ReadOnlySpan<byte> buf, string why) =>
            end == StreamEnd.Open ? new ParseResult(ParseStatus.NeedMore, null, 0) : Incomplete(buf, buf.Length, $"stream {Describe(end)} {why}");

        while (true)
        {
            if (pos - headEnd > (2L * cap) + ChunkOverheadAllowance)
            {
                return Incomplete(buffer, pos, $"chunked body exceeded the kept-bytes bound ({cap} content bytes); stopped reading", truncated: true);
            }

            var lfRel = buffer[pos..].IndexOf(Lf);
            if (lfRel < 0)
            {
                if (buffer.Length - pos > ChunkOverheadAllowance)
                {
                    issues.Add(new WireIssue(pos, "chunk-size line longer than 64 KiB", Fatal: true));
                    return Incomplete(buffer, buffer.Length, "chunk-size line never ended");
                }

                return NeedMoreOr(buffer, "inside a chunk-size line");
            }

            var lfAt = pos + lfRel;
            var crlf = lfAt > pos && buffer[lfAt - 1] == Cr;
            var line = buffer[pos..(crlf ? lfAt - 1 : lfAt)];
            if (!crlf) issues.Add(new WireIssue(lfAt, "chunk-size line ends in a bare LF instead of CRLF", Fatal: false));

            var digits = 0;
            while (digits < line.Length && char.IsAsciiHexDigit((char)line[digits])) digits++;
            if (digits == 0 || digits > 15)
            {
                issues.Add(new WireIssue(pos, $"invalid chunk-size line \"{ByteText.Escape(line, 64)}\"", Fatal: true));
                return Incomplete(buffer, buffer.Length, $"invalid chunk-size line \"{ByteText.Escape(line, 64)}\"");
            }

            var afterSize = line[digits..].TrimStart(" \t"u8);
            if (!afterSize.IsEmpty && afterSize[0] != (byte)';')
            {
                issues.Add(new WireIssue(pos + digits, $"unexpected bytes after chunk-size: \"{ByteText.Escape(line[digits..], 64)}\"", Fatal: false));
            }

            var size = long.Parse(Encoding.ASCII.GetString(line[..digits]), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
            var sizeLineStart = pos;
            pos = lfAt + 1;

            if (size == 0) return ParseTrailers(buffer, headEnd, pos, draft, end, body, issues);

            var available = buffer.Length - pos;
            if (body.Count + Math.Min(size, available) > cap)
            {
                var take = cap - body.Count;
                body.AddRange(buffer.Slice(pos, take));
                return Incomplete(buffer, pos + take, $"kept {cap} content bytes (MaxBodyBytes) of a chunked body; stopped reading", truncated: true);
            }

            if (available < size)
            {
                if (end == StreamEnd.Open) return new ParseResult(ParseStatus.NeedMore, null, 0);
                body.AddRange(buffer[pos..]);
                return Incomplete(buffer, buffer.Length, $"stream {Describe(end)} after {available} of {size} bytes of the chunk at offset {sizeLineStart}");
            }

            body.AddRange(buffer.Slice(pos, (int)size));
            pos += (int)size;

            // chunk = chunk-size [ chunk-ext ] CRLF chunk-data CRLF
            if (pos < buffer.Length && buffer[pos] == Lf)
            {
                issues.Add(new WireIssue(pos, "chunk data followed by a bare LF instead of CRLF", Fatal: false));
                pos += 1;
                continue;
            }

            if (buffer.Length - pos < 2) return NeedMoreOr(buffer, "before the CRLF that ends a chunk's data");

            if (buffer[pos] == Cr && buffer[pos + 1] == Lf)
            {
                pos += 2;
                continue;
            }

            issues.Add(new WireIssue(pos, $"chunk data not followed by CRLF: got \"{ByteText.Escape(buffer.Slice(pos, Math.Min(16, buffer.Length - pos)))}\"", Fatal: true));
            return Incomplete(buffer, buffer.Length, "chunk data not followed by CRLF (the chunk-size does not match the data)");
        }
    }

    private static ParseResult ParseTrailers(ReadOnlySpan<byte> buffer, int headEnd, int pos, Draft draft, StreamEnd end, List<byte> body, List<WireIssue> issues)
    {
        var lines = new List<RawLine>();
        var trailerStart = pos;
        while (true)
        {
            if (pos - trailerStart > ChunkOverheadAllowance)
            {
                return draft.Build(buffer[..pos], headEnd, BodyFraming.Chunked, body.ToArray(), BuildFields(lines), complete: false,
                    "trailer section exceeded 64 KiB; stopped reading", truncated: true, issues);
            }

            var lfRel = buffer[pos..].IndexOf(Lf);
            if (lfRel < 0)
            {
                if (end == StreamEnd.Open && buffer.Length - pos <= ChunkOverheadAllowance) return new ParseResult(ParseStatus.NeedMore, null, 0);
                return draft.Build(buffer, headEnd, BodyFraming.Chunked, body.ToArray(), BuildFields(lines), complete: false,
                    $"stream {Describe(end)} inside the trailer section (after the last chunk)", truncated: false, issues);
            }

            var lfAt = pos + lfRel;
            var crlf = lfAt > pos && buffer[lfAt - 1] == Cr;
            var line = new RawLine(pos, buffer[pos..(crlf ? lfAt - 1 : lfAt)].ToArray(), crlf ? LineTerminator.CrLf : LineTerminator.Lf);

            // Trailer field lines are judged by the line checks like header lines; only the final empty
            // line of the chunked body is not a field line, so its terminator is judged here.
            if (!crlf && line.Content.Length == 0) issues.Add(new WireIssue(lfAt, "the empty line that ends the chunked body is a bare LF instead of CRLF", Fatal: false));
            pos = lfAt + 1;
            if (line.Content.Length == 0)
            {
                return draft.Build(buffer[..pos], headEnd, BodyFraming.Chunked, body.ToArray(), BuildFields(lines), complete: true, null, truncated: false, issues);
            }

            lines.Add(line);
        }
    }

    /// <summary>The parts of a response known once the head is read; builds the result for each framing.</summary>
    private sealed record Draft(
        long StreamOffset, RawLine StatusLine, string Version, int? Code, string? Reason,
        IReadOnlyList<FieldLine> Fields, RawLine? Terminator, StreamEnd End)
    {
        public ParseResult Build(
            ReadOnlySpan<byte> messageBytes, int bodyOffset, BodyFraming framing, ReadOnlySpan<byte> body,
            IReadOnlyList<FieldLine> trailers, bool complete, string? incompleteReason, bool truncated,
            IReadOnlyList<WireIssue>? chunkIssues = null)
        {
            var response = new RawResponse
            {
                Bytes = messageBytes.ToArray(),
                StreamOffset = StreamOffset,
                StatusLine = StatusLine,
                HttpVersion = Version,
                StatusCode = Code,
                ReasonPhrase = Reason,
                Fields = Fields,
                HeaderTerminator = Terminator,
                BodyOffset = bodyOffset,
                Framing = framing,
                Body = body.ToArray(),
                Trailers = trailers,
                Complete = complete,
                IncompleteReason = incompleteReason,
                Truncated = truncated,
                ChunkedSyntaxIssues = chunkIssues ?? [],
                EndedBy = End,
            };
            return new ParseResult(ParseStatus.Parsed, response, messageBytes.Length);
        }
    }
}
