using System.Text;

namespace Conformance.Harness.Reports;

/// <summary>summary.md's browser part: every browser case against its raw counterparts, disagreements first.</summary>
public sealed partial class MarkdownSummaryWriter
{
    private static void BrowserSection(StringBuilder sb, RunReport report)
    {
        var browser = report.Cases.Where(c => c.Agreement is not null).OrderBy(c => c.Agreement!.Status == "disagrees" ? 0 : 1).ToList();
        if (browser.Count == 0) return;
        var disagreeing = browser.Count(c => c.Agreement!.Status == "disagrees");
        sb.Append("\n### Browser and raw verdicts\n\n");
        sb.Append(disagreeing == 0
            ? "Chromium and the raw-socket cases agree wherever both judged the same behaviour.\n\n"
            : $"⚠️ **{disagreeing} browser case(s) disagree with the raw verdicts for the same behaviour.**\n\n");
        sb.Append("| browser case | verdict | raw counterparts | agreement |\n|---|---|---|---|\n");
        foreach (var c in browser)
        {
            var a = c.Agreement!;
            var raw = a.Raw.Count == 0 ? "(none ran)" : string.Join("<br>", a.Raw.Select(r => $"{Markdown.Code(r.Id)} {r.Verdict}"));
            sb.Append("| ").Append(Markdown.Code(c.Id)).Append(" | ").Append(a.BrowserVerdict).Append(" | ").Append(raw).Append(" | ")
              .Append(a.Status == "disagrees" ? "**disagrees**" : a.Status).Append(": ").Append(Markdown.Text(a.Detail)).Append(" |\n");
        }
    }
}
