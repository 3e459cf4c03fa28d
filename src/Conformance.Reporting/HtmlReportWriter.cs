using System.Globalization;
using System.Net;
using System.Text;

namespace Conformance.Harness.Reports;

/// <summary>
/// report.html: one self-contained file (inline CSS, JS and SVG, a Content-Security-Policy that forbids any
/// fetch) a vendor can mail to a customer. The first screen is the certificate and the charts; then the
/// FAILs grouped by broken rule, the level × area table, filters, and the cases (FAIL first, then ERROR and
/// WARN), each expandable to its requirement, findings and transcript with CR and LF made visible.
/// Everything from the server or the fixtures is HTML-escaped.
/// </summary>
public sealed partial class HtmlReportWriter : IReportWriter
{
    public const string FileName = "report.html";

    private static readonly string[] Levels = ["MUST", "SHOULD", "MAY"];
    private static readonly string[] VerdictOrder = ["FAIL", "ERROR", "WARN", "INFO", "SKIP", "PASS"];

    public string Write(RunReport report, string directory) => ReportFiles.WriteText(directory, FileName, Render(report));

    public static string Render(RunReport report)
    {
        var cert = report.Certification ?? Certification.From(report);
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        // The report must open offline and leak nothing: no request of any kind is allowed.
        sb.Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n");
        sb.Append("<link rel=\"icon\" href=\"data:,\">\n");
        sb.Append("<title>HTTP/1.1 conformance — ").Append(E(report.Target.Profile)).Append("</title>\n<style>").Append(Css).Append(BrowserCss).Append(ChartCss).Append("</style>\n</head>\n<body>\n");

        sb.Append("<h1>HTTP/1.1 conformance report</h1>\n");
        sb.Append("<div id=\"first-screen\">\n");
        Certificate(sb, report, cert);
        Charts(sb, report);
        sb.Append("</div>\n");
        RuleGroupSection(sb, report);
        SummaryTable(sb, report);
        Coverage(sb, report);
        BrowserSection(sb, report);
        Filters(sb, report);

        sb.Append("<section id=\"cases\">\n");
        // What needs attention first: FAIL, then ERROR and WARN; fixture order within each verdict.
        foreach (var c in report.Cases.Select((c, i) => (c, i)).OrderBy(x => Array.IndexOf(VerdictOrder, x.c.Verdict) is var k and >= 0 ? k : VerdictOrder.Length).ThenBy(x => x.i).Select(x => x.c))
            Case(sb, c);
        sb.Append("</section>\n<script>").Append(Script).Append("</script>\n</body>\n</html>\n");
        return sb.ToString();
    }

