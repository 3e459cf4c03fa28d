namespace Conformance.Harness.Wire;

/// <summary>How the body of a response was delimited (RFC 9112 §6.3).</summary>
public enum BodyFraming
{
    /// <summary>No content by definition: HEAD, 1xx, 204, 304 (the message ends at the empty line).</summary>
    NoContent,
    ContentLength,
    Chunked,
    /// <summary>Neither Content-Length nor chunked: the body runs until the server closes.</summary>
    UntilClose,
}

/// <summary>
/// One response message as it arrived, every byte kept. Parsing is lenient on purpose: it records bare
/// LFs, whitespace before colons, obs-fold, odd status lines and the like, and leaves judging them to
/// the grammar checks.
/// </summary>
public sealed class RawResponse
{
    /// <summary>Every byte of this message, head and body (capped: see <see cref="Truncated"/>).</summary>
    public required byte[] Bytes { get; init; }

    /// <summary>Offset of this message's first byte within everything received on the connection.</summary>
    public required long StreamOffset { get; init; }

    public required RawLine StatusLine { get; init; }

    /// <summary>The bytes before the first SP of the status line, e.g. "HTTP/1.1".</summary>
    public required string HttpVersion { get; init; }

    /// <summary>The status code when the status line carried three digits where it should; otherwise null.</summary>
    public required int? StatusCode { get; init; }

    /// <summary>What followed the status code (after its SP), possibly empty; null if the SP was missing.</summary>
    public required string? ReasonPhrase { get; init; }

    public required IReadOnlyList<FieldLine> Fields { get; init; }

    /// <summary>The empty line that ends the header section; null if the stream ended before it arrived.</summary>
    public required RawLine? HeaderTerminator { get; init; }

    /// <summary>Offset within <see cref="Bytes"/> where the content starts (just after the empty line).</summary>
    public required int BodyOffset { get; init; }

    public required BodyFraming Framing { get; init; }

    /// <summary>The content after transfer decoding (for chunked: the chunk data joined).</summary>
    public required byte[] Body { get; init; }

    /// <summary>Trailer field lines of a chunked body, if any.</summary>
    public required IReadOnlyList<FieldLine> Trailers { get; init; }

    /// <summary>True when the framing said the message was complete (all CL bytes, the last chunk, or the close).</summary>
    public required bool Complete { get; init; }

    /// <summary>Why the message is incomplete, when it is ("closed after 10 of 20 content bytes").</summary>
    public string? IncompleteReason { get; init; }

    /// <summary>True when the harness stopped keeping bytes at its per-response cap.</summary>
    public bool Truncated { get; init; }

    /// <summary>
    /// Departures from the chunked grammar (RFC 9112 §7.1) seen while decoding: bare LF after a chunk-size
    /// line or chunk data, junk after the chunk-size, an unparseable chunk-size. Empty for other framings.
    /// </summary>
    public IReadOnlyList<WireIssue> ChunkedSyntaxIssues { get; init; } = [];

    /// <summary>
    /// Bytes that were already buffered right after a message framed as having no content (HEAD, 1xx, 204,
    /// 304) and that cannot begin another response: evidence that the server sent content anyway. Null when
    /// none were seen (which proves nothing: they may simply not have arrived yet).
    /// </summary>
    public byte[]? UnexpectedBytesAfterEnd { get; init; }

    /// <summary>How the stream stood when the parser finished this message (open, closed, reset, timed out).</summary>
    public StreamEnd EndedBy { get; init; }

    public bool IsInterim => StatusCode is >= 100 and < 200;

    public IEnumerable<FieldLine> FieldsNamed(string name) => Fields.Where(f => f.Is(name));

    public FieldLine? Field(string name) => Fields.FirstOrDefault(f => f.Is(name));

    /// <summary>The first value of a field, or null when absent.</summary>
    public string? Header(string name) => Field(name)?.Value;

    public bool HasField(string name) => Fields.Any(f => f.Is(name));
}
