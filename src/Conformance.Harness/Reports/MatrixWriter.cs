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

    public static string Markdown(MatrixReport m)
    {
        var s = new StringBuilder();
        s.AppendLine("# Conformance matrix").AppendLine();
        s.AppendLine(CultureInfo.InvariantCulture, $"{m.CreatedAt:yyyy-MM-dd HH:mm:ss} UTC; {m.Rows.Count} cases; {m.DifferingRows} where the servers differ (listed first; SKIP is not counted as a difference).").AppendLine();
        s.AppendLine("| server | identity | PASS | FAIL | WARN | INFO | SKIP | ERROR | exit | note |");
        s.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var r in m.Runs)
        {
            var v = r.Report?.Summary.ByVerdict;
            string N(string k) => v is null ? "-" : v.GetValueOrDefault(k).ToString(CultureInfo.InvariantCulture);
            var server = r.ReportFolder is { } f ? $"[{r.Server}]({f.Replace('\\', '/')}/{JsonReport.FileName})" : r.Server;
            s.AppendLine(CultureInfo.InvariantCulture, $"| {server} | {Md(r.Report?.Target.ServerIdentity ?? "")} | {N("PASS")} | {N("FAIL")} | {N("WARN")} | {N("INFO")} | {N("SKIP")} | {N("ERROR")} | {r.ExitCode} | {Md(FirstLine(r.Note))} |");
        }
        s.AppendLine();
        s.Append("| case | level | section | ").Append(DiffersMarker).Append(" | ").AppendJoin(" | ", m.Runs.Select(r => r.Server)).AppendLine(" |");
        s.Append("|---|---|---|---|").AppendJoin("", m.Runs.Select(_ => "---|")).AppendLine();
        foreach (var row in m.Rows)
        {
            s.Append(CultureInfo.InvariantCulture, $"| {row.CaseId} | {row.Level} | [{Md(row.Section)}]({row.RfcLink}) | {(row.Differs ? "**" + DiffersMarker + "**" : "")} |");
            foreach (var cell in row.Cells)
                s.Append(' ').Append(cell is null ? "-" : cell.Link is null ? cell.Verdict : $"[{cell.Verdict}]({cell.Link})").Append(" |");
            s.AppendLine();
        }
        return s.ToString();
    }

    public static string Html(MatrixReport m)
    {
        var s = new StringBuilder();
        s.AppendLine("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Conformance matrix</title><style>");
        s.AppendLine("body{font:14px system-ui,sans-serif;margin:1.5em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}");
        s.AppendLine("th{background:#f3f3f3;position:sticky;top:0}.PASS{background:#d9f2d9}.FAIL{background:#f8c8c8}.WARN{background:#fde9b8}.INFO{background:#dbe8f8}.SKIP{background:#eee;color:#666}.ERROR{background:#e0b0ff}");
        s.AppendLine("tr.differs td.id{font-weight:bold}tr.differs td.d{color:#b00;font-weight:bold}body.only tr.same{display:none}a{color:inherit}</style></head><body>");
        s.AppendLine(CultureInfo.InvariantCulture, $"<h1>Conformance matrix</h1><p>{m.CreatedAt:yyyy-MM-dd HH:mm:ss} UTC; {m.Rows.Count} cases; <b>{m.DifferingRows}</b> where the servers differ (listed first; SKIP is not counted as a difference). Each verdict links to that server's transcript.</p>");
        s.AppendLine("<table><tr><th>server</th><th>identity</th><th>PASS</th><th>FAIL</th><th>WARN</th><th>INFO</th><th>SKIP</th><th>ERROR</th><th>exit</th><th>note</th></tr>");
        foreach (var r in m.Runs)
        {
            var v = r.Report?.Summary.ByVerdict;
            string N(string k) => v is null ? "-" : v.GetValueOrDefault(k).ToString(CultureInfo.InvariantCulture);
            var name = r.ReportFolder is { } f ? $"<a href=\"{H(f.Replace('\\', '/') + "/" + JsonReport.FileName)}\">{H(r.Server)}</a>" : H(r.Server);
            s.AppendLine(CultureInfo.InvariantCulture, $"<tr><td>{name}</td><td>{H(r.Report?.Target.ServerIdentity ?? "")}</td><td>{N("PASS")}</td><td>{N("FAIL")}</td><td>{N("WARN")}</td><td>{N("INFO")}</td><td>{N("SKIP")}</td><td>{N("ERROR")}</td><td>{r.ExitCode}</td><td><pre>{H(r.Note ?? "")}</pre></td></tr>");
        }
        s.AppendLine("</table>");
        s.AppendLine("<p><label><input type=\"checkbox\" id=\"only\" onchange=\"document.body.classList.toggle('only',this.checked)\"> show only the cases where the servers differ</label></p>");
        s.Append("<table id=\"matrix\"><tr><th>case</th><th>level</th><th>section</th><th>").Append(DiffersMarker).Append("</th>");
        foreach (var r in m.Runs) s.Append("<th>").Append(H(r.Server)).Append("</th>");
        s.AppendLine("</tr>");
        foreach (var row in m.Rows)
        {
            s.Append(CultureInfo.InvariantCulture, $"<tr class=\"{(row.Differs ? DiffersMarker : "same")}\" id=\"{H(row.CaseId)}\"><td class=\"id\">{H(row.CaseId)}</td><td>{H(row.Level)}</td><td><a href=\"{H(row.RfcLink)}\">{H(row.Section)}</a></td><td class=\"d\">{(row.Differs ? DiffersMarker : "")}</td>");
            foreach (var cell in row.Cells)
            {
                if (cell is null) { s.Append("<td>-</td>"); continue; }
                var text = cell.Link is null ? H(cell.Verdict) : $"<a href=\"{H(cell.Link)}\">{H(cell.Verdict)}</a>";
                s.Append(CultureInfo.InvariantCulture, $"<td class=\"{H(cell.Verdict)}\" title=\"{H(cell.Reason ?? "")}\">{text}</td>");
            }
            s.AppendLine("</tr>");
        }
        s.AppendLine("</table></body></html>");
        return s.ToString();
    }

    private static string H(string text) => WebUtility.HtmlEncode(text);

    private static string Md(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    private static string FirstLine(string? text) => text is null ? "" : text.Split('\n')[0].TrimEnd('\r');
}
