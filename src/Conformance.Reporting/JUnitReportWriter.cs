using System.Globalization;
using System.Text;
using System.Xml;

namespace Conformance.Harness.Reports;

/// <summary>
/// junit.xml in the Jenkins/Ant dialect every CI reader accepts: one &lt;testsuite&gt; per area, one
/// &lt;testcase&gt; per case (name = case id, classname = area), FAIL as &lt;failure&gt;, ERROR as &lt;error&gt;,
/// SKIP as &lt;skipped&gt;; WARN passes with a note in &lt;system-out&gt; and a "warning" property, or fails when
/// the run is strict. Each testcase carries the fixture as separate file and line attributes, the form CI
/// annotation tools resolve (mikepenz/action-junit-report reads testcase@file and @line).
/// </summary>
public sealed class JUnitReportWriter : IReportWriter
{
    public const string FileName = "junit.xml";

    public string Write(RunReport report, string directory) => ReportFiles.WriteText(directory, FileName, Render(report));

    public static string Render(RunReport report)
    {
        var settings = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false), NewLineChars = "\n" };
        var sb = new StringBuilder();
        using (var sw = new Utf8StringWriter(sb))
        using (var x = XmlWriter.Create(sw, settings))
        {
            var strict = report.Run.Strict;
            var all = report.Cases;
            x.WriteStartDocument();
            x.WriteStartElement("testsuites");
            x.WriteAttributeString("name", $"{report.Suite.Name} {report.Suite.Version}");
            WriteCounts(x, all, strict);
            x.WriteAttributeString("time", Seconds(report.Run.DurationMs));
            foreach (var area in all.GroupBy(c => c.Area).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var cases = area.ToList();
                x.WriteStartElement("testsuite");
                x.WriteAttributeString("name", Clean(area.Key));
                WriteCounts(x, cases, strict);
                x.WriteAttributeString("time", Seconds(cases.Sum(c => c.DurationMs)));
                x.WriteAttributeString("timestamp", report.Run.StartedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture));
                x.WriteStartElement("properties");
                Property(x, "suite.version", report.Suite.Version);
                Property(x, "fixtures.sha256", report.Fixtures.Sha256);
                Property(x, "seed", report.Seed.ToString(CultureInfo.InvariantCulture));
                Property(x, "target.url", report.Target.Url);
                Property(x, "target.profile", report.Target.Profile);
                if (report.Target.ServerIdentity is { } server) Property(x, "target.server", server);
                if (report.Target.Tls is { } tls)
                {
                    Property(x, "tls.version", tls.Version);
                    Property(x, "tls.cipher-suite", tls.CipherSuite);
                    Property(x, "tls.alpn", tls.Alpn ?? "");
                    Property(x, "tls.certificate-subject", tls.CertificateSubject);
                    Property(x, "tls.certificate-issuer", tls.CertificateIssuer);
                    Property(x, "tls.certificate-sha256", tls.CertificateSha256);
                    Property(x, "tls.trust", tls.Trust);
                }
                Property(x, "strict", strict ? "true" : "false");
                // This area's coverage lost (SKIP) and kept on weaker evidence, then the run's, as every output states it.
                var areaCoverage = CoverageLines.Of(report).ByArea.GetValueOrDefault(area.Key) ?? new CoverageCount(0, 0);
                Property(x, "coverage.not-judged", areaCoverage.NotJudged.ToString(CultureInfo.InvariantCulture));
                Property(x, "coverage.weaker-evidence", areaCoverage.WeakerEvidence.ToString(CultureInfo.InvariantCulture));
                Property(x, "coverage", string.Join("\n", CoverageLines.For(report)));
                x.WriteEndElement();
                foreach (var c in cases) WriteCase(x, c, strict);
                x.WriteEndElement();
            }
            x.WriteEndElement();
            x.WriteEndDocument();
        }
        return sb.ToString() + "\n";
    }

    private static void WriteCase(XmlWriter x, CaseReport c, bool strict)
    {
        x.WriteStartElement("testcase");
        x.WriteAttributeString("name", Clean(c.Id));
        x.WriteAttributeString("classname", Clean(c.Area));
        x.WriteAttributeString("time", Seconds(c.DurationMs));
        var (file, line) = SplitSource(c.Source);
        x.WriteAttributeString("file", Clean(file));
        if (line is not null) x.WriteAttributeString("line", line);

        x.WriteStartElement("properties");
        Property(x, "rfc", $"RFC {c.Rfc.ToString(CultureInfo.InvariantCulture)} §{c.Section}");
        Property(x, "rfc.link", c.RfcLink);
        Property(x, "level", c.Level);
        Property(x, "verdict", c.Verdict);
        Property(x, "fixture", c.Source);
        if (c.Evidence is { } evidence) Property(x, "evidence", evidence);
        if (c.MissingRole is { } role) Property(x, "missing-role", role);
        // A WARN passes the test, so CI views hide it; the property keeps it findable in every reader.
        if (c.Verdict == "WARN") Property(x, "warning", FailureMessage(c));
        x.WriteEndElement();

        switch (c.Verdict)
        {
            case "FAIL":
                Problem(x, "failure", c);
                break;
            case "WARN" when strict:
                Problem(x, "failure", c);
                break;
            case "ERROR":
                Problem(x, "error", c);
                break;
            case "SKIP":
                x.WriteStartElement("skipped");
                x.WriteAttributeString("message", Clean(c.Reason ?? c.Findings.FirstOrDefault()?.Message ?? "skipped"));
                x.WriteEndElement();
                break;
        }

        var output = SystemOut(c, strict);
        if (output.Length > 0) x.WriteElementString("system-out", Clean(output));
        x.WriteEndElement();
    }

    private static void Problem(XmlWriter x, string element, CaseReport c)
    {
        x.WriteStartElement(element);
        x.WriteAttributeString("message", Clean(FailureMessage(c)));
        x.WriteAttributeString("type", c.Verdict);
        x.WriteString(Clean(Details(c)));
        x.WriteEndElement();
    }

    /// <summary>
    /// Expected and actual of the deciding finding first, then the verdict, level and section, then the
    /// requirement: narrow CI views cut the message after a line or so, and what the server did is what the
    /// reader needs first. The RFC sentence is there in full after it.
    /// </summary>
    public static string FailureMessage(CaseReport c)
    {
        var deciding = c.DecidedBy ?? c.Findings.FirstOrDefault();
        var sb = new StringBuilder();
        if (deciding?.Expected is { } expected) sb.Append("expected: ").Append(expected);
        if (deciding?.Actual is { } actual) sb.Append(sb.Length > 0 ? "; " : "").Append("actual: ").Append(actual);
        if (sb.Length == 0 && (c.Reason ?? deciding?.Detail) is { } why) sb.Append(why);
        if (sb.Length > 0) sb.Append(" — ");
        // Level, section and sentence of the finding that decided the verdict, never the case's own when they differ.
        sb.Append(c.Verdict).Append(' ').Append(c.HeadlineLevel).Append(' ').Append(c.HeadlineRfc);
        sb.Append(": ").Append(c.HeadlineRequirement);
        return sb.ToString();
    }

    /// <summary>"fixtures/cases/x.cases:160" → ("fixtures/cases/x.cases", "160"); a source without a line number is all file.</summary>
    public static (string File, string? Line) SplitSource(string source)
    {
        var colon = source.LastIndexOf(':');
        return colon > 0 && colon < source.Length - 1 && source.AsSpan(colon + 1).IndexOfAnyExceptInRange('0', '9') < 0
            ? (source[..colon], source[(colon + 1)..])
            : (source, null);
    }

    private static string Details(CaseReport c)
    {
        var sb = new StringBuilder();
        sb.Append(c.Description).Append('\n');
        sb.Append("fixture: ").Append(c.Source).Append('\n');
        if (c.Reason is { } reason) sb.Append("reason: ").Append(reason).Append('\n');
        foreach (var f in c.Findings) sb.Append(f.Message).Append('\n');
        return sb.ToString();
    }

    private static string SystemOut(CaseReport c, bool strict)
    {
        var sb = new StringBuilder();
        if (c.Verdict == "WARN" && !strict)
            sb.Append("WARN (passes unless the run is strict): ").Append(FailureMessage(c)).Append('\n').Append("fixture: ").Append(c.Source).Append('\n');
        if (c.Verdict == "INFO")
            sb.Append("INFO: ").Append(string.Join("; ", c.Findings.Select(f => f.Message))).Append('\n');
        if (c.Verdict is "FAIL" or "ERROR" or "WARN")
        {
            foreach (var conn in c.Connections)
            {
                sb.Append("connection ").Append(conn.Purpose).Append('\n');
                foreach (var e in conn.Entries)
                {
                    sb.Append(e.Direction == "sent" ? "> " : e.Direction == "received" ? "< " : "* ").Append(e.Text);
                    if (e.Truncated) sb.Append(" [truncated: ").Append(e.Bytes.ToString(CultureInfo.InvariantCulture)).Append(" bytes in all]");
                    if (e.Note is { } note) sb.Append(" (").Append(note).Append(')');
                    sb.Append('\n');
                }
            }
        }
        return sb.ToString();
    }

    private static void WriteCounts(XmlWriter x, IReadOnlyCollection<CaseReport> cases, bool strict)
    {
        int Count(Func<CaseReport, bool> p) => cases.Count(p);
        x.WriteAttributeString("tests", cases.Count.ToString(CultureInfo.InvariantCulture));
        x.WriteAttributeString("failures", Count(c => c.Verdict == "FAIL" || (strict && c.Verdict == "WARN")).ToString(CultureInfo.InvariantCulture));
        x.WriteAttributeString("errors", Count(c => c.Verdict == "ERROR").ToString(CultureInfo.InvariantCulture));
        x.WriteAttributeString("skipped", Count(c => c.Verdict == "SKIP").ToString(CultureInfo.InvariantCulture));
    }

    private static void Property(XmlWriter x, string name, string value)
    {
        x.WriteStartElement("property");
        x.WriteAttributeString("name", name);
        x.WriteAttributeString("value", Clean(value));
        x.WriteEndElement();
    }

    private static string Clean(string? s) => XmlText.Clean(s);

    private static string Seconds(double ms) => (ms / 1000).ToString("0.000", CultureInfo.InvariantCulture);

    // StringWriter reports UTF-16; the declaration must say what the file is written as.
    private sealed class Utf8StringWriter(StringBuilder sb) : StringWriter(sb, CultureInfo.InvariantCulture)
    {
        public override Encoding Encoding => new UTF8Encoding(false);
    }
}