    private static void Certificate(StringBuilder sb, RunReport report, Certification cert)
    {
        sb.Append("<section id=\"certification\" class=\"").Append(cert.ConformsAtMust ? "conforms" : "not-conforms").Append("\">\n");
        sb.Append("<h2>Certification</h2>\n<p class=\"statement\">").Append(E(cert.Statement)).Append("</p>\n<table class=\"facts\">\n");
        if (report.Run.Label is { Length: > 0 } label) Fact(sb, "Product", label);
        if (report.Run.Operator is { Length: > 0 } who) Fact(sb, "Operator", who);
        Fact(sb, "Suite", $"{report.Suite.Name} {cert.SuiteVersion}");
        Fact(sb, "Fixture set SHA-256", cert.FixturesSha256);
        Fact(sb, "Target", cert.TargetUrl);
        Fact(sb, "Profile", cert.Profile);
        Fact(sb, "Server", cert.ServerIdentity ?? "(not stated)");
        if (report.Target.Tls is { } tls)
        {
            Fact(sb, "TLS", $"{tls.Version}, {tls.CipherSuite}, ALPN {tls.Alpn ?? "none"}{(tls.ServerName is { } sni ? ", SNI " + sni : "")}");
            Fact(sb, "Certificate", $"{tls.CertificateSubject} (issuer {tls.CertificateIssuer}), expires {tls.CertificateNotAfter.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}, SHA-256 {tls.CertificateSha256}, {tls.Trust}");
        }
        Fact(sb, "Date", cert.Date.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture));
        Fact(sb, "Seed", report.Seed.ToString(CultureInfo.InvariantCulture));
        Fact(sb, "Run", $"{(report.Run.Complete ? "complete" : "INCOMPLETE")}{(report.Run.Strict ? ", strict" : "")}, {(report.Run.DurationMs / 1000).ToString("0.00", CultureInfo.InvariantCulture)} s{(report.Run.Filter is { } f ? ", filter " + f : "")}{(report.Run.Note is { } n ? " — " + n : "")}");
        Fact(sb, "MUST", Tally(cert.Must));
        Fact(sb, "SHOULD", Tally(cert.Should));
        Fact(sb, "MAY", Tally(cert.May));
        sb.Append("</table>\n</section>\n");
    }

    private static string Tally(LevelTally t) => string.Create(CultureInfo.InvariantCulture,
        $"passed {t.Passed}/{t.Total} (fail {t.Failed}, warn {t.Warned}, error {t.Errors}, skip {t.Skipped}, weaker evidence {t.WeakerEvidence})");

    private static void Fact(StringBuilder sb, string name, string value)
        => sb.Append("<tr><th>").Append(E(name)).Append("</th><td>").Append(E(value)).Append("</td></tr>\n");

    private static void SummaryTable(StringBuilder sb, RunReport report)
    {
        sb.Append("<section id=\"summary\">\n<h2>Summary by level and area</h2>\n<table class=\"grid\">\n<thead><tr><th>area</th>");
        foreach (var l in Levels) sb.Append("<th>").Append(l).Append("</th>");
        sb.Append("<th>all</th></tr></thead>\n<tbody>\n");
        var areas = report.Cases.Select(c => c.Area).Distinct().Order(StringComparer.Ordinal).ToList();
        foreach (var area in areas.Append(null))
        {
            sb.Append("<tr><th>").Append(area is null ? "total" : E(area)).Append("</th>");
            foreach (var level in Levels.Append(null))
            {
                var cell = report.Cases.Where(c => (area is null || c.Area == area) && (level is null || LevelOf(c) == level)).ToList();
                sb.Append("<td").Append(cell.Any(c => c.Verdict is "FAIL" or "ERROR") ? " class=\"bad\"" : cell.Any(c => c.Verdict == "WARN") ? " class=\"meh\"" : "").Append('>');
                if (cell.Count > 0)
                {
                    sb.Append(cell.Count(c => c.Verdict is "PASS" or "INFO").ToString(CultureInfo.InvariantCulture)).Append('/').Append(cell.Count.ToString(CultureInfo.InvariantCulture));
                    foreach (var v in new[] { "FAIL", "ERROR", "WARN", "SKIP" })
                    {
                        var n = cell.Count(c => c.Verdict == v);
                        if (n > 0) sb.Append(" <span class=\"v ").Append(v).Append("\">").Append(n.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(v).Append("</span>");
                    }
                }
                sb.Append("</td>");
            }
            sb.Append("</tr>\n");
        }
        sb.Append("</tbody>\n</table>\n</section>\n");
    }

    /// <summary>The cases not judged and those judged on weaker evidence, by area and role (<see cref="CoverageLines"/>).</summary>
    private static void Coverage(StringBuilder sb, RunReport report)
    {
        var lines = CoverageLines.For(report);
        sb.Append("<section id=\"coverage\">\n<h2>Coverage</h2>\n<p>").Append(E(lines[0])).Append("</p>\n");
        if (lines.Count > 1)
        {
            sb.Append("<ul>\n");
            foreach (var line in lines.Skip(1)) sb.Append("<li>").Append(E(line.Trim())).Append("</li>\n");
            sb.Append("</ul>\n");
        }
        sb.Append("</section>\n");
    }

    private static string LevelOf(CaseReport c) => c.Level == "GRAMMAR" ? "MUST" : c.Level;

    private static void Filters(StringBuilder sb, RunReport report)
    {
        sb.Append("<section id=\"filters\">\n<h2>Cases</h2>\n<div class=\"filters\">\n<span>verdict:</span>");
        foreach (var v in VerdictOrder)
        {
            var n = report.Cases.Count(c => c.Verdict == v);
            sb.Append("<label><input type=\"checkbox\" class=\"verdict-filter\" value=\"").Append(v).Append("\" checked> <span class=\"v ").Append(v).Append("\">").Append(v).Append("</span> ").Append(n.ToString(CultureInfo.InvariantCulture)).Append("</label>");
        }
        sb.Append("\n<label>level: <select id=\"level-filter\"><option value=\"\">all</option>");
        foreach (var l in report.Cases.Select(c => c.Level).Distinct().Order(StringComparer.Ordinal)) sb.Append("<option>").Append(E(l)).Append("</option>");
        sb.Append("</select></label>\n<label>area: <select id=\"area-filter\"><option value=\"\">all</option>");
        foreach (var a in report.Cases.Select(c => c.Area).Distinct().Order(StringComparer.Ordinal)) sb.Append("<option>").Append(E(a)).Append("</option>");
        sb.Append("</select></label>\n<label>text: <input type=\"search\" id=\"text-filter\" placeholder=\"id, requirement, finding…\"></label>\n");
        sb.Append("<button type=\"button\" id=\"only-failing\">only FAIL</button> <button type=\"button\" id=\"reset\">all</button>\n");
        sb.Append("<span id=\"shown\">").Append(report.Cases.Count.ToString(CultureInfo.InvariantCulture)).Append("</span> of ").Append(report.Cases.Count.ToString(CultureInfo.InvariantCulture)).Append(" shown\n</div>\n</section>\n");
    }

    private static void Case(StringBuilder sb, CaseReport c)
    {
        var search = string.Join(' ', new[] { c.Id, c.Area, c.Level, c.Verdict, c.Requirement, c.Description, c.Source, c.Reason ?? "" }
            .Concat(c.Findings.Select(f => f.Message))).ToLowerInvariant();
        sb.Append("<details class=\"case\" id=\"case-").Append(E(c.Id)).Append("\" data-verdict=\"").Append(E(c.Verdict)).Append("\" data-level=\"").Append(E(c.Level))
          .Append("\" data-area=\"").Append(E(c.Area)).Append("\" data-search=\"").Append(E(search)).Append("\">\n");
        sb.Append("<summary><span class=\"v ").Append(E(c.Verdict)).Append("\">").Append(E(c.Verdict)).Append("</span> <code>").Append(E(c.Id)).Append("</code> <span class=\"meta\">")
          .Append(E(c.Area)).Append(" · ").Append(E(c.Level)).Append(" · RFC ").Append(c.Rfc.ToString(CultureInfo.InvariantCulture)).Append(" §").Append(E(c.Section)).Append("</span></summary>\n");
        sb.Append("<div class=\"body\">\n<p>").Append(E(c.Description)).Append("</p>\n");
        sb.Append("<blockquote cite=\"").Append(E(c.RfcLink)).Append("\">").Append(E(c.Requirement)).Append("<footer>— <a class=\"rfc\" href=\"").Append(E(c.RfcLink))
          .Append("\" rel=\"noopener noreferrer\">RFC ").Append(c.Rfc.ToString(CultureInfo.InvariantCulture)).Append(" §").Append(E(c.Section)).Append("</a> (").Append(E(c.Level)).Append(")</footer></blockquote>\n");
        sb.Append("<p class=\"meta\">fixture <code>").Append(E(c.Source)).Append("</code>, ").Append(c.DurationMs.ToString("0.0", CultureInfo.InvariantCulture)).Append(" ms");
        if (c.Observed.Count > 0) sb.Append(", observed <code>").Append(E(string.Join(", ", c.Observed))).Append("</code>");
        sb.Append("</p>\n");
        if (c.Reason is { } reason) sb.Append("<p class=\"reason\">").Append(E(reason)).Append("</p>\n");
        if (c.Evidence is { } evidence) sb.Append("<p class=\"evidence\">evidence: ").Append(E(evidence)).Append("</p>\n");
        BrowserExtras(sb, c);
        if (c.Findings.Count > 0)
        {
            sb.Append("<ul class=\"findings\">\n");
            foreach (var f in c.Findings) sb.Append("<li><span class=\"v ").Append(E(f.Verdict)).Append("\">").Append(E(f.Verdict)).Append("</span> <pre>").Append(E(f.Message)).Append("</pre></li>\n");
            sb.Append("</ul>\n");
        }
        foreach (var conn in c.Connections)
        {
            sb.Append("<div class=\"connection\"><h4>connection: ").Append(E(conn.Purpose)).Append("</h4>\n");
            // One reader per direction: a head and its body may arrive in different chunks.
            var sent = new TranscriptReader(TranscriptDirection.Sent);
            var received = new TranscriptReader(TranscriptDirection.Received);
            foreach (var e in conn.Entries)
            {
                sb.Append("<div class=\"entry ").Append(E(e.Direction)).Append("\"><div class=\"label\">").Append(e.Direction switch { "sent" => "→ sent", "received" => "← received", _ => "• " + E(e.Direction) })
                  .Append(' ').Append(e.Bytes.ToString(CultureInfo.InvariantCulture)).Append(" B at ").Append(e.AtMs.ToString("0.00", CultureInfo.InvariantCulture)).Append(" ms");
                if (e.Note is { } note) sb.Append(" — ").Append(E(note));
                var reader = e.Direction switch { "sent" => sent, "received" => received, _ => null };
                sb.Append("</div><pre class=\"wire\">").Append(reader is null ? Transcript(e.Text) : reader.Render(e.Text)).Append("</pre>");
                if (e.Truncated) sb.Append("<p class=\"truncated\">truncated: the chunk held ").Append(e.Bytes.ToString(CultureInfo.InvariantCulture)).Append(" bytes; only the first are shown</p>");
                sb.Append("</div>\n");
            }
            sb.Append("</div>\n");
        }
        sb.Append("</div>\n</details>\n");
    }

    /// <summary>
    /// Escaped transcript text as HTML, read as a message head: CR and LF as boxed marks plus a real line
    /// break, and a bare LF (no CR before it) marked as the fault it is in a head. Use
    /// <see cref="TranscriptReader"/> for a connection's chunks, so body bytes are not judged as head lines.
    /// </summary>
    public static string Transcript(string escaped) => new TranscriptReader(TranscriptDirection.Received).Render(escaped);

    private static string E(string? s) => WebUtility.HtmlEncode(s ?? "");

    private const string Css = """
body{font:14px/1.45 system-ui,sans-serif;margin:1em auto;max-width:1200px;padding:0 1em;color:#1b1b1b}
h1{font-size:1.5em;margin:.3em 0}h2{font-size:1.15em;margin-top:1.5em}#certification h2{margin:.4em 0 .2em}.statement{margin:.3em 0}
#certification{border:2px solid #999;border-radius:6px;padding:.5em 1em}
#certification.conforms{border-color:#2e7d32;background:#f1f8f1}#certification.not-conforms{border-color:#c62828;background:#fdf1f1}
.statement{font-weight:bold;font-size:1.1em}
table{border-collapse:collapse}th,td{padding:.2em .6em;text-align:left;vertical-align:top}
.grid td,.grid th{border:1px solid #ccc}.grid td.bad{background:#fde0e0}.grid td.meh{background:#fff4d6}
.facts th{font-weight:normal;color:#555}
.v{display:inline-block;font:bold 11px monospace;padding:1px 5px;border-radius:3px;color:#fff;background:#777}
.v.PASS{background:#2e7d32}.v.FAIL{background:#c62828}.v.ERROR{background:#6a1b9a}.v.WARN{background:#b26a00}.v.INFO{background:#1565c0}.v.SKIP{background:#757575}
.filters{display:flex;flex-wrap:wrap;gap:.4em 1em;align-items:center;margin-bottom:.6em}
details.case{border:1px solid #ddd;border-radius:4px;margin:.25em 0;padding:.2em .6em}
details.case[hidden]{display:none}
summary{cursor:pointer}.meta{color:#555;font-size:.9em}
blockquote{border-left:3px solid #999;margin:.5em 0;padding:.2em .8em;background:#f7f7f7}
blockquote footer{font-size:.9em;color:#555}
ul.findings{padding-left:1em}ul.findings pre{display:inline-block;margin:0;white-space:pre-wrap;vertical-align:top}
.entry{margin:.3em 0}.label{font-size:.85em;color:#555}
pre.wire{background:#fafafa;border:1px solid #e4e4e4;padding:.4em;white-space:pre-wrap;word-break:break-all;margin:0}
.entry.sent pre.wire{border-left:3px solid #1565c0}.entry.received pre.wire{border-left:3px solid #2e7d32}
.cr::before{content:"CR"}.lf::before{content:"LF"}
.cr,.lf{display:inline-block;font:bold 9px/10px monospace;letter-spacing:0;color:#8a8a8a;border:1px solid #c4c4c4;border-radius:2px;padding:0 1px;margin:0 1px;vertical-align:1px;user-select:none}
.lf.bare{color:#fff;background:#d32f2f;border-color:#d32f2f}
.body .cr,.body .lf,span.body-lf{color:#b0b0b0;border-style:dotted}
.esc{color:#fff;background:#6a1b9a;border-radius:2px;padding:0 1px}
.truncated{color:#b26a00;font-weight:bold}.reason{font-style:italic}
""";

    private const string Script = """
(function(){
  var cases=[].slice.call(document.querySelectorAll('details.case'));
  var boxes=[].slice.call(document.querySelectorAll('.verdict-filter'));
  var level=document.getElementById('level-filter'),area=document.getElementById('area-filter'),text=document.getElementById('text-filter');
  function apply(){
    var on={};boxes.forEach(function(b){on[b.value]=b.checked;});
    var q=text.value.trim().toLowerCase(),shown=0;
    cases.forEach(function(c){
      var ok=on[c.dataset.verdict]!==false&&(!level.value||c.dataset.level===level.value)&&(!area.value||c.dataset.area===area.value)&&(!q||c.dataset.search.indexOf(q)>=0);
      c.hidden=!ok;if(ok)shown++;
    });
    document.getElementById('shown').textContent=shown;
  }
  boxes.forEach(function(b){b.addEventListener('change',apply);});
  [level,area].forEach(function(s){s.addEventListener('change',apply);});
  text.addEventListener('input',apply);
  document.getElementById('only-failing').addEventListener('click',function(){boxes.forEach(function(b){b.checked=b.value==='FAIL';});apply();});
  document.getElementById('reset').addEventListener('click',function(){boxes.forEach(function(b){b.checked=true;});level.value='';area.value='';text.value='';apply();});
  if(location.hash){var t=document.getElementById(location.hash.slice(1));if(t&&t.tagName==='DETAILS')t.open=true;}
  apply();
})();
""";
}
