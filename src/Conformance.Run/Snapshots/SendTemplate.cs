using Conformance.Harness.Fixtures;
using Conformance.Harness.Wire;

namespace Conformance.Harness.Snapshots;

/// <summary>
/// Reads a sent chunk back against the fixture step that wrote it. The literal bytes and repetitions must be
/// exactly the step's; each placeholder takes whatever stands between them. So the snapshot knows where every
/// placeholder went by position, never by searching for its text, and a seeded value cannot be confused with
/// protocol text. Works on the escaped form transcripts are kept in (<see cref="ByteText.Escape(ReadOnlySpan{byte})"/>
/// escapes byte by byte, so the escape of a concatenation is the concatenation of the escapes).
/// </summary>
public static class SendTemplate
{
    /// <summary>The longest escaped value one placeholder may take; keeps a mismatch cheap to find.</summary>
    private const int MaxValueLength = 4096;

    /// <summary>
    /// The placeholders' escaped values when <paramref name="escaped"/> is the step's bytes (or, when
    /// <paramref name="prefix"/>, the start of them: a chunk cut by the transcript cap or a partial send); else null.
    /// </summary>
    public static IReadOnlyList<(string Name, string Value)>? Match(SendStep step, string escaped, bool prefix)
    {
        var parts = step.Segments.Select(Part).ToList();
        var values = new List<(string, string)>();
        return Match(parts, 0, escaped, 0, prefix, values) ? values : null;
    }

    /// <summary>Lines the step sends (LF bytes in its literal parts; placeholder values hold none).</summary>
    public static int LineCount(SendStep step) => step.Segments.Sum(s => s switch
    {
        LiteralBytes l => l.Bytes.Count(b => b == (byte)'\n'),
        RepeatBytes r => r.Count * r.Unit.Count(b => b == (byte)'\n'),
        _ => 0,
    });

    private sealed record TemplatePart(string? Literal, int Repeat, string? Placeholder);

    private static TemplatePart Part(ByteSegment s) => s switch
    {
        LiteralBytes l => new TemplatePart(ByteText.Escape(l.Bytes), 1, null),
        RepeatBytes r => new TemplatePart(ByteText.Escape(r.Unit), r.Count, null),
        PlaceholderRef p => new TemplatePart(null, 0, p.Name),
        _ => throw new InvalidOperationException($"unknown segment {s.GetType().Name}"),
    };

    private static bool Match(List<TemplatePart> parts, int index, string text, int pos, bool prefix, List<(string, string)> values)
    {
        if (prefix && pos == text.Length) return true;
        if (index == parts.Count) return pos == text.Length;
        var part = parts[index];
        if (part.Placeholder is null)
        {
            var literal = part.Literal!;
            for (var k = 0; k < part.Repeat; k++)
            {
                var left = text.Length - pos;
                if (left < literal.Length)
                    return prefix && string.CompareOrdinal(text, pos, literal, 0, left) == 0;
                if (string.CompareOrdinal(text, pos, literal, 0, literal.Length) != 0) return false;
                pos += literal.Length;
                if (prefix && pos == text.Length) return true;
            }
            return Match(parts, index + 1, text, pos, prefix, values);
        }
        // A placeholder ends where the next literal part begins; the last one takes the rest.
        var nextLiteral = index + 1 < parts.Count ? parts[index + 1].Literal : null;
        var limit = Math.Min(text.Length, pos + MaxValueLength);
        for (var end = pos; end <= limit; end++)
        {
            if (nextLiteral is { Length: > 0 })
            {
                var found = text.IndexOf(nextLiteral, end, limit - end, StringComparison.Ordinal);
                if (found < 0)
                {
                    // A prefix may end inside the placeholder or the literal after it.
                    if (!prefix) return false;
                    end = limit;
                }
                else end = found;
            }
            else if (index + 1 == parts.Count) end = text.Length;
            values.Add((part.Placeholder, text[pos..end]));
            if (Match(parts, index + 1, text, end, prefix, values)) return true;
            values.RemoveAt(values.Count - 1);
            if (index + 1 == parts.Count) return false;
        }
        return false;
    }
}
