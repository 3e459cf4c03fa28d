using Conformance.Harness.Engine;
using Conformance.Harness.Fixtures;
using Conformance.Harness.Model;
using Conformance.Harness.Targets;
using static Conformance.Harness.Tests.Engine.CaseHarness;

namespace Conformance.Harness.Tests.Reach;

/// <summary>
/// Catalog cases run over real sockets against <see cref="FramingServer"/>, each both ways: with the echo role
/// (content compared) and with a profile naming only the existing and missing resources (framing judged by a
/// follow-up request). A server that frames content correctly passes both ways; one that reads too few or too
/// many content bytes, or answers a smuggled request, fails both ways.
/// </summary>
public sealed class EvidenceFallbackRunTests
{
    private static readonly Lazy<IReadOnlyDictionary<string, ConformanceCase>> Catalog = new(() =>
    {
        var root = RepoPaths.Root();
        return FixtureSet.Load(RepoPaths.Cases(root), root, NamedCheckRegistry.Default).Cases.ToDictionary(c => c.Id);
    });

    public enum Evidence
    {
        EchoRole,
        ExistingAndMissingOnly,
    }

    private static TargetProfile Profile(Evidence evidence) => FaultProfile(r => evidence == Evidence.EchoRole ? r : r with { Echo = null });

    private static async Task<CaseResult> Run(string id, ContentFraming framing, Evidence evidence)
    {
        await using var server = new FramingServer(framing);
        return await RunAsync(Catalog.Value[id], server.Port, Profile(evidence));
    }

    /// <summary>Cases whose content this server frames (Content-Length or chunked, valid), each answered 2xx by an echo.</summary>
    private static readonly string[] ContentCases =
    [
        "content-length-leading-zeros-are-valid", "field-value-without-space-after-colon", "chunked-two-chunks-is-decoded",
        "chunked-extension-name-value-is-ignored", "chunked-trailer-field-is-accepted", "te-chunked-uppercase-is-decoded",
        "expect-100-continue-is-answered-before-content", "expect-100-continue-chunked",
    ];

    private static readonly string[] ContentLengthCases = ["content-length-leading-zeros-are-valid", "field-value-without-space-after-colon", "field-value-ows-is-trimmed"];

    /// <summary>TE.CL: a server framing by Content-Length answers the chunked content's hidden request.</summary>
    private static readonly string[] TeClCases = ["smuggling-te-cl-plain", "smuggling-te-cl-te-first"];

    /// <summary>CL.TE: a server decoding chunked and keeping the connection answers what follows the last chunk.</summary>
    private static readonly string[] ClTeCases = ["smuggling-cl-te-plain", "smuggling-cl-te-te-uppercase"];

