using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;
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
