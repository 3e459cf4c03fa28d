using Conformance.Harness.Engine;
using Conformance.Harness.Model;
using Conformance.Harness.Tests.Fixtures;
using static Conformance.Harness.Tests.Behaviours.BehaviourServer;
using static Conformance.Harness.Tests.Engine.CaseHarness;

namespace Conformance.Harness.Tests.Engine;

/// <summary>
/// A finding carries the sentence its alternative or check names ("2xx WARN[ID]", "check: ... [ID]"), not the case's:
/// its level, section and quote are what the headline shows (RunReport's HeadlineLevel/HeadlineRfc/HeadlineRequirement),
/// proved on a real socket against the fault server.
/// </summary>
public sealed class NamedSentenceTests
{
    private static readonly RfcReference AdviceRfc = new(9112, "9.6");

    [Test]
    public async Task An_alternative_naming_a_should_gives_its_warn_that_sentences_level_section_and_quote()
    {
        await using var server = new FaultServer.FaultServer();
        var named = await RunAsync(Header() + Get() + $"expect: 404 | 2xx WARN[{TestRequirements.Advice}]\n", server.Port);
        var finding = named.Findings.Single(f => f.Rule == "outcome");
        Assert.That((finding.Verdict, finding.Level, finding.Rfc, finding.Requirement),
            Is.EqualTo((Verdict.Warn, (RequirementLevel?)RequirementLevel.Should, AdviceRfc, "A sample sender SHOULD do this.")), Explain(named));

        // Without the name the same answer is judged by the case's own MUST sentence: a FAIL quoting it.
        var own = await RunAsync(Header() + Get() + "expect: 404\n", server.Port);
        var ownFinding = own.Findings.Single(f => f.Rule == "outcome");
        Assert.That((ownFinding.Verdict, ownFinding.Level, ownFinding.Rfc), Is.EqualTo((Verdict.Fail, (RequirementLevel?)RequirementLevel.Must, new RfcReference(9112, "9.3"))), Explain(own));
    }

    [Test]
    public async Task A_check_naming_a_must_in_a_should_case_fails_with_that_sentence_and_without_it_warns()
    {
        await using var server = new FaultServer.FaultServer();
        var header = Header().Replace(TestRequirements.Harness, TestRequirements.Advice, StringComparison.Ordinal);
        var named = await RunAsync(header + Get() + $"expect: 2xx\n  check: field-on-status 200 X-Never-Sent [{TestRequirements.BareCr}]\n", server.Port);
        var finding = named.Findings.Single(f => f.Rule == "field-on-status");
        Assert.That((finding.Verdict, finding.Level, finding.Rfc, finding.Requirement),
            Is.EqualTo((Verdict.Fail, (RequirementLevel?)RequirementLevel.Must, new RfcReference(9112, "2.2"), "A sender MUST NOT generate a bare CR.")), Explain(named));
        Assert.That(named.Verdict, Is.EqualTo(Verdict.Fail), Explain(named));

        var own = await RunAsync(header + Get() + "expect: 2xx\n  check: field-on-status 200 X-Never-Sent\n", server.Port);
        var ownFinding = own.Findings.Single(f => f.Rule == "field-on-status");
        Assert.That((ownFinding.Verdict, ownFinding.Level, ownFinding.Rfc), Is.EqualTo((Verdict.Warn, (RequirementLevel?)RequirementLevel.Should, AdviceRfc)), Explain(own));
    }

    // A shipped case: a malformed chunk-size refused with 500 breaks RFC 9112 §2.2's SHOULD (400 and close), not the
    // chunked grammar's MUST the case cites: the WARN quotes §2.2.
    [Test]
    public async Task A_500_for_a_malformed_chunk_size_warns_quoting_the_should_400_it_breaks()
    {
        await using var server = new FaultServer.FaultServer { ChunkedRefusal = 500 };
        var result = await RunAsync(Case("chunked-invalid-size-not-hex"), server.Port, FaultProfile());
        Assert.That(result.Observed[0], Is.EqualTo("500"), Explain(result));
        var finding = result.Findings.Single(f => f.Rule == "outcome");
        Assert.That((finding.Verdict, finding.Level, finding.Rfc), Is.EqualTo((Verdict.Warn, (RequirementLevel?)RequirementLevel.Should, new RfcReference(9112, "2.2"))), Explain(result));
        Assert.That(finding.Requirement, Does.Contain("SHOULD respond with a 400 (Bad Request) response and close the connection"), Explain(result));
    }
}
