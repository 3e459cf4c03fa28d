using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Conformance.Harness.Reports;

public enum TranscriptDirection
{
    Sent,
    Received,
}

/// <summary>
/// Renders one direction of a connection's transcript as HTML, chunk after chunk, knowing whether each byte
/// is in a message head or in a body. Line ends are drawn as boxed "CR" / "LF" marks made by CSS from ASCII
/// letters, so they show in any font (Debian's fonts lack the U+240D/U+240A control pictures). A LF without
/// a CR before it is a fault only in a head (RFC 9112 §2.2: field lines end in CRLF); in a body it is
/// content, drawn faint and never red.
/// </summary>
public sealed partial class TranscriptReader(TranscriptDirection direction)
{
    private bool inBody;
    private bool afterCr;
    private bool headHasLine;
    private int lineLength;

    public string Render(string escaped)
    {
        var sb = new StringBuilder();
        foreach (var t in EscapedText.Tokenize(escaped))
        {
            switch (t.Kind)
            {
                case EscapedTokenKind.Cr:
                    sb.Append(inBody ? "<span class=\"cr body\"></span>" : "<span class=\"cr\"></span>");
                    break;
                case EscapedTokenKind.Lf:
                    sb.Append(inBody ? "<span class=\"lf body\"></span>\n"
                        : afterCr ? "<span class=\"lf\"></span>\n"
                        : "<span class=\"lf bare\" title=\"bare LF in the head: no CR before it\"></span>\n");
                    EndLine();
                    break;
                case EscapedTokenKind.Escape:
                    lineLength++;
                    sb.Append("<span class=\"esc\">").Append(WebUtility.HtmlEncode(t.Text)).Append("</span>");
                    break;
                default:
                    // A new message on the same connection (a pipelined request, the final response after a
                    // 100, the next keep-alive response) starts a new head.
                    if (inBody && lineLength == 0 && StartsHead(t.Text))
                    {
                        inBody = false;
                        headHasLine = false;
                    }
                    lineLength += t.Text.Length;
                    sb.Append(WebUtility.HtmlEncode(t.Text));
                    break;
            }
            afterCr = t.Kind == EscapedTokenKind.Cr;
        }
        return sb.ToString();
    }

    private void EndLine()
    {
        if (!inBody)
        {
            // The empty line after at least one head line ends the head (RFC 9112 §2.1).
            if (lineLength == 0 && headHasLine) inBody = true;
            else if (lineLength > 0) headHasLine = true;
        }
        lineLength = 0;
    }

    private bool StartsHead(string text) => direction == TranscriptDirection.Received
        ? text.StartsWith("HTTP/", StringComparison.Ordinal)
        : RequestLine().IsMatch(text);

    [GeneratedRegex(@"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+ \S+ HTTP/")]
    private static partial Regex RequestLine();
}
