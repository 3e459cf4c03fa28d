namespace Conformance.Harness.Wire;

/// <summary>How a line ended on the wire. The parser accepts all of them so the checks can judge them.</summary>
public enum LineTerminator
{
    /// <summary>CR LF, the only terminator RFC 9112 §2.1 allows a sender to generate.</summary>
    CrLf,
    /// <summary>A bare LF (RFC 9112 §2.2: a recipient MAY accept it, a sender never generates it).</summary>
    Lf,
    /// <summary>The stream ended (close, reset, cap, or timeout) before the line was terminated.</summary>
    None,
}

/// <summary>
/// One line of a response head exactly as it arrived. <see cref="Content"/> excludes the terminator;
/// <see cref="Offset"/> is the offset of its first byte within the response message.
/// </summary>
public sealed class RawLine(long offset, byte[] content, LineTerminator terminator)
{
    public long Offset { get; } = offset;
    public byte[] Content { get; } = content;
    public LineTerminator Terminator { get; } = terminator;

    /// <summary>The content decoded byte-for-char (Latin-1), so every byte survives as one char.</summary>
    public string Text => System.Text.Encoding.Latin1.GetString(Content);

    public override string ToString() => Text;
}

/// <summary>
/// A field line of the header (or trailer) section. Kept as it arrived: repeated fields are repeated
/// entries (several Set-Cookie lines stay several lines), never comma-joined.
/// </summary>
public sealed class FieldLine(RawLine line, string name, string value, bool whitespaceBeforeColon, IReadOnlyList<RawLine> obsFoldContinuations)
{
    /// <summary>The first physical line of the field.</summary>
    public RawLine Line { get; } = line;

    /// <summary>The bytes before the first colon, without any whitespace that preceded the colon.</summary>
    public string Name { get; } = name;

    /// <summary>The value with leading and trailing OWS removed; obs-fold continuations are joined with a single SP.</summary>
    public string Value { get; } = value;

    /// <summary>True when SP or HTAB stood between the field name and the colon (RFC 9112 §5.1).</summary>
    public bool WhitespaceBeforeColon { get; } = whitespaceBeforeColon;

    /// <summary>Continuation lines that began with SP or HTAB: obs-fold (RFC 9112 §5.2).</summary>
    public IReadOnlyList<RawLine> ObsFoldContinuations { get; } = obsFoldContinuations;

    public bool HasColon => Line.Content.Contains((byte)':');

    public bool Is(string fieldName) => string.Equals(Name, fieldName, StringComparison.OrdinalIgnoreCase);
}
