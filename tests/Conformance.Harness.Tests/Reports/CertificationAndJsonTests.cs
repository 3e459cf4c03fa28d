using Conformance.Harness.Reports;

namespace Conformance.Harness.Tests.Reports;

public sealed class CertificationAndJsonTests
{
    [Test]
    public void Counts_each_level_and_states_the_failures()
    {
        var cert = TestReports.Mixed().Certification!;
        Assert.Multiple(() =>
        {
            Assert.That(cert.Must.Total, Is.EqualTo(5));
            Assert.That(cert.Must.Passed, Is.EqualTo(1));
            Assert.That(cert.Must.Failed, Is.EqualTo(2));
            Assert.That(cert.Must.Skipped, Is.EqualTo(1));
            Assert.That(cert.Must.Errors, Is.EqualTo(1));
            Assert.That(cert.Should.Warned, Is.EqualTo(1));
            Assert.That(cert.May.Passed, Is.EqualTo(1));
            Assert.That(cert.ConformsAtMust, Is.False);
            Assert.That(cert.Statement, Does.Contain("does not conform at MUST level: 2 MUST cases fail"));
            Assert.That(cert.Statement, Does.Contain("1 MUST case skipped").And.Contain("1 MUST case ended in ERROR"));
            Assert.That(cert.CountsLine(), Is.EqualTo("MUST passed 1/5, SHOULD passed 0/1, MAY passed 1/1"));
        });
    }

    [Test]
    public void A_clean_complete_run_conforms_to_the_must_cases_run()
    {
        var cert = TestReports.Report([TestReports.Case("a", "PASS"), TestReports.Case("b", "PASS"), TestReports.Case("c", "PASS", level: "SHOULD")]).Certification!;
        Assert.That(cert.ConformsAtMust, Is.True);
        Assert.That(cert.Statement, Is.EqualTo("\"Kestrel\" at http://127.0.0.1:5000/ conforms at MUST level to the 2 MUST cases run."));
    }

    [Test]
    public void A_skipped_must_case_prevents_the_claim_and_is_named_with_its_role()
    {
        var cert = TestReports.Report([TestReports.Case("a", "PASS"), TestReports.Case("b", "PASS"), TestReports.Case("c", "SKIP") with { MissingRole = "validators" }]).Certification!;
        Assert.That(cert.ConformsAtMust, Is.False);
        Assert.That(cert.Statement, Does.Not.Contain(" conforms "));
        Assert.That(cert.Statement, Is.EqualTo("\"Kestrel\" at http://127.0.0.1:5000/ passes the 2 MUST cases judged, but is not certified at MUST level: "
            + "1 MUST case of the catalog was not judged. 1 MUST case skipped (1 needs the validators role)."));
    }

    [Test]
    public void Must_cases_left_out_by_a_filter_prevent_the_claim()
    {
        var report = TestReports.Report([TestReports.Case("a", "PASS")], filter: "status-line");
        report = report with { Run = report.Run with { NotSelected = new NotSelectedInfo(30, 12) } };
        var cert = Certification.From(report);
        Assert.That(cert.ConformsAtMust, Is.False);
        Assert.That(cert.MustNotSelected, Is.EqualTo(12));
        Assert.That(cert.Statement, Does.Contain("12 MUST cases of the catalog were not judged").And.Contain("12 MUST cases left out by the filter \"status-line\""));
    }

    [Test]
    public void Cases_judged_on_weaker_evidence_are_counted_beside_the_claim()
    {
        var weaker = TestReports.Case("b", "PASS", area: "chunked") with { Evidence = "framing judged by a follow-up request; content not compared (no echo role)", WeakerEvidence = true, MissingRole = "echo" };
        var cert = TestReports.Report([TestReports.Case("a", "PASS"), weaker]).Certification!;
        Assert.That(cert.ConformsAtMust, Is.True, "a weaker judgement is still a judgement");
        Assert.That(cert.Must.WeakerEvidence, Is.EqualTo(1));
        Assert.That(cert.Statement, Does.EndWith("1 MUST case judged on weaker evidence (the echo role would judge them in full)."));
    }

    [Test]
    public void An_incomplete_run_never_claims_conformance()
    {
        var cert = TestReports.Report([TestReports.Case("a", "PASS")], complete: false, note: "interrupted: 1 of 9 cases ran").Certification!;
        Assert.That(cert.ConformsAtMust, Is.False);
        Assert.That(cert.Statement, Does.Contain("not certified").And.Contain("incomplete").And.Contain("1 of 9"));
    }

    [Test]
    public void An_error_on_a_must_case_prevents_the_claim()
    {
        var cert = TestReports.Report([TestReports.Case("a", "PASS"), TestReports.Case("b", "ERROR")]).Certification!;
        Assert.That(cert.ConformsAtMust, Is.False);
        Assert.That(cert.Statement, Does.Contain("could not be judged (ERROR)"));
    }

    [Test]
    public void Report_json_round_trips_with_certification_and_schema()
    {
        var dir = TestReports.TempDir();
        var path = JsonReport.Write(TestReports.Mixed(), dir);
        var text = File.ReadAllText(path);
        var back = JsonReport.Read(path);
        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Contain($"\"schema\": \"{RunReport.CurrentSchema}\"").And.Contain("\"certification\""));
            Assert.That(back.Cases, Has.Count.EqualTo(7));
            Assert.That(back.Certification!.Statement, Is.EqualTo(TestReports.Mixed().Certification!.Statement));
            Assert.That(back.Cases[0].Connections[0].Entries[0].Text, Does.Contain("\\r\\n"));
        });
    }

    [Test]
    public void A_schema_1_report_is_read_and_certified()
    {
        var dir = TestReports.TempDir();
        var json = JsonReport.Serialize(TestReports.Mixed() with { Schema = "http11-conformance-report/1", Certification = null });
        File.WriteAllText(Path.Combine(dir, "old.json"), json);
        Assert.That(JsonReport.Read(Path.Combine(dir, "old.json")).Certification, Is.Not.Null);
    }

    [Test]
    public void Unreadable_reports_name_the_file()
    {
        var dir = TestReports.TempDir();
        var bad = Path.Combine(dir, "bad.json");
        File.WriteAllText(bad, "{ not json");
        Assert.That(() => JsonReport.Read(bad), Throws.TypeOf<InvalidDataException>().With.Message.Contains(bad));
        Assert.That(() => JsonReport.Read(Path.Combine(dir, "missing.json")), Throws.TypeOf<InvalidDataException>().With.Message.Contains("missing.json"));
        File.WriteAllText(bad, JsonReport.Serialize(TestReports.Mixed() with { Schema = "other/9" }));
        Assert.That(() => JsonReport.Read(bad), Throws.TypeOf<InvalidDataException>().With.Message.Contains("other/9"));
    }
}