    [Test]
    public async Task A_server_that_frames_content_correctly_passes_both_ways(
        [ValueSource(nameof(ContentCases))] string id, [Values] Evidence evidence)
    {
        var result = await Run(id, ContentFraming.Correct, evidence);
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Pass), Explain(result));
        Assert.That(result.Evidence, Is.Not.Null);
        if (evidence == Evidence.ExistingAndMissingOnly)
        {
            Assert.That(result.Observed, Does.Contain("405"), "the resource refused the content it does not want");
            Assert.That(result.Evidence!.Description, Does.StartWith("framing judged by a follow-up request"));
            Assert.That(result.Findings.Select(f => f.Rule), Does.Contain(CaseRunner.FollowUpRule));
        }
    }

    [Test]
    public async Task A_server_that_reads_no_content_fails_both_ways([ValueSource(nameof(ContentCases))] string id, [Values] Evidence evidence)
    {
        var result = await Run(id, ContentFraming.IgnoreContent, evidence);
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Fail), Explain(result));
    }

    [Test]
    public async Task A_server_that_reads_too_many_content_bytes_fails_both_ways([ValueSource(nameof(ContentLengthCases))] string id, [Values] Evidence evidence)
    {
        var result = await Run(id, ContentFraming.ReadTwoExtraBytes, evidence);
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Fail), Explain(result));
    }

    [Test]
    public async Task A_server_that_answers_a_te_cl_smuggled_request_fails_both_ways([ValueSource(nameof(TeClCases))] string id, [Values] Evidence evidence)
    {
        await A_server_that_answers_the_smuggled_request_fails(id, ContentFraming.ContentLengthOverChunked, evidence);
    }

    [Test]
    public async Task A_server_that_answers_a_cl_te_smuggled_request_fails_both_ways([ValueSource(nameof(ClTeCases))] string id, [Values] Evidence evidence)
    {
        await A_server_that_answers_the_smuggled_request_fails(id, ContentFraming.ChunkedOverContentLengthKeepAlive, evidence);
    }

    private static async Task A_server_that_answers_the_smuggled_request_fails(string id, ContentFraming fault, Evidence evidence)
    {
        var result = await Run(id, fault, evidence);
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Fail), Explain(result));
        var correct = await Run(id, ContentFraming.Correct, evidence);
        Assert.That(correct.Verdict, Is.EqualTo(Verdict.Pass), Explain(correct));
    }

    /// <summary>
    /// Cases whose content is invalid or unfinished behind a valid head: with an echo a 2xx means the server
    /// took that content, but a resource that does not want content may answer before reading any of it.
    /// </summary>
    private static readonly string[] UnreadContentCases =
    [
        "chunked-invalid-size-not-hex", "chunked-invalid-size-with-0x", "chunked-invalid-size-negative", "chunked-invalid-size-bare-cr",
        "chunked-invalid-data-longer-than-size", "chunked-invalid-missing-crlf-after-data", "chunked-size-int64-overflow",
        "chunked-size-wraps-to-five", "content-length-undersent-is-not-answered", "chunked-missing-last-chunk-is-not-complete",
        "chunked-missing-final-crlf-is-not-complete",
    ];

    [Test]
    public async Task An_answer_before_the_content_is_read_is_no_fail_when_the_server_then_closes_or_reads_it(
        [ValueSource(nameof(UnreadContentCases))] string id,
        [Values(ContentFraming.AnswerBeforeReadingThenClose, ContentFraming.AnswerBeforeReadingThenDrain)] ContentFraming framing)
    {
        // Caddy's file server answers a POST 200 before reading its content and then closes: the content's
        // framing was never misread, so nothing breaks a MUST (it was ten false MUST FAILs).
        var result = await Run(id, framing, Evidence.ExistingAndMissingOnly);
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Pass), Explain(result));
        Assert.That(result.Evidence!.Weaker, Is.True);
        // Either the answer's own note, or the follow-up's close that replaced it ("framing not observed").
        Assert.That(result.Evidence.Description, Does.Contain("answered 200 before its content was judged").Or.Contain("framing not observed (the server closed the connection after its 200)"));
        Assert.That(result.MissingRole, Is.EqualTo(Roles.Echo));
    }

    [Test]
    public async Task An_answer_before_the_content_is_read_fails_when_the_server_then_reads_the_content_as_a_request(
        [ValueSource(nameof(UnreadContentCases))] string id)
    {
        var result = await Run(id, ContentFraming.AnswerBeforeReadingKeepAlive, Evidence.ExistingAndMissingOnly);
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Fail), Explain(result));
        Assert.That(result.Findings.Where(f => f.Verdict == Verdict.Fail).Select(f => f.Level), Has.All.EqualTo(RequirementLevel.Must));
    }

    [Test]
    public async Task The_same_cases_pass_a_correct_server_and_fail_a_lenient_echo_both_ways([ValueSource(nameof(UnreadContentCases))] string id, [Values] Evidence evidence)
    {
        var correct = await Run(id, ContentFraming.Correct, evidence);
        Assert.That(correct.Verdict, Is.Not.EqualTo(Verdict.Fail).And.Not.EqualTo(Verdict.Error), Explain(correct));
        var ignoring = await Run(id, ContentFraming.IgnoreContent, evidence);
        // With an echo, a 2xx to content missing its final CRLF is lenient, not misframed: the fixture's WARN.
        var expected = evidence == Evidence.EchoRole && id == "chunked-missing-final-crlf-is-not-complete" ? Verdict.Warn : Verdict.Fail;
        Assert.That(ignoring.Verdict, Is.EqualTo(expected), Explain(ignoring));
    }

    /// <summary>Cases whose fault is in the head and whose set demands a 400 (or holds 501 against the server).</summary>
    private static readonly string[] HeadFaultCases =
    [
        "content-length-invalid-letters", "content-length-differing-duplicates", "field-whitespace-before-colon-sp",
        "te-chunked-not-final-gzip-after-chunked", "te-unknown-alone-is-400", "smuggling-cl-cl-differing",
    ];

    [Test]
    public async Task A_refusal_of_the_method_the_fallback_chose_is_not_judged_against_the_head_fault([ValueSource(nameof(HeadFaultCases))] string id)
    {
        // Without an echo the fallback sends POST to a resource that may not take POST at all: the 501 answers
        // the method, not the invalid head (Python's http.server: 23 false MUST FAILs).
        var refused = await Run(id, ContentFraming.RefuseMethodFirst, Evidence.ExistingAndMissingOnly);
        Assert.That(refused.Verdict, Is.EqualTo(Verdict.Info), Explain(refused));
        Assert.That(refused.Evidence!.Weaker, Is.True);
        Assert.That(refused.Evidence.Description, Does.StartWith("not judged: the resource answers a plain POST with 501 too"));
        Assert.That(refused.MissingRole, Is.EqualTo(Roles.Echo));

        // With the echo role the method is the echo's own, so a 501 is judged as the fixture says.
        var withEcho = await Run(id, ContentFraming.RefuseMethodFirst, Evidence.EchoRole);
        Assert.That(withEcho.Verdict, Is.EqualTo(Verdict.Fail), Explain(withEcho));
    }

    [TestCase("te-unknown-alone-is-400")]
    [TestCase("te-chunked-not-final-gzip-after-chunked")]
    public async Task A_501_to_the_coding_from_a_resource_that_answers_a_plain_POST_otherwise_is_judged_as_written(string id)
    {
        // This server answers a plain POST to "/" with 405, so its 501 answers the transfer coding (nginx does
        // the same): the fixture's "501 FAIL" (RFC 9112 §6.3's MUST 400 governs) applies without an echo too.
        var result = await Run(id, ContentFraming.Correct, Evidence.ExistingAndMissingOnly);
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Fail), Explain(result));
        Assert.That(result.Observed, Does.Contain("501"));
    }

    [TestCase("content-length-invalid-letters")]
    [TestCase("field-whitespace-before-colon-sp")]
    public async Task A_server_that_rejects_the_head_fault_with_400_passes_without_the_echo(string id)
    {
        var correct = await Run(id, ContentFraming.Correct, Evidence.ExistingAndMissingOnly);
        Assert.That(correct.Verdict, Is.EqualTo(Verdict.Pass), Explain(correct));
    }

    [Test]
    public async Task A_method_refusal_that_keeps_a_misframed_connection_open_still_fails()
    {
        var kept = await Run("content-length-invalid-letters", ContentFraming.RefuseMethodFirstKeepAlive, Evidence.ExistingAndMissingOnly);
        Assert.That(kept.Verdict, Is.EqualTo(Verdict.Fail), Explain(kept));
    }

    [Test]
    public async Task A_close_after_a_refusal_is_no_fail_but_is_reported_as_framing_not_observed()
    {
        // RFC 9112 §9.5: a server may close at any time (Kestrel sends 405, then finds the refused content
        // malformed while draining it and closes). No byte can be misread on a closed connection.
        var silent = await Run("chunked-two-chunks-is-decoded", ContentFraming.SilentCloseAfterRefusal, Evidence.ExistingAndMissingOnly);
        Assert.That(silent.Verdict, Is.EqualTo(Verdict.Pass), Explain(silent));
        Assert.That(silent.Evidence!.Description, Does.StartWith("outcome judged; framing not observed (the server closed the connection after its 405)"));
        Assert.That(silent.Evidence.Weaker, Is.True);
        var withEcho = await Run("chunked-two-chunks-is-decoded", ContentFraming.SilentCloseAfterRefusal, Evidence.EchoRole);
        Assert.That(withEcho.Verdict, Is.EqualTo(Verdict.Pass), "the echo wants the content: nothing is refused, nothing closed");
        Assert.That(withEcho.Evidence!.Weaker, Is.False);
    }

    [Test]
    public async Task A_content_comparison_catches_what_the_follow_up_cannot_only_with_the_echo_role()
    {
        // The follow-up proves framing, never the decoded bytes: the report says the evidence is weaker.
        var result = await Run("chunked-two-chunks-is-decoded", ContentFraming.Correct, Evidence.ExistingAndMissingOnly);
        Assert.That(result.Evidence!.Weaker, Is.True);
        Assert.That(result.MissingRole, Is.EqualTo(Roles.Echo));
        Assert.That(result.Evidence.Description, Does.Contain("content not compared (no echo role)"));
        var full = await Run("chunked-two-chunks-is-decoded", ContentFraming.Correct, Evidence.EchoRole);
        Assert.That(full.Evidence!.Weaker, Is.False);
        Assert.That(full.MissingRole, Is.Null);
    }

    [Test]
    public async Task No_request_side_case_skips_for_want_of_an_echo_role_against_the_fault_server()
    {
        await using var server = new FramingServer(ContentFraming.Correct);
        var profile = Profile(Evidence.ExistingAndMissingOnly) with { Roles = new ProfileRoles { Existing = new PathRole { Path = "/" }, Missing = new MissingRole() } };
        var echoCases = Catalog.Value.Values.Where(c => c.NeededRoles.Contains(Roles.Echo)).ToList();
        var results = new List<CaseResult>();
        foreach (var batch in echoCases.Chunk(16))
            results.AddRange(await Task.WhenAll(batch.Select(c => RunAsync(c, server.Port, profile))));
        var skipped = results.Where(r => r.Verdict == Verdict.Skip && r.MissingRole == Roles.Echo).ToList();
        Assert.That(skipped.Select(r => r.Case.Area).Distinct(), Is.SubsetOf(new[] { "header-block", "message-end" }),
            string.Join("\n", skipped.Select(r => $"{r.Case.Id}: {r.Reason}")));
        Assert.That(results.Where(r => r.Verdict == Verdict.Error).Select(r => $"{r.Case.Id}: {r.Reason}"), Is.Empty);
    }
}
