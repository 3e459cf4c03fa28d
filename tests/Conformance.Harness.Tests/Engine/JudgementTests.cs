using Conformance.Harness.Engine;
using Conformance.Harness.Model;
using Conformance.Harness.Reports;
using Conformance.Harness.Tests.Behaviours;
using Conformance.Harness.Tests.FaultServer;
using static Conformance.Harness.Tests.Engine.CaseHarness;

namespace Conformance.Harness.Tests.Engine;

/// <summary>
/// A close the server announced is behaviour, not a fault (RFC 9112 §9.3, §9.6): the steps it leaves are
/// "not reached" with the reason and the case stands on what was answered; a close nobody announced, where
/// the connection had to persist, is still caught.
/// </summary>
public sealed class AnnouncedCloseTests
{
    [Test]
    public async Task Steps_after_an_announced_close_are_not_reached_and_the_case_is_judged_on_what_was_answered()
    {
        await using var server = new Harness.Tests.FaultServer.FaultServer();
        server.Map("/bye", _ => new FaultResponse { Status = 200, Reason = "OK", Body = "x"u8.ToArray(), Headers = [new("Connection", "close")], CloseAfter = true });
        var result = await RunAsync(Header() + Get("/bye") + "expect: 200\n" + Get() + "expect: 200\n", server.Port);
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Pass), Explain(result));
        var note = result.Findings.Single(f => f.Rule == CaseRunner.NotReachedRule);
        Assert.That(note.Detail, Does.Contain("lines 14, 20").And.Contain("announced that the connection closes (Connection: close)"));
        Assert.That(server.RequestCount, Is.EqualTo(1), "nothing is sent after the server said it closes");
    }

    [Test]
    public async Task An_http10_response_without_keep_alive_announces_the_close()
    {
        await using var server = new Harness.Tests.FaultServer.FaultServer();
        server.Map("/old", _ => new FaultResponse { Raw = BehaviourServer.Raw("HTTP/1.0 200 OK\r\nDate: {date}\r\nContent-Length: 2\r\n\r\nok"), CloseAfterRaw = true });
        var result = await RunAsync(Header() + Get("/old") + "expect: 200\n  connection: open\n" + Get() + "expect: 200\n", server.Port);
        // Answering HTTP/1.0 to HTTP/1.1 breaks only the SHOULD of RFC 9110 §6.2; the close it implies is no fault.
        Assert.That(result.Findings.Where(f => f.Verdict != Verdict.Pass).Select(f => f.Rule), Is.EqualTo(new[] { "status-line.response-version" }), Explain(result));
        Assert.That(result.Findings.Where(f => f.Rule == CaseRunner.NotReachedRule).Select(f => f.Detail), Has.Some.Contains("HTTP/1.0 response without keep-alive"));
    }

    [Test]
    public async Task Connection_open_is_not_failed_when_the_response_announced_the_close()
    {
        await using var server = new Harness.Tests.FaultServer.FaultServer { AnnounceCloseAlways = true };
        var result = await RunAsync(Header() + Get() + "expect: 200\n  connection: open\n", server.Port);
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Pass), Explain(result));
        Assert.That(result.Findings.Single(f => f.Rule == CaseRunner.NotReachedRule).Detail, Does.Contain("\"connection: open\" was not judged"));
    }

    [Test]
    public async Task Connection_open_still_fails_when_the_server_closes_without_saying_so()
    {
        await using var server = new Harness.Tests.FaultServer.FaultServer();
        server.Map("/", _ => new FaultResponse { Status = 200, Reason = "OK", Body = "x"u8.ToArray(), CloseAfter = true });
        var result = await RunAsync(Header() + Get() + "expect: 200\n  connection: open\n", server.Port);
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Fail), Explain(result));
        Assert.That(Failing(result), Does.Contain("connection open"));
    }

    [Test]
    public async Task A_silent_close_after_a_close_delimited_answer_that_cost_later_steps_breaks_the_should_to_announce_it()
    {
        await using var server = new Harness.Tests.FaultServer.FaultServer();
        // HTTP/1.1, no Connection: close, no length: the server can only end it by closing, and never said so.
        server.Map("/", _ => new FaultResponse { Raw = BehaviourServer.Raw("HTTP/1.1 200 OK\r\nDate: {date}\r\n\r\nhello"), CloseAfterRaw = true });
        var result = await RunAsync(Header() + Get() + "expect: 200\n" + Get() + "expect: 200\n", server.Port);
        // RFC 9112 §9.6: any party MAY close at any time; a sender SHOULD announce it. A WARN, never a FAIL.
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Warn), Explain(result));
        var breach = result.Findings.Single(f => f.Rule == CaseRunner.UnannouncedCloseRule);
        Assert.That((breach.Level, breach.Rfc?.ToString()), Is.EqualTo((RequirementLevel.Should, "RFC 9112 §9.6")));

        server.Map("/", _ => new FaultResponse { Raw = BehaviourServer.Raw("HTTP/1.1 200 OK\r\nDate: {date}\r\nConnection: close\r\n\r\nhello"), CloseAfterRaw = true });
        var announced = await RunAsync(Header() + Get() + "expect: 200\n" + Get() + "expect: 200\n", server.Port);
        Assert.That(announced.Verdict, Is.EqualTo(Verdict.Pass), Explain(announced));
    }

    /// <summary>The shipped cases of the connection-sensitive areas on a server that announces a close on every response.</summary>
    public static IEnumerable<TestCaseData> ConnectionSensitiveCases()
        => BehaviourServer.CasesIn("missing", "keep-alive", "redirect", "conditional")
            .OrderBy(c => c.Id, StringComparer.Ordinal).Select(c => new TestCaseData(c.Id).SetName($"Announced_close_is_never_a_failure({c.Id})"));

    [TestCaseSource(nameof(ConnectionSensitiveCases))]
    public async Task A_server_that_announces_every_close_gets_no_failure_or_error(string id)
    {
        await using var server = BehaviourServer.Start();
        server.AnnounceCloseAlways = true;
        var result = await RunAsync(BehaviourServer.Case(id), server.Port, BehaviourServer.Profile());
        Assert.That(result.Verdict, Is.Not.EqualTo(Verdict.Fail).And.Not.EqualTo(Verdict.Error), Explain(result));
    }

    private const string Ok11 = "HTTP/1.1 200 OK\r\nDate: {date}\r\nContent-Length: 5\r\n\r\nhello";

    [Test]
    public async Task Http10_keep_alive_is_judged_by_the_version_of_the_response_received()
    {
        // An HTTP/1.1 answer without "close" to an HTTP/1.0 request that asked for keep-alive persists.
        await using var server = BehaviourServer.Start();
        server.Map("/", _ => new FaultResponse { Raw = BehaviourServer.Raw(Ok11) });
        var kept = await RunAsync(BehaviourServer.Case("keep-alive-http10-keep-alive-is-consistent"), server.Port, BehaviourServer.Profile());
        Assert.That(kept.Verdict, Is.EqualTo(Verdict.Pass), Explain(kept));

        // The same answer, then a silent close: the client was told the connection persists.
        server.Map("/", _ => new FaultResponse { Raw = BehaviourServer.Raw(Ok11), CloseAfterRaw = true });
        var dropped = await RunAsync(BehaviourServer.Case("keep-alive-http10-keep-alive-is-consistent"), server.Port, BehaviourServer.Profile());
        Assert.That(dropped.Verdict, Is.EqualTo(Verdict.Fail), Explain(dropped));
        Assert.That(Failing(dropped), Does.Contain("connection-as-announced"));
    }
}

