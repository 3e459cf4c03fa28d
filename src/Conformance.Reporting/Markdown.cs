namespace Conformance.Harness.Reports;

/// <summary>Escaping for text from servers and fixtures placed into Markdown.</summary>
public static class Markdown
{
    /// <summary>An inline code span that survives any backticks inside, on one line.</summary>
    public static string Code(string? text)
    {
        var t = (text ?? "").Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
        if (t.Length == 0) return "` `";
        var longest = 0;
        var run = 0;
        foreach (var c in t)
        {
            run = c == '`' ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }
        var fence = new string('`', longest + 1);
        var pad = t.StartsWith('`') || t.EndsWith('`') ? " " : "";
        return fence + pad + t + pad + fence;
    }

    /// <summary>Plain text for a table cell or list item: no line breaks, no table-breaking pipes, no HTML.</summary>
    public static string Text(string? text) => (text ?? "")
        .Replace("\\", "\\\\", StringComparison.Ordinal)
        .Replace("|", "\\|", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal)
        .Replace("\r", " ", StringComparison.Ordinal)
        .Replace("\n", " ", StringComparison.Ordinal);
}
