using System.Globalization;
using System.Text;

namespace Conformance.Harness.Reports;

/// <summary>Makes any string safe for XML 1.0 without losing what it said.</summary>
public static class XmlText
{
    /// <summary>
    /// Replaces every character XML 1.0 forbids (C0 controls other than TAB/LF/CR, U+FFFE/U+FFFF, lone
    /// surrogates) with visible \xHH (or \uHHHH) text. A server may answer with a NUL; a CI reader that
    /// rejects the whole junit.xml over it would hide every other result.
    /// </summary>
    public static string Clean(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        StringBuilder? sb = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var ok = c is '\t' or '\n' or '\r' || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD);
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                sb?.Append(c).Append(text[i + 1]);
                i++;
                continue;
            }
            if (ok)
            {
                sb?.Append(c);
                continue;
            }
            sb ??= new StringBuilder(text, 0, i, text.Length + 16);
            sb.Append(c <= 0xFF ? "\\x" + ((int)c).ToString("X2", CultureInfo.InvariantCulture) : "\\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture));
        }
        return sb?.ToString() ?? text;
    }
}
