using System.Globalization;
using System.Text;

namespace Conformance.Harness.Wire;

/// <summary>
/// Renders raw bytes so that every byte is visible and unambiguous in messages, transcripts and reports
/// (STYLE.md: escape non-printables; Verify refuses a raw CR, JUnit XML refuses NUL).
/// </summary>
public static class ByteText
{
    /// <summary>
    /// CR, LF, TAB and NUL become <c>\r</c>, <c>\n</c>, <c>\t</c>, <c>\0</c>; other control bytes and bytes
    /// from 0x7F up become <c>\xHH</c>; a backslash becomes <c>\\</c> so the output can be read back
    /// unambiguously; every other byte is its ASCII character.
    /// </summary>
    public static string Escape(ReadOnlySpan<byte> bytes)
    {
        var sb = new StringBuilder(bytes.Length + 8);
        foreach (var b in bytes)
        {
            switch (b)
            {
                case (byte)'\r': sb.Append("\\r"); break;
                case (byte)'\n': sb.Append("\\n"); break;
                case (byte)'\t': sb.Append("\\t"); break;
                case 0: sb.Append("\\0"); break;
                case (byte)'\\': sb.Append("\\\\"); break;
                case < 0x20 or >= 0x7F:
                    sb.Append("\\x").Append(b.ToString("X2", CultureInfo.InvariantCulture));
                    break;
                default: sb.Append((char)b); break;
            }
        }

        return sb.ToString();
    }

    /// <summary>Escapes at most <paramref name="max"/> bytes, marking the cut with an ellipsis and the total length.</summary>
    public static string Escape(ReadOnlySpan<byte> bytes, int max) =>
        bytes.Length <= max ? Escape(bytes) : $"{Escape(bytes[..max])}... ({bytes.Length} bytes)";

    /// <summary>Escapes a string whose chars are bytes (Latin-1), as <see cref="RawLine.Text"/> produces.</summary>
    public static string Escape(string latin1) => Escape(Encoding.Latin1.GetBytes(latin1));
}
