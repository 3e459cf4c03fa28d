using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;
using Conformance.Harness.Model;
using Conformance.Harness.Reports;

namespace Conformance.Harness.Tests.Reports;

public sealed class JUnitReportWriterTests
{
    private static XDocument WriteAndParse(RunReport report)
    {
        var path = new JUnitReportWriter().Write(report, TestReports.TempDir());
        return XDocument.Load(path);
    }

    private static List<string> Validate(string path)
    {
        var errors = new List<string>();
        var settings = new XmlReaderSettings { ValidationType = ValidationType.Schema };
        settings.Schemas.Add(null, Path.Combine(TestContext.CurrentContext.TestDirectory, "Reports", "junit.xsd"));
        settings.ValidationEventHandler += (_, e) => errors.Add($"{e.Severity}: {e.Message} (line {e.Exception?.LineNumber})");
        using var reader = XmlReader.Create(path, settings);
        while (reader.Read()) { }
        return errors;
    }

    [Test]
    public void One_testsuite_per_area_and_one_testcase_per_case()
    {
        var doc = WriteAndParse(TestReports.Mixed());
        var suites = doc.Root!.Elements("testsuite").ToList();
        Assert.Multiple(() =>
        {
            Assert.That(suites.Select(s => (string?)s.Attribute("name")), Is.EqualTo(new[] { "header-block", "status-line" }));
            Assert.That(doc.Root!.Attribute("tests")!.Value, Is.EqualTo("7"));
            Assert.That(doc.Root!.Attribute("failures")!.Value, Is.EqualTo("2"));
            Assert.That(doc.Root!.Attribute("errors")!.Value, Is.EqualTo("1"));
            Assert.That(doc.Root!.Attribute("skipped")!.Value, Is.EqualTo("1"));
            var fail = doc.Descendants("testcase").Single(t => (string?)t.Attribute("name") == "fail-one");
            Assert.That(fail.Attribute("classname")!.Value, Is.EqualTo("status-line"));
            Assert.That(fail.Element("failure")!.Attribute("message")!.Value, Does.Contain("the status line holds SP").And.Contain("expected: 200").And.Contain("actual: 400"));
            var props = fail.Element("properties")!.Elements("property").ToDictionary(p => p.Attribute("name")!.Value, p => p.Attribute("value")!.Value);
            Assert.That(props["rfc"], Is.EqualTo("RFC 9112 §4"));
            Assert.That(props["level"], Is.EqualTo("MUST"));
            var error = doc.Descendants("testcase").Single(t => (string?)t.Attribute("name") == "error-one");
            Assert.That(error.Element("error"), Is.Not.Null);
            var skip = doc.Descendants("testcase").Single(t => (string?)t.Attribute("name") == "skip-one");
            Assert.That(skip.Element("skipped")!.Attribute("message")!.Value, Is.EqualTo("the profile has no echo role"));
            var pass = doc.Descendants("testcase").Single(t => (string?)t.Attribute("name") == "pass-one");
            Assert.That(pass.Elements().Select(e => e.Name.LocalName), Is.EqualTo(new[] { "properties" }));
        });
    }

    [Test]
    public void Warn_passes_with_a_note_unless_the_run_is_strict()
    {
        var lenient = WriteAndParse(TestReports.Mixed()).Descendants("testcase").Single(t => (string?)t.Attribute("name") == "warn-one");
        Assert.That(lenient.Element("failure"), Is.Null);
        Assert.That(lenient.Element("system-out")!.Value, Does.StartWith("WARN"));

        var strict = WriteAndParse(TestReports.Mixed(strict: true));
        var warn = strict.Descendants("testcase").Single(t => (string?)t.Attribute("name") == "warn-one");
        Assert.That(warn.Element("failure")!.Attribute("type")!.Value, Is.EqualTo("WARN"));
        Assert.That(strict.Root!.Attribute("failures")!.Value, Is.EqualTo("3"));
    }

    [Test]
    public void Control_characters_become_visible_and_the_xml_stays_valid()
    {
        var nasty = TestReports.Case("nul-in-response", "FAIL",
            findings: [TestReports.Finding("FAIL", "grammar", expected: "a token", actual: "a\0b\u0001c\u001Fd\uFFFEe")],
            reason: "bad \u0007 bell");
        var path = new JUnitReportWriter().Write(TestReports.Report([nasty]), TestReports.TempDir());
        var text = File.ReadAllText(path);
        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Contain(@"a\x00b\x01c\x1Fd\uFFFEe"));
            Assert.That(text, Does.Contain(@"bad \x07 bell"));
            Assert.That(Validate(path), Is.Empty);
        });
    }

    [Test]
    public void Validates_against_the_jenkins_junit_schema()
    {
        var path = new JUnitReportWriter().Write(TestReports.Mixed(strict: true), TestReports.TempDir());
        Assert.That(Validate(path), Is.Empty);
        var lenient = new JUnitReportWriter().Write(TestReports.Mixed(), TestReports.TempDir());
        Assert.That(Validate(lenient), Is.Empty);
    }

    [Test]
    public void The_schema_rejects_what_readers_reject()
    {
        // Guards the guard: an XSD that accepted anything would make the test above worthless.
        var dir = TestReports.TempDir();
        var path = Path.Combine(dir, "bad.xml");
        File.WriteAllText(path, "<testsuites><testsuite tests=\"1\"><testcase name=\"x\"><failure/><skipped/></testcase></testsuite></testsuites>");
        Assert.That(Validate(path), Is.Not.Empty);
    }

    [Test]
    public void XmlText_keeps_tab_cr_lf_and_surrogate_pairs()
        => Assert.That(Conformance.Harness.Reports.XmlText.Clean("a\tb\r\nc😀\uD800"), Is.EqualTo("a\tb\r\nc😀\\uD800"));
}

