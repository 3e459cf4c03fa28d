using System.Text;

namespace Conformance.Harness.Reports;

/// <summary>
/// report.html's browser parts: a table putting each browser case next to the raw verdicts it was compared
/// with (disagreements first and marked), and in each browser case a link to its screenshot. The link is
/// relative (browser/&lt;id&gt;.png beside report.html) and opened by the reader, never fetched by the page, so
/// the Content-Security-Policy still forbids every request.
/// </summary>
public sealed partial class HtmlReportWriter
{
    private static void BrowserSection(StringBuilder sb, RunReport report)
    {
        var browser = report.Cases.Where(c => c.Agreement is not null).ToList();
        if (browser.Count == 0) return;
        var disagreeing = browser.Count(c => c.Agreement!.Status == "disagrees");
        // When everything agrees the table says nothing new: one line, open on demand. A disagreement is a
        // finding, so the table is then shown in full, disagreements first.
        sb.Append("<details id=\"browser-vs-raw\"").Append(disagreeing == 0 ? " class=\"fold agrees-everywhere\"" : " class=\"fold\" open").Append(">\n<summary><h2>Browser and raw verdicts</h2> ");
        var compared = browser.Count(c => c.Agreement!.Status == "agrees");
        sb.Append(disagreeing == 0
            ? $"Chromium agrees with the raw-socket cases everywhere ({compared} of {browser.Count} browser cases compared)."
            : $"{disagreeing} browser case(s) disagree with the raw verdicts for the same behaviour.");
        sb.Append("</summary>\n<table class=\"grid\">\n<thead><tr><th>browser case</th><th>verdict</th><th>raw counterparts</th><th>agreement</th></tr></thead>\n<tbody>\n");
        foreach (var c in browser.OrderBy(c => c.Agreement!.Status == "disagrees" ? 0 : 1))
        {
            var a = c.Agreement!;
            sb.Append("<tr class=\"agreement-").Append(E(a.Status)).Append("\"><td><a href=\"#case-").Append(E(c.Id)).Append("\"><code>").Append(E(c.Id)).Append("</code></a></td>");
            sb.Append("<td><span class=\"v ").Append(E(a.BrowserVerdict)).Append("\">").Append(E(a.BrowserVerdict)).Append("</span></td><td>");
            if (a.Raw.Count == 0) sb.Append("(none ran)");
            foreach (var r in a.Raw)
                sb.Append("<a href=\"#case-").Append(E(r.Id)).Append("\"><code>").Append(E(r.Id)).Append("</code></a> <span class=\"v ").Append(E(r.Verdict)).Append("\">").Append(E(r.Verdict)).Append("</span><br>");
            sb.Append("</td><td><strong>").Append(E(a.Status)).Append("</strong>: ").Append(E(a.Detail)).Append("</td></tr>\n");
        }
        sb.Append("</tbody>\n</table>\n</details>\n");
    }

    private static void BrowserExtras(StringBuilder sb, CaseReport c)
    {
        if (c.Screenshot is { } shot)
            sb.Append("<p class=\"screenshot\">screenshot: <a href=\"").Append(E(shot)).Append("\">").Append(E(shot)).Append("</a></p>\n");
        if (c.Agreement is { } a)
            sb.Append("<p class=\"agreement agreement-").Append(E(a.Status)).Append("\">raw verdicts: <strong>").Append(E(a.Status)).Append("</strong> — ").Append(E(a.Detail)).Append("</p>\n");
    }

    private const string BrowserCss = """
tr.agreement-disagrees td,p.agreement-disagrees{background:#fff4d6}
p.agreement{border-left:3px solid #999;padding:.2em .6em}p.agreement-disagrees{border-left-color:#b26a00}
""";
}
