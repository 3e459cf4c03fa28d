using Conformance.Harness.Reports;

namespace Conformance.Harness.Tests.Reports;

public sealed class MarkdownSummaryWriterTests
{
    [Test]
    public void Certification_line_area_table_and_every_failure()
    {
        var md = File.ReadAllText(new MarkdownSummaryWriter().Write(TestReports.Mixed(), TestReports.TempDir()));
        Assert.Multiple(() =>
        {
            Assert.That(md, Does.Contain("does not conform at MUST level: 2 MUST cases fail"));
            Assert.That(md, Does.Contain("MUST passed 1/5, SHOULD passed 0/1, MAY passed 1/1"));
            Assert.That(md, Does.Contain("| area | PASS | FAIL | WARN | INFO | SKIP | ERROR |"));
            Assert.That(md, Does.Contain("| header-block | 0 | 1 | 1 | 0 | 0 | 1 |"));
            Assert.That(md, Does.Contain("| **total** | 1 | 2 | 1 | 1 | 1 | 1 |"));
            foreach (var id in new[] { "fail-one", "fail-two", "warn-one", "error-one" }) Assert.That(md, Does.Contain($"`{id}`"));
            Assert.That(md, Does.Not.Contain("`pass-one`"));
            Assert.That(md, Does.Contain("expected `200`, actual `400`"));
            Assert.That(md, Does.Contain("`fixtures/cases/9112/status-line.cases:8`"));
            Assert.That(md.IndexOf("fail-one", StringComparison.Ordinal), Is.LessThan(md.IndexOf("warn-one", StringComparison.Ordinal)));
        });
    }

    [Test]
    public void Server_text_cannot_break_the_markdown()
    {
        var c = TestReports.Case("odd", "FAIL", findings: [TestReports.Finding("FAIL", "outcome", expected: "200", actual: "a ` b | <script>")]);
        var md = MarkdownSummaryWriter.Render(TestReports.Report([c]));
        Assert.That(md, Does.Contain("``a ` b | <script>``"));
        Assert.That(Markdown.Text("a|b<c\nd"), Is.EqualTo("a\\|b&lt;c d"));
    }
}

public sealed class HtmlReportWriterTests
{
    [Test]
    public void Transcript_shows_cr_and_lf_and_marks_a_bare_lf()
    {
        var html = HtmlReportWriter.Transcript(@"A\r\nB\nC\x00<b>");
        Assert.Multiple(() =>
        {
            // Marks are CSS-drawn ASCII ("CR", "LF"), never U+240D/U+240A, which Debian's fonts lack.
            Assert.That(html, Does.Contain("<span class=\"cr\"></span><span class=\"lf\"></span>\n"));
            Assert.That(html, Does.Contain("B<span class=\"lf bare\" title=\"bare LF in the head: no CR before it\"></span>\n"));
            Assert.That(html, Does.Not.Contain("␍").And.Not.Contain("␊"));
            Assert.That(html, Does.Contain("<span class=\"esc\">\\x00</span>&lt;b&gt;"));
        });
    }

    [Test]
    public void Self_contained_with_certification_summary_filters_and_escaped_server_text()
    {
        var evil = TestReports.Case("evil", "FAIL", connections: [TestReports.Connection("GET / HTTP/1.1\\r\\n\\r\\n", "HTTP/1.1 200 OK\\r\\nX: <script>alert(1)</script>\\r\\n\\r\\n")]);
        var html = HtmlReportWriter.Render(TestReports.Report([.. TestReports.Mixed().Cases, evil]));
        Assert.Multiple(() =>
        {
            Assert.That(html, Does.Contain("id=\"certification\"").And.Contain("does not conform at MUST level"));
            Assert.That(html, Does.Contain("id=\"summary\"").And.Contain("id=\"level-filter\"").And.Contain("id=\"area-filter\"").And.Contain("id=\"text-filter\""));
            Assert.That(html, Does.Contain("&lt;script&gt;alert(1)&lt;/script&gt;"));
            Assert.That(html, Does.Not.Contain("<script>alert"));
            Assert.That(html, Does.Contain("href=\"https://www.rfc-editor.org/rfc/rfc9112#section-4\""));
            // Nothing that would make a browser fetch: no src=, no stylesheet links, no @import, no url().
            Assert.That(html, Does.Not.Contain(" src=").And.Not.Contain("rel=\"stylesheet\"").And.Not.Contain("@import").And.Not.Contain("url("));
        });
    }
}

