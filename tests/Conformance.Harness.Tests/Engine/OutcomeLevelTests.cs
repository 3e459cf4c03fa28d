using Conformance.Harness.Engine;
using Conformance.Harness.Model;
using Conformance.Harness.Tests.FaultServer;
using static Conformance.Harness.Tests.Behaviours.BehaviourServer;
using static Conformance.Harness.Tests.Engine.CaseHarness;

namespace Conformance.Harness.Tests.Engine;

/// <summary>
/// The shipped outcome sets judge every answer the RFC allows at the level of the sentence it breaks (fixtures/README,
/// "What an outcome set holds"): the allowed answer passes on a real socket, and the server that misframes, answers a
/// smuggled request or wraps a number still fails.
/// </summary>
public sealed class OutcomeLevelTests
{
    private static async Task<CaseResult> Run(string id, Action<Harness.Tests.FaultServer.FaultServer> configure)
    {
        await using var server = new Harness.Tests.FaultServer.FaultServer();
        configure(server);
        return await RunAsync(Case(id), server.Port, FaultProfile());
    }

    // RFC 9112 §6.3: "A server MAY reject a request that contains a message body but not a Content-Length by
    // responding with 411 (Length Required)." Where the case exists to see the content decoded, the 411 leaves that
    // unproved (INFO); where it exists to see nothing misframed, the 411 and its close are the safe answer (PASS).
    [TestCase("chunked-two-chunks-is-decoded", Verdict.Info)]
    [TestCase("te-chunked-uppercase-is-decoded", Verdict.Info)]
    [TestCase("chunked-extension-name-value-is-ignored", Verdict.Info)]
    [TestCase("smuggling-cl-te-plain", Verdict.Pass)]
    [TestCase("smuggling-te-cl-plain", Verdict.Pass)]
    [TestCase("cl-and-te-is-closed-after-response", Verdict.Pass)]
    [TestCase("chunked-invalid-size-not-hex", Verdict.Pass)]
    [TestCase("chunked-invalid-data-longer-than-size", Verdict.Pass)]
    [TestCase("chunked-size-int64-overflow", Verdict.Pass)]
    [TestCase("te-unknown-coding-is-501", Verdict.Pass)]
    public async Task A_411_and_a_close_for_chunked_content_is_allowed(string id, Verdict expected)
    {
        var result = await Run(id, s => s.ChunkedRefusal = 411);
        Assert.That(result.Observed[0], Is.EqualTo("411"), Explain(result));
        Assert.That(result.Verdict, Is.EqualTo(expected), Explain(result));
    }

    // RFC 9112 §9.3: "A server MUST read the entire request message body or close the connection after sending its
    // response". A 411 that leaves the chunks on an open connection answers them as the next request.
    [TestCase("smuggling-te-cl-plain")]
    [TestCase("chunked-invalid-size-not-hex")]
    [TestCase("chunked-size-int64-overflow")]
    public async Task A_411_that_keeps_the_connection_and_answers_the_smuggled_request_fails(string id)
    {
        var result = await Run(id, s =>
        {
            s.ChunkedRefusal = 411;
            s.RequestFault = RequestFault.KeepOpenAfterRefusingChunked;
        });
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Fail), Explain(result));
        Assert.That(Failing(result), Does.Contain("outcome"), "the answer to the bytes after the refused content is the finding");
    }

    // RFC 9110 §8.6: "Any Content-Length field value greater than or equal to zero is valid. ... a recipient MUST
    // anticipate potentially large decimal numerals": refusing it as too large (413) meets the MUST.
    [TestCase("content-length-huge-past-int64-is-not-misparsed")]
    [TestCase("content-length-huge-26-digits-is-not-misparsed")]
    public async Task A_413_for_a_huge_content_length_passes_and_a_wrapped_number_fails(string id)
    {
        var refused = await Run(id, _ => { });
        Assert.That(refused.Observed[0], Is.EqualTo("413"), Explain(refused));
        Assert.That(refused.Verdict, Is.EqualTo(Verdict.Pass), Explain(refused));

        var wrapped = await Run(id, s => s.RequestFault = RequestFault.ReadHugeContentLengthAsZero);
        Assert.That(wrapped.Observed[0], Does.StartWith("2"), Explain(wrapped));
        Assert.That(wrapped.Verdict, Is.EqualTo(Verdict.Fail), Explain(wrapped));
    }

    [TestCase("content-length-huge-past-int64-is-not-misparsed")]
    public async Task Waiting_for_the_content_a_huge_content_length_promises_passes(string id)
    {
        // A server that reads the value and waits for that much content never answers the 5 bytes it got: on the
        // wire, the fault server that lets the value through to a handler that never answers looks exactly alike.
        var result = await Run(id, s =>
        {
            s.RequestFault = RequestFault.ReadHugeContentLengthAsZero;
            s.Map("/echo", _ => new FaultResponse { Action = FaultAction.Hang });
        });
        Assert.That(result.Observed[0], Is.EqualTo("timeout"), Explain(result));
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Pass), Explain(result));
    }

    // RFC 9110 §9.1: an unrecognized method "SHOULD" get 501, so serving it like GET is a WARN, never a FAIL.
    [TestCase("method-unknown-is-501")]
    [TestCase("method-lowercase-get-is-501")]
    [TestCase("method-mixed-case-is-501")]
    [TestCase("method-token-chars-is-501")]
    [TestCase("method-webdav-is-501")]
    public async Task An_unknown_method_served_like_get_breaks_a_should(string id)
    {
        // The fault server answers "/" 200 whatever the method.
        var served = await Run(id, _ => { });
        Assert.That(served.Verdict, Is.EqualTo(Verdict.Warn), Explain(served));

        var notImplemented = await Run(id, s => s.Map("/", _ => FaultResponse.Text(501, "Not Implemented", "no")));
        Assert.That(notImplemented.Verdict, Is.EqualTo(Verdict.Pass), Explain(notImplemented));
    }

    [Test]
    public async Task A_405_without_allow_for_an_unknown_method_fails_the_must_it_breaks()
    {
        // RFC 9110 §15.5.6: "The origin server MUST generate an Allow header field in a 405 response".
        var result = await Run("method-unknown-is-501", s => s.Map("/", _ => FaultResponse.Text(405, "Method Not Allowed", "no")));
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Fail), Explain(result));
        Assert.That(Failing(result), Does.Contain("field-on-status"), Explain(result));
    }
}
