using System.Globalization;
using System.Net;
using System.Text;

namespace Conformance.Harness.Reports;

/// <summary>Writes matrix.md and matrix.html (one self-contained file: inline CSS and script, no network).</summary>
public static class MatrixWriter
{
    public const string MarkdownFile = "matrix.md";
    public const string HtmlFile = "matrix.html";
    public const string DiffersMarker = "differs";

    public static void Write(MatrixReport matrix, string directory)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, MarkdownFile), Markdown(matrix));
        File.WriteAllText(Path.Combine(directory, HtmlFile), Html(matrix));
    }

    public const string MustFailMarker = "MUST FAIL";

    public static string Markdown(MatrixReport m)
    {
        var s = new StringBuilder();
        s.AppendLine("# Conformance matrix").AppendLine();
        s.AppendLine(CultureInfo.InvariantCulture, $"{m.CreatedAt:yyyy-MM-dd HH:mm:ss} UTC; {m.Rows.Count} cases; {m.DifferingRows} where the servers differ; {m.Rows.Count(r => r.MustFail)} where a server FAILs a MUST. Grouped by area; in each area MUST FAILs first, then differences (SKIP is not counted as a difference).").AppendLine();
        s.AppendLine("| server | identity | suite | seed | passed | PASS | FAIL | WARN | INFO | SKIP | ERROR | exit | note |");
        s.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var r in m.Runs)
        {
            var v = r.Report?.Summary.ByVerdict;
            string N(string k) => v is null ? "-" : v.GetValueOrDefault(k).ToString(CultureInfo.InvariantCulture);
            var server = r.ReportFolder is { } f ? $"[{r.Server}]({f.Replace('\\', '/')}/{JsonReport.FileName})" : r.Server;
            s.AppendLine(CultureInfo.InvariantCulture, $"| {server} | {Md(r.Report?.Target.ServerIdentity ?? "")} | {Md(r.Report?.Suite.Version ?? "-")} | {(r.Report is { } rep ? rep.Seed.ToString(CultureInfo.InvariantCulture) : "-")} | {Passed(r)} | {N("PASS")} | {N("FAIL")} | {N("WARN")} | {N("INFO")} | {N("SKIP")} | {N("ERROR")} | {r.ExitCode} | {Md(FirstLine(r.Note))} |");
        }
        foreach (var area in Areas(m))
        {
            s.AppendLine();
            s.AppendLine(CultureInfo.InvariantCulture, $"## {area.Key} ({Count(area.Count(), "case")}, {area.Count(r => r.Differs)} differ{(area.Any(r => r.MustFail) ? $", {area.Count(r => r.MustFail)} {MustFailMarker}" : "")})").AppendLine();
            s.Append("| case | level | section | ").Append(DiffersMarker).Append(" | ").AppendJoin(" | ", m.Runs.Select(r => r.Server)).AppendLine(" |");
            s.Append("|---|---|---|---|").AppendJoin("", m.Runs.Select(_ => "---|")).AppendLine();
            foreach (var row in area)
            {
                s.Append(CultureInfo.InvariantCulture, $"| {row.CaseId} | {row.Level} | [{Md(row.Citation)}]({row.RfcLink}) | {Marker(row, "**", "**")} |");
                foreach (var cell in row.Cells)
                    s.Append(' ').Append(cell is null ? "-" : cell.Link is null ? cell.Verdict : $"[{cell.Verdict}]({cell.Link})").Append(" |");
                s.AppendLine();
            }
        }
        return s.ToString();
    }

    public static string Html(MatrixReport m)
    {
        var s = new StringBuilder();
        s.AppendLine("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'\"><title>Conformance matrix</title><style>");
        s.AppendLine("body{font:14px system-ui,sans-serif;margin:1.5em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}");
        s.AppendLine("th{background:#f3f3f3;position:sticky;top:0}.PASS{background:#d9f2d9}.FAIL{background:#f8c8c8}.WARN{background:#fde9b8}.INFO{background:#dbe8f8}.SKIP{background:#eee;color:#666}.ERROR{background:#e0b0ff}");
        s.AppendLine("tr.differs td.id{font-weight:bold}td.d{color:#b00;font-weight:bold}tr.mustfail td.id{color:#b00}body.only tr.same{display:none}a{color:inherit}tr.area th{background:#e8e8e8;font-size:1.05em;text-align:left}");
        s.AppendLine("svg text{font:12px system-ui,sans-serif;fill:#222}.legend span{margin-right:1em;white-space:nowrap}</style></head><body>");
        s.AppendLine(CultureInfo.InvariantCulture, $"<h1>Conformance matrix</h1><p>{m.CreatedAt:yyyy-MM-dd HH:mm:ss} UTC; {m.Rows.Count} cases; <b>{m.DifferingRows}</b> where the servers differ; <b>{m.Rows.Count(r => r.MustFail)}</b> where a server FAILs a MUST. Grouped by area; in each area MUST FAILs first, then differences (SKIP is not counted as a difference). Each verdict links to that server's transcript.</p>");
        ShareChart(s, m);
        s.AppendLine("<table><tr><th>server</th><th>identity</th><th>suite</th><th>seed</th><th>passed</th><th>PASS</th><th>FAIL</th><th>WARN</th><th>INFO</th><th>SKIP</th><th>ERROR</th><th>exit</th><th>note</th></tr>");
        foreach (var r in m.Runs)
        {
            var v = r.Report?.Summary.ByVerdict;
            string N(string k) => v is null ? "-" : v.GetValueOrDefault(k).ToString(CultureInfo.InvariantCulture);
            var name = r.ReportFolder is { } f ? $"<a href=\"{H(f.Replace('\\', '/') + "/" + JsonReport.FileName)}\">{H(r.Server)}</a>" : H(r.Server);
            s.AppendLine(CultureInfo.InvariantCulture, $"<tr><td>{name}</td><td>{H(r.Report?.Target.ServerIdentity ?? "")}</td><td>{H(r.Report?.Suite.Version ?? "-")}</td><td>{(r.Report is { } rep ? rep.Seed.ToString(CultureInfo.InvariantCulture) : "-")}</td><td>{H(Passed(r))}</td><td>{N("PASS")}</td><td>{N("FAIL")}</td><td>{N("WARN")}</td><td>{N("INFO")}</td><td>{N("SKIP")}</td><td>{N("ERROR")}</td><td>{r.ExitCode}</td><td><pre>{H(r.Note ?? "")}</pre></td></tr>");
        }
        s.AppendLine("</table>");
        s.AppendLine("<p><label><input type=\"checkbox\" id=\"only\"> show only the cases where the servers differ</label></p>");
        s.Append("<table id=\"matrix\"><tr><th>case</th><th>level</th><th>section</th><th>").Append(DiffersMarker).Append("</th>");
        foreach (var r in m.Runs) s.Append("<th>").Append(H(r.Server)).Append("</th>");
        s.AppendLine("</tr>");
        foreach (var area in Areas(m))
        {
            s.Append(CultureInfo.InvariantCulture, $"<tr class=\"area\" id=\"area-{H(area.Key)}\"><th colspan=\"{4 + m.Runs.Count}\">{H(area.Key)} <small>({Count(area.Count(), "case")}, {area.Count(r => r.Differs)} differ{(area.Any(r => r.MustFail) ? $", {area.Count(r => r.MustFail)} {MustFailMarker}" : "")})</small></th></tr>").AppendLine();
            foreach (var row in area)
            {
                var css = (row.Differs ? DiffersMarker : "same") + (row.MustFail ? " mustfail" : "");
                s.Append(CultureInfo.InvariantCulture, $"<tr class=\"{css}\" id=\"{H(row.CaseId)}\"><td class=\"id\">{H(row.CaseId)}</td><td>{H(row.Level)}</td><td><a href=\"{H(row.RfcLink)}\">{H(row.Citation)}</a></td><td class=\"d\">{H(Marker(row, "", ""))}</td>");
                foreach (var cell in row.Cells)
                {
                    if (cell is null) { s.Append("<td>-</td>"); continue; }
                    var text = cell.Link is null ? H(cell.Verdict) : $"<a href=\"{H(cell.Link)}\">{H(cell.Verdict)}</a>";
                    s.Append(CultureInfo.InvariantCulture, $"<td class=\"{H(cell.Verdict)}\" title=\"{H(cell.Reason ?? "")}\">{text}</td>");
                }
                s.AppendLine("</tr>");
            }
        }
        s.AppendLine("</table><script>document.getElementById('only').addEventListener('change',function(){document.body.classList.toggle('only',this.checked);});</script></body></html>");
        return s.ToString();
    }

    /// <summary>Each server's cases as one bar split by verdict, with the share it passed (PASS or INFO): inline SVG, nothing fetched.</summary>
    private static void ShareChart(StringBuilder s, MatrixReport m)
    {
        const int label = 110, bar = 360, row = 22;
        var runs = m.Runs.Where(r => r.Report is { Cases.Count: > 0 }).ToList();
        if (runs.Count == 0) return;
        var width = label + bar + 190;
        s.Append(CultureInfo.InvariantCulture, $"<h2>Share of cases each server passed</h2><p class=\"legend\">");
        foreach (var (verdict, colour) in HtmlReportWriter.ChartVerdicts) s.Append(CultureInfo.InvariantCulture, $"<span><svg width=\"12\" height=\"12\"><rect width=\"12\" height=\"12\" fill=\"{colour}\"/></svg> {verdict}</span>");
        s.Append("</p>\n");
        s.Append(CultureInfo.InvariantCulture, $"<svg id=\"share-chart\" role=\"img\" width=\"{width}\" height=\"{runs.Count * row + 4}\" xmlns=\"http://www.w3.org/2000/svg\"><title>Share of cases each server passed</title>\n");
        for (var i = 0; i < runs.Count; i++)
        {
            var cases = runs[i].Report!.Cases;
            var y = 2 + i * row;
            s.Append(CultureInfo.InvariantCulture, $"<g data-server=\"{H(runs[i].Server)}\"><text x=\"{label - 8}\" y=\"{y + 15}\" text-anchor=\"end\">{H(runs[i].Server)}</text>");
            double x = label;
            foreach (var (verdict, colour) in HtmlReportWriter.ChartVerdicts)
            {
                var n = cases.Count(c => c.Verdict == verdict);
                if (n == 0) continue;
                var w = bar * (double)n / cases.Count;
                s.Append(CultureInfo.InvariantCulture, $"<rect class=\"{verdict}\" x=\"{x:0.##}\" y=\"{y + 3}\" width=\"{w:0.##}\" height=\"15\" fill=\"{colour}\"><title>{H(runs[i].Server)}: {n} {verdict} of {cases.Count}</title></rect>");
                x += w;
            }
            var passed = cases.Count(c => c.Verdict is "PASS" or "INFO");
            s.Append(CultureInfo.InvariantCulture, $"<text x=\"{label + bar + 8}\" y=\"{y + 15}\">{100.0 * passed / cases.Count:0.#}% passed ({passed}/{cases.Count})</text></g>\n");
        }
        s.Append("</svg>\n");
    }

    private static IEnumerable<IGrouping<string, MatrixRow>> Areas(MatrixReport m) => m.Rows.GroupBy(r => r.Area);

    private static string Marker(MatrixRow row, string open, string close) => (row.MustFail, row.Differs) switch
    {
        (true, true) => $"{open}{MustFailMarker}{close}, {DiffersMarker}",
        (true, false) => $"{open}{MustFailMarker}{close}",
        (false, true) => $"{open}{DiffersMarker}{close}",
        _ => "",
    };

    private static string Passed(MatrixRun r) => r.Report is { Cases.Count: > 0 } rep
        ? string.Create(CultureInfo.InvariantCulture, $"{rep.Cases.Count(c => c.Verdict is "PASS" or "INFO")}/{rep.Cases.Count} ({100.0 * rep.Cases.Count(c => c.Verdict is "PASS" or "INFO") / rep.Cases.Count:0.#}%)")
        : "-";

    private static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n.ToString(CultureInfo.InvariantCulture)} {noun}s";

    private static string H(string text) => WebUtility.HtmlEncode(text);

    private static string Md(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    private static string FirstLine(string? text) => text is null ? "" : text.Split('\n')[0].TrimEnd('\r');
}