public sealed class TranscriptReaderTests
{
    [Test]
    public void A_bare_lf_is_a_fault_in_the_head_and_plain_content_in_the_body()
    {
        var html = new TranscriptReader(TranscriptDirection.Received).Render(@"HTTP/1.1 200 OK\r\nX: a\nContent-Length: 4\r\n\r\na\nb\n");
        Assert.Multiple(() =>
        {
            Assert.That(html, Does.Contain("X: a<span class=\"lf bare\""), "a bare LF in the head is the fault a reader hunts for");
            Assert.That(html, Does.Contain("a<span class=\"lf body\"></span>\nb<span class=\"lf body\"></span>\n"), "LFs in the body are content");
            Assert.That(System.Text.RegularExpressions.Regex.Matches(html, "lf bare").Count, Is.EqualTo(1));
        });
    }

    [Test]
    public void The_head_body_boundary_carries_across_chunks_and_a_new_response_starts_a_new_head()
    {
        var reader = new TranscriptReader(TranscriptDirection.Received);
        reader.Render(@"HTTP/1.1 100 Continue\r\n\r\n");
        var body = reader.Render(@"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n");
        var content = reader.Render(@"x\n");
        var next = reader.Render(@"HTTP/1.1 404 Not Found\nA: b\r\n\r\n");
        Assert.Multiple(() =>
        {
            Assert.That(body, Does.Not.Contain("body"), "the final response after a 100 is a head again");
            Assert.That(content, Is.EqualTo("x<span class=\"lf body\"></span>\n"), "a later chunk of the body is still body");
            Assert.That(next, Does.Contain("Not Found<span class=\"lf bare\""), "the next response on the connection is a head");
        });
    }

    [Test]
    public void Sent_requests_pipelined_after_a_body_are_heads_again()
    {
        var html = new TranscriptReader(TranscriptDirection.Sent).Render(@"POST /echo HTTP/1.1\r\nContent-Length: 19\r\n\r\nline one\r\nline two\n");
        Assert.That(html, Does.Contain("line two<span class=\"lf body\">"));
        Assert.That(System.Text.RegularExpressions.Regex.Matches(html, "lf bare").Count, Is.EqualTo(0), "the content's LFs are content");
        var pipelined = new TranscriptReader(TranscriptDirection.Sent).Render(@"POST /echo HTTP/1.1\r\nContent-Length: 2\r\n\r\nab\r\nGET / HTTP/1.1\nHost: x\r\n\r\n");
        Assert.That(pipelined, Does.Contain("GET / HTTP/1.1<span class=\"lf bare\""));
    }
}

public sealed class HtmlReportLayoutTests
{
    private static RunReport Layout()
    {
        var date = new FindingReport
        {
            Verdict = "FAIL", Kind = "grammar", Rule = "date.present", Level = "MUST", Rfc = "RFC 9110 §6.6.1",
            Requirement = "An origin server MUST generate a Date header field.", Expected = "a Date field", Actual = "none", Message = "FAIL date.present",
        };
        return TestReports.Report(
        [
            TestReports.Case("first-pass", "PASS"),
            TestReports.Case("a-warn", "WARN", level: "SHOULD"),
            TestReports.Case("date-one", "FAIL", findings: [date]),
            TestReports.Case("date-two", "FAIL", area: "header-block", findings: [date]),
            TestReports.Case("a-skip", "SKIP", level: "MAY", reason: "needs echo"),
        ]) with { Run = TestReports.Report([]).Run with { Label = "Acme httpd 2.4.1 <build 77>", Operator = "CI job #12" } };
    }

    [Test]
    public void Fails_come_first_then_warns_then_the_rest_in_fixture_order()
    {
        var html = HtmlReportWriter.Render(Layout());
        var order = new[] { "date-one", "date-two", "a-warn", "a-skip", "first-pass" }.Select(id => html.IndexOf($"id=\"case-{id}\"", StringComparison.Ordinal)).ToList();
        Assert.That(order, Is.Ordered.And.All.GreaterThan(0));
    }

