namespace Conformance.Harness.Reports;

/// <summary>A piece of an escaped transcript: plain text, a CR, an LF, or another escape (\t, \0, \xHH, \\).</summary>
public readonly record struct EscapedToken(EscapedTokenKind Kind, string Text);

public enum EscapedTokenKind
{
    Text,
    Cr,
    Lf,
    Escape,
}

/// <summary>
/// Reads the escaped form transcripts are stored in (<see cref="TranscriptLine.Text"/>: \r, \n, \t, \0, \xHH
/// and \\ for a backslash) so writers can show CR and LF as visible marks without re-parsing bytes.
/// </summary>
public static class EscapedText
{
    public static IEnumerable<EscapedToken> Tokenize(string escaped)
    {
        var start = 0;
        var i = 0;
        while (i < escaped.Length)
        {
            if (escaped[i] != '\\' || i + 1 >= escaped.Length)
            {
                i++;
                continue;
            }
            if (i > start) yield return new EscapedToken(EscapedTokenKind.Text, escaped[start..i]);
            var next = escaped[i + 1];
            var length = next == 'x' && i + 3 < escaped.Length ? 4 : 2;
            var kind = next switch
            {
                'r' => EscapedTokenKind.Cr,
                'n' => EscapedTokenKind.Lf,
                _ => EscapedTokenKind.Escape,
            };
            yield return new EscapedToken(kind, escaped.Substring(i, length));
            i += length;
            start = i;
        }
        if (start < escaped.Length) yield return new EscapedToken(EscapedTokenKind.Text, escaped[start..]);
    }

    /// <summary>
    /// Splits escaped text after each \n escape: every returned line keeps its own visible terminator
    /// ("...\r\n", "...\n", or none for the last, unterminated piece).
    /// </summary>
    public static IReadOnlyList<string> SplitLines(string escaped)
    {
        var lines = new List<string>();
        var current = new System.Text.StringBuilder();
        foreach (var token in Tokenize(escaped))
        {
            current.Append(token.Text);
            if (token.Kind == EscapedTokenKind.Lf)
            {
                lines.Add(current.ToString());
                current.Clear();
            }
        }
        if (current.Length > 0) lines.Add(current.ToString());
        return lines;
    }
}