/// <summary>Each check applies only where its sentence applies.</summary>
public sealed class CheckScopeTests
{
    private const string Http10BadRequest = "HTTP/1.0 400 Bad Request\r\nDate: {date}\r\nContent-Length: 3\r\nConnection: close\r\n\r\nbad";

    [TestCase("GET /")]
    [TestCase("GET / HTTP/1")]
    [TestCase("GET / HTTP/1.1\\rX-After-Bare-Cr: 1")]
    public async Task The_response_version_rule_is_not_applied_to_a_request_that_carried_no_readable_version(string requestLine)
    {
        await using var server = new Harness.Tests.FaultServer.FaultServer();
        server.Map("/", _ => new FaultResponse { Raw = BehaviourServer.Raw(Http10BadRequest), CloseAfterRaw = true });
        var result = await RunAsync(Header() + Send(requestLine, "Host: {host}", "") + "expect: 400\n", server.Port);
        Assert.That(result.Findings.Select(f => f.Rule), Has.None.EqualTo("status-line.response-version"), Explain(result));
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Pass), Explain(result));
    }

    [Test]
    public async Task An_http09_style_answer_to_a_request_line_without_version_misses_only_the_should_for_invalid_lines()
    {
        await using var server = new Harness.Tests.FaultServer.FaultServer();
        server.Map("/", _ => new FaultResponse { Raw = "<html>the page</html>"u8.ToArray(), CloseAfterRaw = true });
        var versionless = await RunAsync(Header("MUST") + Send("GET /", "Host: {host}", "") + "expect: 400\n", server.Port);
        Assert.That(versionless.Verdict, Is.EqualTo(Verdict.Warn), Explain(versionless));
        Assert.That((versionless.DecidedBy?.Rule, versionless.DecidedBy?.Rfc?.ToString()), Is.EqualTo(((string?)"request-line.http09-answer", (string?)"RFC 9112 §3.2")));

        // The same bytes to a request that carried HTTP/1.1 break the status-line grammar.
        var versioned = await RunAsync(Header("SHOULD") + Get() + "expect: 400\n", server.Port);
        Assert.That(versioned.Verdict, Is.EqualTo(Verdict.Fail), Explain(versioned));
        Assert.That(versioned.DecidedBy?.Rule, Is.EqualTo("status-line.http-name"));
    }

    [TestCase("HTTP/2.0", Verdict.Warn)]
    [TestCase("HTTP/3.0", Verdict.Warn)]
    [TestCase("HTTP/0.9", Verdict.Info)]
    public async Task An_http09_style_answer_to_another_major_version_is_judged_by_the_version_rule_not_the_http11_grammar(string version, Verdict expected)
    {
        // Python's http.server answers "GET / HTTP/2.0" with a bare HTML body: RFC 9110 §6.2 asks for HTTP/1.1
        // there (a SHOULD), and for HTTP/0.9 the bare answer is the version the sentence asks for.
        await using var server = new Harness.Tests.FaultServer.FaultServer();
        server.Map("/", _ => new FaultResponse { Raw = "<html>the page</html>"u8.ToArray(), CloseAfterRaw = true });
        var result = await RunAsync(Header("MAY") + Send($"GET / {version}", "Host: {host}", "") + "expect: 505 | 400\n", server.Port);
        Assert.That(result.Verdict, Is.EqualTo(expected), Explain(result));
        Assert.That((result.DecidedBy?.Rule, result.DecidedBy?.Rfc?.ToString()), Is.EqualTo(((string?)"version.other-major-answer", (string?)"RFC 9110 §6.2")));
        Assert.That(result.Findings.Select(f => f.Rule), Has.None.StartWith("status-line."), Explain(result));
    }

    [Test]
    public async Task The_response_version_rule_still_applies_to_a_well_formed_http11_request()
    {
        await using var server = new Harness.Tests.FaultServer.FaultServer();
        server.Map("/", _ => new FaultResponse { Raw = BehaviourServer.Raw(Http10BadRequest), CloseAfterRaw = true });
        var result = await RunAsync(Header() + Get() + "expect: 400\n", server.Port);
        var finding = result.Findings.Single(f => f.Rule == "status-line.response-version");
        Assert.That((finding.Verdict, finding.Level), Is.EqualTo((Verdict.Warn, RequirementLevel.Should)), Explain(result));
    }
}

