using Conformance.Harness.Engine;
using Conformance.Harness.Model;
using Conformance.Harness.Tests.FaultServer;
using static Conformance.Harness.Tests.Engine.CaseHarness;

namespace Conformance.Harness.Tests.Engine;

/// <summary>
/// The request-side mechanisms (short "within" bounds, interim outcomes, the liveness probe) and the
/// request-side rules of the catalog, each run over a real socket: it passes the conformant fault server
/// and fails the <see cref="RequestFault"/> it exists to catch.
/// </summary>
public sealed class RequestSideTests
{
    private static string NoHost => Send("GET / HTTP/1.1", "");

    private static string Post(params string[] fieldsThenBody) => Send(["POST /echo HTTP/1.1", "Host: {host}", .. fieldsThenBody]);

    private static async Task<CaseResult> RunWith(RequestFault fault, string fixture)
    {
        await using var server = new Harness.Tests.FaultServer.FaultServer { RequestFault = fault };
        return await RunAsync(fixture, server.Port);
    }

    [Test]
    public async Task Within_bounds_a_wait_by_the_fixture_not_by_the_read_timeout()
    {
        var result = await RunWith(RequestFault.None, Header() + Get("/hang") + "expect: timeout | any FAIL within 150ms\n");
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Pass), Explain(result));
        Assert.That(result.Observed, Is.EqualTo(new[] { "timeout" }));
        // The general read timeout of these tests is 500 ms: finishing well under it proves the bound applied.
        Assert.That(result.Duration, Is.LessThan(TimeSpan.FromMilliseconds(450)), "the 150 ms bound, not the 500 ms read timeout, ended the read");
    }

    [Test]
    public async Task Within_does_not_cut_a_response_that_arrives()
    {
        var result = await RunWith(RequestFault.None, Header() + Get() + "expect: 200 | timeout FAIL within 300ms\n  body: == hello\n");
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Pass), Explain(result));
    }

    private const string ExpectContinue = """
        expect: 100 | 2xx | 417 | timeout FAIL within 300ms
        send:
        ```
        hello\
        ```
        expect: 200
          body: == hello

        """;

    [Test]
    public async Task An_interim_100_is_an_outcome_and_the_case_goes_on_to_the_final_response()
    {
        var result = await RunWith(RequestFault.None, Header() + Post("Content-Length: 5", "Expect: 100-continue", "") + ExpectContinue);
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Pass), Explain(result));
        Assert.That(result.Observed, Is.EqualTo(new[] { "100", "200" }));
    }

    [Test]
    public async Task A_server_that_waits_for_the_content_instead_of_sending_100_fails()
    {
        var result = await RunWith(RequestFault.WaitForBodyOnExpect, Header() + Post("Content-Length: 5", "Expect: 100-continue", "") + ExpectContinue);
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Fail), Explain(result));
        Assert.That(result.Observed[0], Is.EqualTo("timeout"));
    }

    [Test]
    public async Task A_final_status_where_an_interim_was_possible_ends_the_case_there()
    {
        // Without content the server sends no 100 and answers at once: the steps that would send the content
        // do not run (if they did, "hello" would reach the server as a request and the 200 expectation fail).
        var fixture = Header() + Send("GET / HTTP/1.1", "Host: {host}", "Expect: 100-continue", "") + "expect: 100 | 2xx\n"
            + Send("hello\\") + "expect: 400\n";
        var result = await RunWith(RequestFault.None, fixture);
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Pass), Explain(result));
        Assert.That(result.Observed, Is.EqualTo(new[] { "200" }));
    }

    [Test]
    public async Task Liveness_passes_a_server_that_rejects_and_lives_on()
    {
        var result = await RunWith(RequestFault.None, Header() + "liveness: yes\n" + NoHost + "expect: 400\n");
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Pass), Explain(result));
        Assert.That(result.Connections.Select(c => c.Purpose), Is.EqualTo(new[] { "case", LivenessProbe.Rule }));
    }

    [TestCase(RequestFault.CrashAfterMalformed)]
    [TestCase(RequestFault.WedgeAfterMalformed)]
    public async Task Liveness_fails_a_server_that_crashes_or_wedges_after_a_malformed_request(RequestFault fault)
    {
        var result = await RunWith(fault, Header() + "liveness: yes\n" + NoHost + "expect: 400\n");
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Fail), Explain(result));
        Assert.That(Failing(result), Is.EqualTo(new[] { LivenessProbe.Rule }), "the outcome (400) was right; only liveness fails");
    }

    [Test]
    public async Task Without_the_field_no_liveness_probe_runs()
    {
        var result = await RunWith(RequestFault.CrashAfterMalformed, Header() + NoHost + "expect: 400\n");
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Pass), Explain(result));
        Assert.That(result.Connections, Has.Count.EqualTo(1));
    }

    private static IEnumerable<TestCaseData> RuleCases()
    {
        yield return new TestCaseData(RequestFault.AcceptMissingHost, NoHost + "expect: 400\n").SetName("missing Host must be 400");
        yield return new TestCaseData(RequestFault.AcceptDuplicateHost,
            Send("GET / HTTP/1.1", "Host: {host}", "Host: {host}", "") + "expect: 400\n").SetName("duplicate Host must be 400");
        yield return new TestCaseData(RequestFault.AcceptSpaceBeforeColon,
            Send("GET / HTTP/1.1", "Host: {host}", "X-Test : 1", "") + "expect: 400\n").SetName("whitespace before colon must be 400");
        yield return new TestCaseData(RequestFault.AcceptObsFold,
            Send("GET / HTTP/1.1", "Host: {host}", "X-Test: a", " b", "") + "expect: 400 | 2xx FAIL\n").SetName("obs-fold answered as is fails");
        yield return new TestCaseData(RequestFault.AcceptInvalidContentLength,
            Post("Content-Length: +5", "", "hello\\") + "expect: 400\n  connection: closed\n").SetName("invalid Content-Length must be 400");
        yield return new TestCaseData(RequestFault.IgnoreUnknownTransferCoding,
            Post("Transfer-Encoding: x-unknown", "") + "expect: 501 | 400 WARN | 2xx FAIL\n").SetName("unknown transfer coding answered 2xx fails");
        yield return new TestCaseData(RequestFault.HonourContentLengthOverTransferEncoding,
            Post("Content-Length: 5", "Transfer-Encoding: chunked", "", "0", "", "") + "expect: 400 | 2xx\n  connection: closed\n")
            .SetName("CL and TE must close after responding");
        yield return new TestCaseData(RequestFault.HonourContentLengthOverTransferEncoding,
            Post("Content-Length: 5", "Transfer-Encoding: chunked", "", "0", "", "GET /smuggled HTTP/1.1", "Host: {host}", "")
            + "expect: 400 | 2xx\nexpect: close | timeout | any FAIL within 300ms\n").SetName("an answered smuggled request fails");
    }

    [TestCaseSource(nameof(RuleCases))]
    public async Task A_request_side_rule_passes_the_conformant_server_and_fails_its_fault(RequestFault fault, string steps)
    {
        var good = await RunWith(RequestFault.None, Header() + steps);
        Assert.That(good.Verdict, Is.EqualTo(Verdict.Pass), "conformant server: " + Explain(good));
        var bad = await RunWith(fault, Header() + steps);
        Assert.That(bad.Verdict, Is.EqualTo(Verdict.Fail), $"{fault}: " + Explain(bad));
    }

    [Test]
    public async Task An_assertion_scoped_to_other_statuses_does_not_judge_this_answer()
    {
        // The conformant fault server answers "/" 200 "hello" and a missing path 404: each response is judged
        // only by the assertions scoped to it, so the same step passes both and fails the one that breaks its own.
        const string steps = "expect: 200 | 404\n  on 200: body: == hello\n  on 404: body: == not found\n";
        Assert.That((await RunWith(RequestFault.None, Header() + Get() + steps)).Verdict, Is.EqualTo(Verdict.Pass));
        Assert.That((await RunWith(RequestFault.None, Header() + Get("/nowhere") + steps)).Verdict, Is.EqualTo(Verdict.Pass));
        var wrong = await RunWith(RequestFault.None, Header() + Get() + "expect: 200 | 404\n  on 200: body: == other\n  on 404: body: == hello\n");
        Assert.That(Failing(wrong), Is.EqualTo(new[] { "body" }), Explain(wrong));
    }

    [TestCase(true, Verdict.Pass)]
    [TestCase(false, Verdict.Fail)]
    public async Task Field_on_status_requires_the_field_only_in_that_status(bool withAllow, Verdict expected)
    {
        await using var server = new Harness.Tests.FaultServer.FaultServer();
        server.Map("/not-allowed", _ => new FaultResponse
        {
            Status = 405,
            Reason = "Method Not Allowed",
            Headers = withAllow ? [new("Allow", "GET, HEAD")] : [],
        });
        var fixture = Header() + Send("DELETE /not-allowed HTTP/1.1", "Host: {host}", "") + "expect: 405 | 2xx\n  check: field-on-status 405 Allow\n";
        var result = await RunAsync(fixture, server.Port);
        Assert.That(result.Verdict, Is.EqualTo(expected), Explain(result));

        // The same check on a 200 holds: the field is required in the 405 only.
        var other = await RunAsync(Header() + Get() + "expect: 405 | 2xx\n  check: field-on-status 405 Allow\n", server.Port);
        Assert.That(other.Verdict, Is.EqualTo(Verdict.Pass), Explain(other));
    }

    [TestCase(true, false, Verdict.Pass)]
    [TestCase(false, false, Verdict.Fail)]
    [TestCase(false, true, Verdict.Pass)]
    public async Task Field_on_status_asks_for_Content_Length_only_without_Transfer_Encoding(bool withLength, bool chunked, Verdict expected)
    {
        // RFC 9110 §8.6's SHOULD (Content-Length when the size is known) holds "in the absence of Transfer-Encoding";
        // a chunked answer, which must not carry Content-Length (RFC 9112 §6.2), is not a breach of it.
        await using var server = new Harness.Tests.FaultServer.FaultServer();
        server.Map("/options", _ => withLength || chunked
            ? new FaultResponse { Status = 200, Reason = "OK", Headers = [new("Allow", "GET, HEAD, OPTIONS")], Chunked = chunked }
            // Neither: the empty content is delimited by the close.
            : new FaultResponse
            {
                Raw = System.Text.Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nDate: {DateTime.UtcNow:r}\r\nAllow: GET, HEAD, OPTIONS\r\nConnection: close\r\n\r\n"),
                CloseAfterRaw = true,
            });
        var result = await RunAsync(Header() + Send("OPTIONS /options HTTP/1.1", "Host: {host}", "") + "expect: 2xx\n  check: field-on-status 200 Content-Length\n", server.Port);
        Assert.That(result.Verdict, Is.EqualTo(expected), Explain(result));
        if (expected == Verdict.Fail) Assert.That(Failing(result), Is.EqualTo(new[] { "field-on-status" }), Explain(result));
    }
}
