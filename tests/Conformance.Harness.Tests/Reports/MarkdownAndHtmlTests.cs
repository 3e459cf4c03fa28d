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
            Assert.That(html, Does.Contain("<span class=\"cr\">␍</span><span class=\"lf\">␊</span>\n"));
            Assert.That(html, Does.Contain("B<span class=\"lf bare\" title=\"bare LF: no CR before it\">␊</span>\n"));
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