/// <summary>A case's headline names the rule that decided its verdict, at that rule's level.</summary>
public sealed class HeadlineTests
{
    [Test]
    public async Task A_must_finding_in_a_should_case_heads_the_case_with_its_own_rule_level_and_section()
    {
        await using var server = new Harness.Tests.FaultServer.FaultServer(ResponseFault.MissingDate);
        server.Map("/", _ => FaultResponse.Text(400, "Bad Request", "no"));
        var result = await RunAsync(Header("SHOULD") + Get() + "expect: 400\n", server.Port);
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Fail), Explain(result));
        Assert.That(result.DecidedBy?.Rule, Is.EqualTo("date.present"));
        var report = ReportBuilder.ToReport(result);
        Assert.That((report.HeadlineLevel, report.HeadlineRfc), Is.EqualTo(("MUST", "RFC 9110 §6.6.1")));
        Assert.That(report.HeadlineRequirement, Does.Contain("MUST generate a Date header field"));
        Assert.That(JUnitReportWriter.FailureMessage(report), Does.Contain("— FAIL MUST RFC 9110 §6.6.1: An origin server"));
        Assert.That(report.Level, Is.EqualTo("SHOULD"), "the case keeps its own level; only the headline follows the finding");
    }

    [Test]
    public async Task A_case_that_fails_its_own_requirement_is_headed_by_it()
    {
        await using var server = new Harness.Tests.FaultServer.FaultServer();
        var result = await RunAsync(Header("SHOULD") + Get() + "expect: 404\n", server.Port);
        var report = ReportBuilder.ToReport(result);
        Assert.That((report.Verdict, report.HeadlineLevel, report.HeadlineRfc), Is.EqualTo(("WARN", "SHOULD", "RFC 9112 §9.3")));
        Assert.That(report.DecidedBy?.Rule, Is.EqualTo("outcome"));
    }
}
