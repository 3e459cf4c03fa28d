using Conformance.Harness.Engine;
using Conformance.Harness.Reports;

namespace Conformance.Harness.Tests.Reports;

public sealed class ReportDiffTests
{
    private static readonly RunReport Old = TestReports.Report(
    [
        TestReports.Case("stays-pass", "PASS"),
        TestReports.Case("pass-to-fail", "PASS"),
        TestReports.Case("skip-to-error", "SKIP"),
        TestReports.Case("warn-to-fail", "WARN"),
        TestReports.Case("fail-to-pass", "FAIL"),
        TestReports.Case("pass-to-warn", "PASS"),
        TestReports.Case("gone", "PASS"),
    ]);

    private static readonly RunReport New = TestReports.Report(
    [
        TestReports.Case("stays-pass", "PASS"),
        TestReports.Case("pass-to-fail", "FAIL"),
        TestReports.Case("skip-to-error", "ERROR"),
        TestReports.Case("warn-to-fail", "FAIL"),
        TestReports.Case("fail-to-pass", "PASS"),
        TestReports.Case("pass-to-warn", "WARN"),
        TestReports.Case("new-case", "FAIL"),
    ]);

    [Test]
    public void Lists_each_case_once_with_lost_coverage_among_the_regressions()
    {
        var old = TestReports.Report([.. Old.Cases, TestReports.Case("pass-to-skip", "PASS")]);
        var @new = TestReports.Report([.. New.Cases, TestReports.Case("pass-to-skip", "SKIP")]);
        var d = ReportDiff.Compare(old, @new, strict: false);
        Assert.Multiple(() =>
        {
            Assert.That(d.Regressions.Select(c => c.Id), Is.EqualTo(new[] { "pass-to-fail", "skip-to-error", "warn-to-fail", "pass-to-skip", "gone" }));
            Assert.That(d.Fixed.Select(c => c.Id), Is.EqualTo(new[] { "fail-to-pass" }));
            Assert.That(d.Changed.Select(c => c.Id), Is.EqualTo(new[] { "pass-to-warn" }));
            Assert.That(d.Added.Select(c => c.Id), Is.EqualTo(new[] { "new-case" }));
            Assert.That(d.LostCoverage, Is.EqualTo(2), "a judged case now SKIP, and a case gone from the run");
            Assert.That(d.Cases.Select(c => c.Id), Is.Unique);
        });
    }

    [Test]
    public void Strict_counts_pass_to_warn()
        => Assert.That(ReportDiff.Compare(Old, New, strict: true).Regressions.Select(c => c.Id), Does.Contain("pass-to-warn"));

    [Test]
    public void A_fail_whose_answer_changed_is_a_change_with_the_bytes_and_expected_and_actual()
    {
        var old = TestReports.Report([TestReports.Case("bad-request", "FAIL",
            findings: [TestReports.Finding("FAIL", "outcome", "400", "200")],
            connections: [TestReports.Connection("GET / HTTP/1.1\\r\\n\\r\\n", "HTTP/1.1 400 Bad Request\\r\\nContent-Length: 0\\r\\n\\r\\n")])]);
        var @new = TestReports.Report([TestReports.Case("bad-request", "FAIL",
            findings: [TestReports.Finding("FAIL", "outcome", "400", "500")],
            connections: [TestReports.Connection("GET / HTTP/1.1\\r\\n\\r\\n", "HTTP/1.1 500 Internal Server Error\\r\\nContent-Length: 0\\r\\n\\r\\n")])]);
        var d = ReportDiff.Compare(old, @new, strict: false, "old/report.html", "new/report.html");
        var row = d.Changed.Single();
        Assert.Multiple(() =>
        {
            Assert.That(d.HasRegressions, Is.False);
            Assert.That(row.Why, Is.EqualTo(new[] { "bytes received" }));
            Assert.That((row.Expected, row.OldActual, row.NewActual), Is.EqualTo(("400", "200", "500")));
            Assert.That(row.ReceivedDiff, Does.Contain("-< HTTP/1.1 400 Bad Request").And.Contain("+< HTTP/1.1 500 Internal Server Error"));
        });
        var md = ReportDiff.RenderMarkdown(d);
        Assert.That(md, Does.Contain("[old](old/report.html#case-bad-request)").And.Contain("[new](new/report.html#case-bad-request)")
            .And.Contain("+< HTTP/1.1 500").And.Contain("| seed | 42 | 42 |").And.Contain("| fixtures | `aaaaaaaaaaaa`"));
        Assert.That(ReportDiff.RenderHtml(d), Does.Contain("href=\"new/report.html#case-bad-request\"").And.Contain("<table id=\"changed\">"));
    }

    [Test]
    public void Same_reports_differ_in_nothing()
    {
        var d = ReportDiff.Compare(Old, Old, strict: true);
        Assert.That(d.Cases, Is.Empty);
        Assert.That(ReportDiff.Counts(d), Does.StartWith("0 regressions"));
    }

    [Test]
    public void Load_names_the_file_it_cannot_read_and_links_from_where_the_diff_is_read()
    {
        var dir = TestReports.TempDir();
        var oldPath = JsonReport.Write(Old, Path.Combine(dir, "old"));
        var newPath = JsonReport.Write(New, Path.Combine(dir, "new"));
        var d = ReportDiff.Load(oldPath, newPath, false, Path.Combine(dir, "out"));
        Assert.That((d.OldHtml, d.NewHtml), Is.EqualTo(("../old/report.html", "../new/report.html")));
        var (md, html) = ReportDiff.Write(d, Path.Combine(dir, "out"));
        Assert.That(File.ReadAllText(md), Does.Contain("### Regressions"));
        Assert.That(File.ReadAllText(html), Does.Contain("<table id=\"regression\">"));
        Assert.That(() => ReportDiff.Load(oldPath, Path.Combine(dir, "nope.json"), false, dir),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains("nope.json"));
    }

    [Test]
    public async Task The_diff_command_exits_0_without_regressions_1_with_them_and_2_for_an_unreadable_report()
    {
        var dir = TestReports.TempDir();
        var oldPath = JsonReport.Write(Old, Path.Combine(dir, "old"));
        var newPath = JsonReport.Write(New, Path.Combine(dir, "new"));
        var regressed = await Cli.CliProcess.RunAsync("diff", oldPath, newPath, "--out", Path.Combine(dir, "out"));
        Assert.That(regressed.ExitCode, Is.EqualTo(ExitCodes.ConformanceFailures), regressed.ToString());
        Assert.That(regressed.Stdout, Does.Contain("**4 regressions** (1 lost coverage)").And.Contain("diff.html"));
        var same = await Cli.CliProcess.RunAsync("diff", newPath, newPath, "--strict");
        Assert.That(same.ExitCode, Is.EqualTo(ExitCodes.Ok), same.ToString());
        var unreadable = await Cli.CliProcess.RunAsync("diff", oldPath, Path.Combine(dir, "nope.json"));
        Assert.That(unreadable.ExitCode, Is.EqualTo(ExitCodes.BadUsage), unreadable.ToString());
        Assert.That(unreadable.Stderr, Does.Contain("nope.json"));
    }
}
