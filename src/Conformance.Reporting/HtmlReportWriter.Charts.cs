using System.Globalization;
using System.Text;

namespace Conformance.Harness.Reports;

/// <summary>
/// report.html's overview: verdict charts per area and per level drawn as inline SVG (no script, no font
/// beyond the page's own, nothing fetched), a legend, and the FAILs and WARNs grouped by the rule they broke.
/// </summary>
public sealed partial class HtmlReportWriter
{
    /// <summary>Segment order in every bar, and each verdict's colour (the same as the verdict badges).</summary>
    public static readonly IReadOnlyList<(string Verdict, string Colour)> ChartVerdicts =
    [
        ("PASS", "#2e7d32"), ("INFO", "#1565c0"), ("WARN", "#e69500"), ("FAIL", "#c62828"), ("ERROR", "#6a1b9a"), ("SKIP", "#9e9e9e"),
    ];

    private const int ChartLabelWidth = 130;
    private const int ChartBarWidth = 250;
    private const int ChartRowHeight = 17;

    private static void Charts(StringBuilder sb, RunReport report)
    {
        if (report.Cases.Count == 0) return;
        sb.Append("<section id=\"charts\">\n<h2>Verdicts by area and by level</h2>\n");
        Legend(sb, report);
        sb.Append("<div class=\"charts\">\n");
        var areas = report.Cases.GroupBy(c => c.Area).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => (g.Key, (IReadOnlyList<CaseReport>)g.ToList())).ToList();
        Chart(sb, "chart-area", "Share of each area's cases by verdict", areas);
        var levels = Levels.Select(l => (l, (IReadOnlyList<CaseReport>)report.Cases.Where(c => LevelOf(c) == l).ToList())).Where(x => x.Item2.Count > 0).ToList();
        Chart(sb, "chart-level", "Share of each level's cases by verdict", levels);
        sb.Append("</div>\n</section>\n");
    }

    private static void Legend(StringBuilder sb, RunReport report)
    {
        sb.Append("<p class=\"legend\">");
        foreach (var (verdict, colour) in ChartVerdicts)
        {
            var n = report.Cases.Count(c => c.Verdict == verdict);
            sb.Append("<span class=\"key\"><svg width=\"12\" height=\"12\" aria-hidden=\"true\"><rect width=\"12\" height=\"12\" rx=\"2\" fill=\"").Append(colour).Append("\"/></svg> ")
              .Append(verdict).Append(' ').Append(n.ToString(CultureInfo.InvariantCulture)).Append("</span>");
        }
        sb.Append("</p>\n");
    }

    /// <summary>One horizontal bar per row, each the whole of that row's cases, split by verdict; the passed share is written after it.</summary>
    private static void Chart(StringBuilder sb, string id, string title, IReadOnlyList<(string Label, IReadOnlyList<CaseReport> Cases)> rows)
    {
        var height = rows.Count * ChartRowHeight + 4;
        var width = ChartLabelWidth + ChartBarWidth + 70;
        sb.Append("<svg id=\"").Append(id).Append("\" class=\"chart\" role=\"img\" width=\"").Append(width.ToString(CultureInfo.InvariantCulture)).Append("\" height=\"")
          .Append(height.ToString(CultureInfo.InvariantCulture)).Append("\" viewBox=\"0 0 ").Append(width.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(height.ToString(CultureInfo.InvariantCulture))
          .Append("\" xmlns=\"http://www.w3.org/2000/svg\"><title>").Append(E(title)).Append("</title>\n");
        for (var i = 0; i < rows.Count; i++)
        {
            var (label, cases) = rows[i];
            var y = 2 + i * ChartRowHeight;
            string Y(double offset) => (y + offset).ToString("0.##", CultureInfo.InvariantCulture);
            sb.Append("<g class=\"row\" data-row=\"").Append(E(label)).Append("\"><text x=\"").Append((ChartLabelWidth - 6).ToString(CultureInfo.InvariantCulture)).Append("\" y=\"").Append(Y(12))
              .Append("\" text-anchor=\"end\">").Append(E(label)).Append("</text>");
            double x = ChartLabelWidth;
            foreach (var (verdict, colour) in ChartVerdicts)
            {
                var n = cases.Count(c => c.Verdict == verdict);
                if (n == 0) continue;
                var w = ChartBarWidth * (double)n / cases.Count;
                sb.Append("<rect class=\"").Append(verdict).Append("\" data-count=\"").Append(n.ToString(CultureInfo.InvariantCulture)).Append("\" x=\"").Append(x.ToString("0.##", CultureInfo.InvariantCulture))
                  .Append("\" y=\"").Append(Y(2)).Append("\" width=\"").Append(w.ToString("0.##", CultureInfo.InvariantCulture)).Append("\" height=\"13\" fill=\"").Append(colour).Append("\"><title>")
                  .Append(E(label)).Append(": ").Append(n.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(verdict).Append(" of ").Append(cases.Count.ToString(CultureInfo.InvariantCulture)).Append("</title></rect>");
                x += w;
            }
            var passed = cases.Count(c => c.Verdict is "PASS" or "INFO");
            sb.Append("<text x=\"").Append((ChartLabelWidth + ChartBarWidth + 6).ToString(CultureInfo.InvariantCulture)).Append("\" y=\"").Append(Y(12)).Append("\">")
              .Append(passed.ToString(CultureInfo.InvariantCulture)).Append('/').Append(cases.Count.ToString(CultureInfo.InvariantCulture)).Append("</text></g>\n");
        }
        sb.Append("</svg>\n");
    }

    private static void RuleGroupSection(StringBuilder sb, RunReport report)
    {
        var fails = RuleGroups.Of(report, "FAIL");
        var warns = RuleGroups.Of(report, "WARN");
        if (fails.Count == 0 && warns.Count == 0) return;
        sb.Append("<section id=\"rules\">\n");
        if (fails.Count > 0)
        {
            sb.Append("<h2>FAILs by broken rule</h2>\n");
            Groups(sb, fails, "FAIL");
        }
        if (warns.Count > 0)
        {
            sb.Append("<details id=\"warn-rules\" class=\"fold\"").Append(fails.Count == 0 ? " open" : "").Append("><summary><h2>WARNs by rule (")
              .Append(warns.Sum(g => g.Count).ToString(CultureInfo.InvariantCulture)).Append(" in ").Append(warns.Count.ToString(CultureInfo.InvariantCulture)).Append(" rules)</h2></summary>\n");
            Groups(sb, warns, "WARN");
            sb.Append("</details>\n");
        }
        sb.Append("</section>\n");
    }

    private static void Groups(StringBuilder sb, IReadOnlyList<RuleGroup> groups, string verdict)
    {
        sb.Append("<ol class=\"rule-groups ").Append(verdict).Append("\">\n");
        foreach (var g in groups)
        {
            sb.Append("<li><span class=\"count v ").Append(verdict).Append("\">").Append(g.Count.ToString(CultureInfo.InvariantCulture)).Append("</span> <strong>").Append(E(g.Title)).Append("</strong>");
            if (g.Level is { } level) sb.Append(" <span class=\"meta\">").Append(E(level)).Append("</span>");
            if (g.Requirement is { } req) sb.Append("<div class=\"sentence\">").Append(E(req)).Append("</div>");
            sb.Append("<div class=\"example\">e.g. <a href=\"#case-").Append(E(g.CaseIds[0])).Append("\"><code>").Append(E(g.CaseIds[0])).Append("</code></a>: ").Append(E(g.ExampleEvidence())).Append("</div>");
            if (g.Count > 1)
            {
                sb.Append("<div class=\"others\">also ");
                foreach (var id in g.CaseIds.Skip(1).Take(12)) sb.Append("<a href=\"#case-").Append(E(id)).Append("\"><code>").Append(E(id)).Append("</code></a> ");
                if (g.Count > 13) sb.Append("and ").Append((g.Count - 13).ToString(CultureInfo.InvariantCulture)).Append(" more");
                sb.Append("</div>");
            }
            sb.Append("</li>\n");
        }
        sb.Append("</ol>\n");
    }

    private const string ChartCss = """
#certification .facts{display:grid;grid-template-columns:max-content minmax(0,1fr) max-content minmax(0,1fr);column-gap:.4em}
#certification .facts tbody,#certification .facts tr{display:contents}#certification .facts td{overflow-wrap:anywhere}
#charts h2{margin-top:.8em}.charts{display:flex;flex-wrap:wrap;gap:.6em 2.5em;align-items:flex-start}
svg.chart text{font:11px system-ui,sans-serif;fill:#333}
.legend{display:flex;flex-wrap:wrap;gap:.3em 1em;margin:.2em 0 .5em;font-size:.9em}.legend .key{white-space:nowrap}.legend svg{vertical-align:-1px}
ol.rule-groups{padding-left:1.2em}ol.rule-groups li{margin:.45em 0}
ol.rule-groups .count{min-width:2.2em;text-align:center}
ol.rule-groups .sentence{color:#444;font-size:.92em;margin-left:2.8em}ol.rule-groups .example,ol.rule-groups .others{font-size:.9em;margin-left:2.8em}
ol.rule-groups .others{color:#555}
details.fold>summary h2{display:inline;font-size:1.15em}
@media print{
  body{max-width:none;margin:0;font-size:11px}
  #first-screen{break-after:page}
  #filters,button,input,select{display:none}
  details.case{break-inside:avoid}
  *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
}
""";
}
