using Conformance.Harness.Reports;
using Conformance.Harness.Snapshots;
using Conformance.Harness.Tests.Reports;

namespace Conformance.Harness.Tests.Browser;

/// <summary>Browser cases in the reports: screenshot links, the browser-vs-raw table, disagreements surfaced, no snapshots.</summary>
public sealed class BrowserReportTests
{
    private static RunReport Report()
    {
        var raw = TestReports.Case("cookies-set-cookie-grammar", "PASS", area: "cookies");
        var disagreeing = TestReports.Case("browser-cookie-stored-as-sent", "FAIL", area: "browser") with
        {
            Screenshot = "browser/browser-cookie-stored-as-sent.png",
            Agreement = new AgreementReport("disagrees", "FAIL", [new RawVerdictReport("cookies-set-cookie-grammar", "PASS")],
                "the raw bytes pass but Chromium does not give the user what the case expects"),
        };
        var agreeing = TestReports.Case("browser-missing-shows-404-page", "PASS", area: "browser") with
        {
            Screenshot = "browser/browser-missing-shows-404-page.png",
            Agreement = new AgreementReport("agrees", "PASS", [new RawVerdictReport("missing-random-path-is-404", "PASS")], "browser and raw cases all pass"),
        };
        return TestReports.Report([raw, disagreeing, agreeing]);
    }

    [Test]
    public void Html_links_each_screenshot_relatively_and_tables_the_agreement_with_disagreements_first()
    {
        var html = HtmlReportWriter.Render(Report());
        var table = html[html.IndexOf("id=\"browser-vs-raw\"", StringComparison.Ordinal)..html.IndexOf("id=\"filters\"", StringComparison.Ordinal)];
        Assert.Multiple(() =>
        {
            Assert.That(html, Does.Contain("<a href=\"browser/browser-cookie-stored-as-sent.png\">"));
            Assert.That(html, Does.Contain("<a href=\"browser/browser-missing-shows-404-page.png\">"));
            Assert.That(table, Does.Contain("1 browser case(s) disagree"));
            Assert.That(table.IndexOf("browser-cookie-stored-as-sent", StringComparison.Ordinal), Is.LessThan(table.IndexOf("browser-missing-shows-404-page", StringComparison.Ordinal)));
            Assert.That(table, Does.Contain("class=\"agreement-disagrees\"").And.Contain("#case-cookies-set-cookie-grammar"));
            // Still self-contained: the screenshot is a link the reader opens, never a fetch (img-src stays data: only).
            Assert.That(html, Does.Not.Contain("<img"));
        });
    }

    [Test]
    public void Html_folds_an_all_agreeing_table_to_one_line_and_opens_it_on_a_disagreement()
    {
        var agreeing = Report().Cases.Where(c => c.Agreement?.Status != "disagrees").ToList();
        var folded = HtmlReportWriter.Render(TestReports.Report(agreeing));
        Assert.That(folded, Does.Contain("<details id=\"browser-vs-raw\" class=\"fold agrees-everywhere\">\n<summary><h2>Browser and raw verdicts</h2> Chromium agrees with the raw-socket cases everywhere (1 of 1 browser cases compared).</summary>"));
        Assert.That(HtmlReportWriter.Render(Report()), Does.Contain("<details id=\"browser-vs-raw\" class=\"fold\" open>"));
    }

    [Test]
    public void Html_without_browser_cases_has_no_browser_section()
        => Assert.That(HtmlReportWriter.Render(TestReports.Mixed()), Does.Not.Contain("browser-vs-raw"));

    [Test]
    public void Markdown_surfaces_the_disagreement()
    {
        var md = MarkdownSummaryWriter.Render(Report());
        Assert.Multiple(() =>
        {
            Assert.That(md, Does.Contain("### Browser and raw verdicts"));
            Assert.That(md, Does.Contain("1 browser case(s) disagree"));
            Assert.That(md, Does.Contain("| `browser-cookie-stored-as-sent` | FAIL | `cookies-set-cookie-grammar` PASS | **disagrees**:"));
        });
    }

    [Test]
    public void Json_round_trips_screenshot_and_agreement()
    {
        var dir = TestReports.TempDir();
        var back = JsonReport.Read(JsonReport.Write(Report(), dir));
        var c = back.Cases.Single(x => x.Id == "browser-cookie-stored-as-sent");
        Assert.Multiple(() =>
        {
            Assert.That(c.Screenshot, Is.EqualTo("browser/browser-cookie-stored-as-sent.png"));
            Assert.That(c.Agreement!.Status, Is.EqualTo("disagrees"));
            Assert.That(c.Agreement.Raw.Single().Id, Is.EqualTo("cookies-set-cookie-grammar"));
        });
    }

    [Test]
    public void The_snapshot_gate_leaves_browser_cases_out()
    {
        var dir = TestReports.TempDir();
        var store = new FileSnapshotStore(dir, accept: false);
        var gate = Baselines.VerifyRun(Report(), store, new SnapshotScrubber(new ScrubContext { HostPort = "127.0.0.1:5000", RandomPrefixes = [] }));
        Assert.That(gate.Results.Select(r => r.CaseId), Is.EqualTo(new[] { "cookies-set-cookie-grammar" }));
    }
}
