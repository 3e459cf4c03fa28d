using Conformance.Harness.Engine;
using Conformance.Harness.Reports;
using Conformance.Harness.Tests.Reports;

namespace Conformance.Harness.Tests.Reach;

/// <summary>
/// A SKIP is coverage lost, a weaker judgement coverage kept on less evidence: every report format counts both,
/// by area, and names the role that would bring them in; --require-all-must turns a skipped MUST case into a
/// gate failure.
/// </summary>
public sealed class CoverageReportTests
{
    private static RunReport Report() => TestReports.Report(
    [
        TestReports.Case("framed", "PASS", area: "chunked") with
        {
            Evidence = "framing judged by a follow-up request; content not compared (no echo role)", WeakerEvidence = true, MissingRole = "echo",
        },
        TestReports.Case("framed-too", "PASS", area: "chunked") with
        {
            Evidence = "framing judged by a follow-up request; content not compared (no echo role)", WeakerEvidence = true, MissingRole = "echo",
        },
        TestReports.Case("conditional", "SKIP", area: "conditional", reason: "needs the \"validators\" role") with { MissingRole = "validators" },
        TestReports.Case("plain", "PASS"),
    ]);

    private const string Headline = "coverage: 1 not judged (SKIP; 1 MUST), 2 judged on weaker evidence (2 MUST)";

    [Test]
    public void The_summary_counts_by_area_and_by_role()
    {
        var c = Report().Summary.Coverage!;
        Assert.That((c.NotJudged, c.MustNotJudged, c.WeakerEvidence, c.MustWeakerEvidence), Is.EqualTo((1, 1, 2, 2)));
        Assert.That(c.ByArea["chunked"], Is.EqualTo(new CoverageCount(0, 2)));
        Assert.That(c.ByArea["conditional"], Is.EqualTo(new CoverageCount(1, 0)));
        Assert.That(c.ByArea.ContainsKey("status-line"), Is.False, "an area judged in full is not listed");
        Assert.That(c.ByRole["echo"], Is.EqualTo(new CoverageCount(0, 2)));
        Assert.That(c.ByRole["validators"], Is.EqualTo(new CoverageCount(1, 0)));
    }

    [Test]
    public void Every_format_states_the_counts_and_the_roles()
    {
        var report = Report();
        var lines = CoverageLines.For(report);
        Assert.That(lines[0], Is.EqualTo(Headline));
        Assert.That(lines, Does.Contain("  role echo would bring in 0 and judge 2 in full: " + CoverageLines.RoleAdds("echo")));
        Assert.That(lines, Does.Contain("  role validators would bring in 1 and judge 0 in full: " + CoverageLines.RoleAdds("validators")));

        Assert.That(ConsoleSummary.Render(report, null), Does.Contain(Headline).And.Contain("role echo would bring in 0 and judge 2 in full"));
        Assert.That(MarkdownSummaryWriter.Render(report), Does.Contain("- " + Headline).And.Contain("  - area chunked: 0 not judged, 2 weaker"));
        var html = HtmlReportWriter.Render(report);
        Assert.That(html, Does.Contain("<section id=\"coverage\">").And.Contain(Headline).And.Contain("<li>role validators would bring in 1"));
        Assert.That(html, Does.Contain("evidence: framing judged by a follow-up request; content not compared (no echo role)"));
        var junit = JUnitReportWriter.Render(report);
        Assert.That(junit, Does.Contain("<property name=\"coverage.weaker-evidence\" value=\"2\" />").And.Contain("<property name=\"missing-role\" value=\"validators\" />"));
        Assert.That(junit, Does.Contain("<property name=\"evidence\" value=\"framing judged by a follow-up request; content not compared (no echo role)\" />"));

        var dir = TestReports.TempDir();
        var back = JsonReport.Read(JsonReport.Write(report, dir));
        Assert.That(back.Summary.Coverage, Is.Not.Null);
        Assert.That(back.Summary.Coverage!.ByRole["echo"], Is.EqualTo(new CoverageCount(0, 2)));
        Assert.That(back.Cases[0].Evidence, Does.StartWith("framing judged"));
        Assert.That(back.Cases[0].WeakerEvidence, Is.True);
        Assert.That(File.ReadAllText(Path.Combine(dir, "report.json")), Does.Contain("\"coverage\"").And.Contain("\"missingRole\": \"validators\""));
    }

    [Test]
    public void Require_all_must_fails_the_gate_on_a_skipped_or_filtered_out_must_case()
    {
        var report = Report();
        Assert.That(RunSession.GateExitCode(report, strict: false), Is.EqualTo(ExitCodes.Ok), "a SKIP does not fail the ordinary gate");
        Assert.That(RunSession.GateExitCode(report, strict: false, requireAllMust: true), Is.EqualTo(ExitCodes.ConformanceFailures));

        var shouldOnly = TestReports.Report([TestReports.Case("a", "PASS"), TestReports.Case("b", "SKIP", level: "SHOULD")]);
        Assert.That(RunSession.GateExitCode(shouldOnly, strict: false, requireAllMust: true), Is.EqualTo(ExitCodes.Ok), "only MUST cases are required");

        var filtered = TestReports.Report([TestReports.Case("a", "PASS")], filter: "status-line");
        filtered = filtered with { Run = filtered.Run with { NotSelected = new NotSelectedInfo(5, 2) } };
        Assert.That(RunSession.GateExitCode(filtered, strict: false, requireAllMust: true), Is.EqualTo(ExitCodes.ConformanceFailures));
        Assert.That(RunSession.GateExitCode(filtered, strict: false), Is.EqualTo(ExitCodes.Ok));
    }

    [Test]
    public void The_option_and_its_variable_are_read()
    {
        Assert.That(RunOptions.FromEnvironment(n => n == RunOptions.Env.RequireAllMust ? "true" : null).RequireAllMust, Is.True);
        Assert.That(RunOptions.FromEnvironment(_ => null).RequireAllMust, Is.False);
        Assert.That(() => RunOptions.FromEnvironment(n => n == RunOptions.Env.RequireAllMust ? "maybe" : null),
            Throws.TypeOf<UsageException>().With.Message.Contains(RunOptions.Env.RequireAllMust));
    }
}