/// <summary>
/// junit.xml read the way the popular CI reporters read it. mikepenz/action-junit-report annotates
/// testcase@file at testcase@line and shows failure@message as the annotation's title; dorny/test-reporter
/// lists failure@message in its table, cut after one line. So: a file path that exists relative to the
/// repository, a line that points at the case, and a message that starts with what was expected and seen.
/// </summary>
public sealed class JUnitForCiReportersTests
{
    private static readonly string Root = Harness.Fixtures.RepoPaths.Root();

    private static (XElement TestCase, Harness.Fixtures.ConformanceCase Case) WriteRealCase(string verdict, bool strict = false)
    {
        var set = Harness.Fixtures.FixtureSet.Load(Harness.Fixtures.RepoPaths.Cases(Root), Root, Harness.Engine.NamedCheckRegistry.Default);
        var real = set.Cases.First(c => c.Line > 1);
        var result = CaseResults.Of(real.Id, verdict) with
        {
            Case = real,
            Findings = verdict == "PASS" ? [] :
            [
                new Harness.Engine.Finding
                {
                    Verdict = Enum.GetValues<Harness.Model.Verdict>().First(v => v.ToLabel() == verdict), Kind = Harness.Engine.FindingKind.Outcome, Rule = "outcome",
                    Level = real.Level, Rfc = real.Rfc, Requirement = real.Requirement, Expected = "400", Actual = "HTTP/1.1 200 OK", Location = real.Location,
                },
            ],
        };
        var report = TestReports.Report([ReportBuilder.ToReport(result)], strict: strict);
        var doc = XDocument.Load(new JUnitReportWriter().Write(report, TestReports.TempDir()));
        return (doc.Descendants("testcase").Single(), real);
    }

    [Test]
    public void Testcase_file_is_a_repository_path_and_line_points_at_the_case()
    {
        var (tc, real) = WriteRealCase("FAIL");
        var file = (string?)tc.Attribute("file");
        var line = (string?)tc.Attribute("line");
        Assert.Multiple(() =>
        {
            Assert.That(file, Is.EqualTo(real.SourceFile), "no \":line\" inside file");
            Assert.That(File.Exists(Path.Combine(Root, file!)), $"{file} resolves from the repository root");
            Assert.That(int.TryParse(line, out var n) && n > 0, $"line=\"{line}\" is a positive number");
            var text = File.ReadAllLines(Path.Combine(Root, file!))[int.Parse(line!, System.Globalization.CultureInfo.InvariantCulture) - 1];
            Assert.That(text, Does.Contain(real.Id), "the annotated line is the case's own header");
        });
    }

    [Test]
    public void Failure_message_leads_with_expected_and_actual_and_ends_with_the_sentence()
    {
        var (tc, real) = WriteRealCase("FAIL");
        var message = tc.Element("failure")!.Attribute("message")!.Value;
        Assert.That(message, Does.StartWith("expected: 400; actual: HTTP/1.1 200 OK — FAIL "));
        Assert.That(message, Does.EndWith(real.Requirement));
    }

    [Test]
    public void A_warn_is_visible_as_a_property_and_in_system_out_without_failing_the_test()
    {
        var (tc, _) = WriteRealCase("WARN");
        var props = tc.Element("properties")!.Elements("property").ToDictionary(p => p.Attribute("name")!.Value, p => p.Attribute("value")!.Value);
        Assert.Multiple(() =>
        {
            Assert.That(tc.Element("failure"), Is.Null, "a WARN passes unless strict");
            Assert.That(props["verdict"], Is.EqualTo("WARN"));
            Assert.That(props["warning"], Does.StartWith("expected: 400; actual: HTTP/1.1 200 OK — WARN "));
            Assert.That(tc.Element("system-out")!.Value, Does.StartWith("WARN (passes unless the run is strict): expected: 400"));
        });
        var (strict, _) = WriteRealCase("WARN", strict: true);
        Assert.That(strict.Element("failure")!.Attribute("message")!.Value, Does.StartWith("expected: 400"));
    }

    [TestCase("fixtures/cases/rfc9112/03-request-line.cases:160", "fixtures/cases/rfc9112/03-request-line.cases", "160")]
    [TestCase("src/Conformance.Browser/BrowserCatalog.cs:42", "src/Conformance.Browser/BrowserCatalog.cs", "42")]
    [TestCase("C:/x/y.cases", "C:/x/y.cases", null)]
    [TestCase("odd:name", "odd:name", null)]
    public void Source_splits_into_file_and_line(string source, string file, string? line)
        => Assert.That(JUnitReportWriter.SplitSource(source), Is.EqualTo((file, line)));
}
