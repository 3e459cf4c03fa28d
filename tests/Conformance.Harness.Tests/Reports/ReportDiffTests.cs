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
    public void Classifies_regressions_fixes_changes_additions_and_removals()
    {
        var d = ReportDiff.Compare(Old, New, strict: false);
        Assert.Multiple(() =>
        {
            Assert.That(d.Regressions.Select(c => c.Id), Is.EqualTo(new[] { "pass-to-fail", "skip-to-error", "warn-to-fail" }));
            Assert.That(d.Fixed.Select(c => c.Id), Is.EqualTo(new[] { "fail-to-pass" }));
            Assert.That(d.Changed.Select(c => c.Id), Is.EqualTo(new[] { "pass-to-fail", "skip-to-error", "warn-to-fail", "fail-to-pass", "pass-to-warn" }));
            Assert.That(d.Added.Select(c => c.Id), Is.EqualTo(new[] { "new-case" }));
            Assert.That(d.Removed.Select(c => c.Id), Is.EqualTo(new[] { "gone" }));
        });
    }

    [Test]
    public void Strict_counts_pass_to_warn()
        => Assert.That(ReportDiff.Compare(Old, New, strict: true).Regressions.Select(c => c.Id), Does.Contain("pass-to-warn"));

    [Test]
    public void Run_prints_markdown_writes_both_files_and_exits_by_regressions()
    {
        var dir = TestReports.TempDir();
        var oldPath = JsonReport.Write(Old, Path.Combine(dir, "old"));
        var newPath = JsonReport.Write(New, Path.Combine(dir, "new"));
        var outDir = Path.Combine(dir, "out");
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        Assert.That(ReportDiff.Run(oldPath, newPath, outDir, strict: false, stdout, stderr), Is.EqualTo(ExitCodes.ConformanceFailures));
        Assert.That(stdout.ToString(), Does.Contain("**3 regressions**").And.Contain("### Regressions (newly failing)").And.Contain("`pass-to-fail`"));
        Assert.That(File.ReadAllText(Path.Combine(outDir, ReportDiff.MarkdownFileName)), Does.Contain("### Removed cases"));
        Assert.That(File.ReadAllText(Path.Combine(outDir, ReportDiff.HtmlFileName)), Does.Contain("<table id=\"regressions\">").And.Contain("pass-to-fail"));

        using var quiet = new StringWriter();
        Assert.That(ReportDiff.Run(newPath, newPath, null, strict: true, quiet, stderr), Is.EqualTo(ExitCodes.Ok));
    }

    [Test]
    public void Unreadable_input_exits_2_naming_the_file()
    {
        var dir = TestReports.TempDir();
        var good = JsonReport.Write(Old, dir);
        var missing = Path.Combine(dir, "nope.json");
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        Assert.That(ReportDiff.Run(good, missing, null, false, stdout, stderr), Is.EqualTo(ExitCodes.BadUsage));
        Assert.That(stderr.ToString(), Does.Contain("nope.json"));
    }
}
