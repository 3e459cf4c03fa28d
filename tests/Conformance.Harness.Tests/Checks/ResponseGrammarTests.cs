using Conformance.Harness.Checks;
using Conformance.Harness.Model;

namespace Conformance.Harness.Tests.Checks;

public class ResponseGrammarTests
{
    private static IEnumerable<TestCaseData> ConformantCases() =>
        GrammarSamples.Conformant().Select(s => new TestCaseData(s).SetArgDisplayNames(s.Name));

    private static IEnumerable<TestCaseData> ViolatingCases() =>
        GrammarSamples.Violating().Select(v => new TestCaseData(v.Id, v.Sample).SetArgDisplayNames(v.Id, v.Sample.Name));

    private static IEnumerable<TestCaseData> MoreViolatingCases() =>
        GrammarSamples.MoreViolating().Select(v => new TestCaseData(v.Id, v.Sample).SetArgDisplayNames(v.Id, v.Sample.Name));

    [TestCaseSource(nameof(ConformantCases))]
    public void Conformant_response_has_no_violation(GrammarSample sample)
    {
        var violations = sample.Check();
        Assert.That(violations.Select(v => $"{v.CheckId}: {v.Message}"), Is.Empty);
    }

    [TestCaseSource(nameof(ViolatingCases))]
    public void Violating_response_yields_exactly_that_check(string id, GrammarSample sample)
    {
        var violations = sample.Check();
        Assert.That(violations.Select(v => v.CheckId).Distinct(), Is.EqualTo(new[] { id }), string.Join("; ", violations.Select(v => $"{v.CheckId}: {v.Message}")));
    }

    [TestCaseSource(nameof(MoreViolatingCases))]
    public void Other_violating_shapes_are_caught(string id, GrammarSample sample) =>
        Assert.That(sample.Check().Select(v => v.CheckId), Does.Contain(id));

    [Test]
    public void Every_check_id_has_a_violating_sample()
    {
        var covered = GrammarSamples.Violating().Select(v => v.Id).ToHashSet();
        Assert.That(ResponseGrammar.CheckIds.Where(id => !covered.Contains(id)), Is.Empty, "check ids without a violating sample");
    }

    [Test]
    public void Check_ids_are_unique_and_every_definition_cites_a_requirement()
    {
        Assert.That(ResponseGrammar.CheckIds, Is.Unique);
        Assert.That(ResponseGrammar.Definitions.Where(d => d.Requirement.Length < 20 || d.Rfc.Rfc is not (9110 or 9112)).Select(d => d.Id), Is.Empty);
    }

    [Test]
    public void Violation_reports_offset_and_escaped_bytes()
    {
        var v = new GrammarSample("bare LF", $"HTTP/1.1 200 OK\r\n{Wire.Bytes.Date}X-A: 1\nContent-Length: 0\r\n\r\n").Check().Single();
        Assert.Multiple(() =>
        {
            Assert.That(v.CheckId, Is.EqualTo("line.crlf"));
            Assert.That(v.Offset, Is.EqualTo(17 + 37 + 6));
            Assert.That(v.Message, Does.Contain("X-A: 1\\n"));
            Assert.That(v.Verdict, Is.EqualTo(Verdict.Fail));
        });
    }

    [Test]
    public void Higher_major_version_is_a_must_and_a_downgrade_a_should()
    {
        var higher = GrammarSamples.Violating().Single(v => v.Id == "status-line.response-version").Sample.Check().Single();
        var lower = GrammarSamples.MoreViolating().Single(v => v.Id == "status-line.response-version").Sample.Check().Single();
        Assert.That((higher.Level, lower.Level), Is.EqualTo((RequirementLevel.Must, RequirementLevel.Should)));
    }

    [Test]
    public void Whitespace_before_colon_offset_points_at_the_whitespace()
    {
        var v = new GrammarSample("ws", $"HTTP/1.1 200 OK\r\n{Wire.Bytes.Date}X-A : 1\r\nContent-Length: 0\r\n\r\n").Check().Single();
        Assert.That(v.Offset, Is.EqualTo(17 + 37 + 3));
    }
}