    [Test]
    public void Charts_are_inline_svg_per_area_and_per_level_with_a_legend()
    {
        var html = HtmlReportWriter.Render(Layout());
        Assert.Multiple(() =>
        {
            Assert.That(html, Does.Contain("<svg id=\"chart-area\"").And.Contain("<svg id=\"chart-level\""));
            Assert.That(html, Does.Contain("class=\"legend\""));
            foreach (var v in new[] { "PASS", "INFO", "WARN", "FAIL", "ERROR", "SKIP" }) Assert.That(html, Does.Match($"class=\"key\">.*?</svg> {v} \\d"));
            var area = html[html.IndexOf("<svg id=\"chart-area\"", StringComparison.Ordinal)..html.IndexOf("<svg id=\"chart-level\"", StringComparison.Ordinal)];
            // status-line holds 4 cases: PASS, WARN, FAIL, SKIP, each a quarter of the bar (250 px).
            Assert.That(area, Does.Contain("<g class=\"row\" data-row=\"status-line\">"));
            Assert.That(area, Does.Contain("<rect class=\"FAIL\" data-count=\"1\" x=\"255\" y=\"21\" width=\"62.5\""));
            Assert.That(area, Does.Contain(">1/4</text>"));
            var level = html[html.IndexOf("<svg id=\"chart-level\"", StringComparison.Ordinal)..];
            Assert.That(level, Does.Contain("data-row=\"MUST\"").And.Contain("data-row=\"SHOULD\"").And.Contain("data-row=\"MAY\""));
            Assert.That(html, Does.Not.Contain("<img").And.Not.Contain("url("), "no external asset of any kind");
        });
    }

    [Test]
    public void Fails_are_grouped_by_broken_rule_with_links_to_the_cases()
    {
        var html = HtmlReportWriter.Render(Layout());
        var rules = html[html.IndexOf("<section id=\"rules\">", StringComparison.Ordinal)..html.IndexOf("<section id=\"summary\">", StringComparison.Ordinal)];
        Assert.That(rules, Does.Contain("<h2>FAILs by broken rule</h2>"));
        Assert.That(rules, Does.Contain("<span class=\"count v FAIL\">2</span> <strong>RFC 9110 &#167;6.6.1 [date.present]</strong>"));
        Assert.That(rules, Does.Contain("e.g. <a href=\"#case-date-one\"><code>date-one</code></a>: expected a Date field; actual none"));
        Assert.That(rules, Does.Contain("also <a href=\"#case-date-two\">"));
        Assert.That(rules, Does.Contain("<details id=\"warn-rules\" class=\"fold\">"), "warnings come after, folded");
    }

    [Test]
    public void Label_and_operator_are_in_the_certificate_escaped_and_absent_when_not_given()
    {
        var html = HtmlReportWriter.Render(Layout());
        var cert = html[html.IndexOf("<section id=\"certification\"", StringComparison.Ordinal)..html.IndexOf("</section>", StringComparison.Ordinal)];
        Assert.That(cert, Does.Contain("<th>Product</th><td>Acme httpd 2.4.1 &lt;build 77&gt;</td>").And.Contain("<th>Operator</th><td>CI job #12</td>"));
        Assert.That(HtmlReportWriter.Render(TestReports.Mixed()), Does.Not.Contain("<th>Product</th>").And.Not.Contain("<th>Operator</th>"));
        Assert.That(MarkdownSummaryWriter.Render(Layout()), Does.Contain("Product: Acme httpd 2.4.1 &lt;build 77>. Operator: CI job #12."));
    }

    [Test]
    public void The_certificate_page_prints_on_its_own()
    {
        var html = HtmlReportWriter.Render(Layout());
        Assert.That(html, Does.Contain("@media print{"));
        Assert.That(html, Does.Match(@"@media print\{[^@]*#first-screen\{break-after:page\}"));
        Assert.That(html.IndexOf("<div id=\"first-screen\">", StringComparison.Ordinal), Is.LessThan(html.IndexOf("<section id=\"certification\"", StringComparison.Ordinal)));
        Assert.That(html.IndexOf("<section id=\"charts\">", StringComparison.Ordinal), Is.LessThan(html.IndexOf("<section id=\"rules\">", StringComparison.Ordinal)));
    }

    [Test]
    public void Summary_md_groups_fails_by_rule()
    {
        var md = MarkdownSummaryWriter.Render(Layout());
        Assert.That(md, Does.Contain("### FAILs by broken rule"));
        Assert.That(md, Does.Contain("| 2 | RFC 9110 §6.6.1 [date.present] | MUST | An origin server MUST generate a Date header field. | `date-one`: expected a Date field; actual none |"));
        Assert.That(md.IndexOf("### FAILs by broken rule", StringComparison.Ordinal), Is.LessThan(md.IndexOf("### Failures, errors and warnings", StringComparison.Ordinal)));
    }
}
