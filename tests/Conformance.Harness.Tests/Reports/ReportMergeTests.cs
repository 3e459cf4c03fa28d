using Conformance.Harness.Engine;
using Conformance.Harness.Reports;
using static Conformance.Harness.Tests.Reports.TestReports;

namespace Conformance.Harness.Tests.Reports;

/// <summary>`conformance merge` joins shards of one run and refuses anything else with a clear message (exit 2).</summary>
public sealed class ReportMergeTests
{
    private static RunReport Shard(string shard, params CaseReport[] cases)
    {
        var r = Report(cases);
        return r with { Run = r.Run with { Shard = shard } };
    }

    private static string Save(RunReport report)
    {
        var dir = TempDir();
        return JsonReport.Write(report, dir);
    }

    private static (int Exit, string Error, string Dir) Merge(params RunReport[] reports)
    {
        var dir = TempDir();
        var err = new StringWriter();
        var exit = ReportMerge.Run(reports.Select(Save).ToList(), dir, ReportWriters.All(), TextWriter.Null, err);
        return (exit, err.ToString(), dir);
    }

    [Test]
    public void Shards_merge_into_one_report_in_fixture_order_with_every_output()
    {
        var a = Shard("1/2", Case("bb", "PASS"), Case("dddd", "FAIL"));
        var b = Shard("2/2", Case("a", "PASS"), Case("ccc", "PASS"));
        var (exit, error, dir) = Merge(a, b);
        Assert.That(error, Is.Empty);
        Assert.That(exit, Is.EqualTo(ExitCodes.ConformanceFailures), "a FAIL in any shard fails the merged gate");
        var merged = JsonReport.Read(Path.Combine(dir, JsonReport.FileName));
        Assert.That(merged.Cases.Select(c => c.Id), Is.EqualTo(new[] { "a", "bb", "ccc", "dddd" }));
        Assert.That(merged.Run.Complete, Is.True);
        Assert.That(merged.Run.Shard, Is.Null);
        Assert.That(merged.Summary.ByVerdict["FAIL"], Is.EqualTo(1));
        Assert.That(merged.Certification!.Must.Total, Is.EqualTo(4));
        foreach (var file in new[] { JUnitReportWriter.FileName, HtmlReportWriter.FileName, MarkdownSummaryWriter.FileName })
            Assert.That(File.Exists(Path.Combine(dir, file)), Is.True, file);
    }

    [Test]
    public void A_missing_shard_makes_the_merge_incomplete_and_says_which()
    {
        var (exit, _, dir) = Merge(Shard("1/3", Case("a", "PASS")), Shard("3/3", Case("b", "PASS")));
        var merged = JsonReport.Read(Path.Combine(dir, JsonReport.FileName));
        Assert.That(merged.Run.Complete, Is.False);
        Assert.That(merged.Run.Note, Does.Contain("shards missing: 2/3"));
        Assert.That(merged.Certification!.ConformsAtMust, Is.False);
        Assert.That(exit, Is.EqualTo(ExitCodes.ConformanceFailures));
    }

    [Test]
    public void Reports_of_different_fixture_sets_are_refused()
    {
        var other = Shard("2/2", Case("b", "PASS"));
        var (exit, error, _) = Merge(Shard("1/2", Case("a", "PASS")), other with { Fixtures = other.Fixtures with { Sha256 = new string('b', 64) } });
        Assert.That(exit, Is.EqualTo(ExitCodes.BadUsage));
        Assert.That(error, Does.Contain("different fixture hashes").And.Contain("report.json"));
    }

    [Test]
    public void Reports_of_different_seeds_are_refused()
    {
        var (exit, error, _) = Merge(Shard("1/2", Case("a", "PASS")), Shard("2/2", Case("b", "PASS")) with { Seed = 43 });
        Assert.That(exit, Is.EqualTo(ExitCodes.BadUsage));
        Assert.That(error, Does.Contain("different seeds"));
    }

    [Test]
    public void Reports_of_different_targets_are_refused()
    {
        var other = Shard("2/2", Case("b", "PASS"));
        var (exit, error, _) = Merge(Shard("1/2", Case("a", "PASS")), other with { Target = other.Target with { Url = "http://127.0.0.1:6000/" } });
        Assert.That(exit, Is.EqualTo(ExitCodes.BadUsage));
        Assert.That(error, Does.Contain("different targets").And.Contain("http://127.0.0.1:6000/"));
    }

    [Test]
    public void Launched_servers_on_different_ports_are_the_same_target()
    {
        static RunReport Launched(RunReport r, int port) => r with { Target = r.Target with { Url = $"http://127.0.0.1:{port}/", Launched = true } };
        var (exit, error, _) = Merge(Launched(Shard("1/2", Case("a", "PASS")), 5001), Launched(Shard("2/2", Case("b", "PASS")), 5002));
        Assert.That(error, Is.Empty);
        Assert.That(exit, Is.EqualTo(ExitCodes.Ok));
    }

    [Test]
    public void Overlapping_reports_are_refused_naming_the_case()
    {
        var (exit, error, _) = Merge(Shard("1/2", Case("a", "PASS")), Shard("1/2", Case("a", "PASS")));
        Assert.That(exit, Is.EqualTo(ExitCodes.BadUsage));
        Assert.That(error, Does.Contain("case \"a\" is also in"));
    }

    [Test]
    public void An_unreadable_report_is_refused_naming_the_file()
    {
        var dir = TempDir();
        var bad = Path.Combine(dir, "report.json");
        File.WriteAllText(bad, "{ not json");
        var err = new StringWriter();
        var exit = ReportMerge.Run([bad], TempDir(), ReportWriters.All(), TextWriter.Null, err);
        Assert.That(exit, Is.EqualTo(ExitCodes.BadUsage));
        Assert.That(err.ToString(), Does.Contain(bad));
    }

    [Test]
    public void Verdict_stability_names_each_case_that_changed_and_its_verdicts_per_run()
    {
        var runs = new[]
        {
            Report([Case("steady", "PASS"), Case("flaky", "PASS")]),
            Report([Case("steady", "PASS"), Case("flaky", "FAIL")]),
            Report([Case("steady", "PASS")]),
        };
        var flips = VerdictStability.Compare(runs);
        Assert.That(flips, Has.Count.EqualTo(1));
        Assert.That(flips[0].ToString(), Is.EqualTo("flaky: PASS FAIL -"));
        Assert.That(VerdictStability.Compare([runs[0], runs[0]]), Is.Empty);
    }
}
