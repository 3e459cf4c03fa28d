using Conformance.Harness.Engine;
using Conformance.Harness.Model;
using Conformance.Harness.Tests.FaultServer;
using Conformance.Harness.Wire;
using static Conformance.Harness.Tests.Engine.CaseHarness;

namespace Conformance.Harness.Tests.Engine;

/// <summary>
/// The engine's judgement over real sockets: each mechanism passes a conformant server and fails the
/// fault it exists to catch.
/// </summary>
public sealed class CaseRunnerTests
{
    [Test]
    public async Task A_conformant_response_in_the_outcome_set_passes()
    {
        await using var server = new Harness.Tests.FaultServer.FaultServer();
        var result = await RunAsync(Header() + Get() + "expect: 200\n  header Date: present\n  body: == hello\n", server.Port);
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Pass), Explain(result));
        Assert.That(result.Observed, Is.EqualTo(new[] { "200" }));
        Assert.That(result.Connections.Single().Entries.Select(e => e.Direction), Does.Contain(Direction.Sent).And.Contain(Direction.Received));
    }

    [TestCase("MUST", Verdict.Fail)]
    [TestCase("SHOULD", Verdict.Warn)]
    [TestCase("MAY", Verdict.Info)]
    public async Task An_outcome_outside_the_set_earns_the_level_verdict(string level, Verdict expected)
    {
        await using var server = new Harness.Tests.FaultServer.FaultServer();
        var result = await RunAsync(Header(level) + Get() + "expect: 404\n", server.Port);
        Assert.That(result.Verdict, Is.EqualTo(expected), Explain(result));
        var finding = result.Findings.Single(f => f.Rule == "outcome");
        Assert.That(finding.Expected, Is.EqualTo("404"));
        Assert.That(finding.Actual, Does.StartWith("HTTP/1.1 200 OK"));
        Assert.That(finding.Location, Is.EqualTo("test.cases:13"), "the finding names the fixture line of the expect step");
        Assert.That(finding.ToString(), Does.Contain("A test requirement sentence").And.Contain("RFC 9112 §9.3"));
    }

    [Test]
    public async Task An_alternative_judged_in_the_fixture_earns_its_own_verdict()
    {
        await using var server = new Harness.Tests.FaultServer.FaultServer();
        var result = await RunAsync(Header() + Get() + "expect: 400 | 2xx WARN\n", server.Port);
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Warn), Explain(result));
    }

    [Test]
    public async Task A_grammar_violation_fails_any_case_whatever_it_is_about()
    {
        await using var server = new Harness.Tests.FaultServer.FaultServer(ResponseFault.LfOnlyLines);
        var result = await RunAsync(Header("MAY") + Get() + "expect: 200\n", server.Port);
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Fail), Explain(result));
        Assert.That(Failing(result), Does.Contain("line.crlf"));
        Assert.That(result.Findings.First(f => f.Rule == "line.crlf").Offset, Is.Not.Null, "grammar findings carry their byte offset");
    }

    [Test]
    public async Task A_focused_grammar_rule_is_reported_once_with_the_case_requirement()
    {
        await using var server = new Harness.Tests.FaultServer.FaultServer(ResponseFault.MissingDate);
        var result = await RunAsync(Header() + Get() + "expect: 200\n  check: grammar date.present\n", server.Port);
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Fail), Explain(result));
        Assert.That(result.Findings.Count(f => f.Rule is "date.present" or "grammar"), Is.EqualTo(1), Explain(result));
        Assert.That(result.Findings.Single(f => f.Rule == "grammar").Location, Is.EqualTo("test.cases:14"));
    }

    [Test]
    public async Task Header_and_body_assertions_fail_with_expected_and_actual()
    {
        await using var server = new Harness.Tests.FaultServer.FaultServer();
        var result = await RunAsync(Header() + Get() + "expect: 200\n  header Location: present [SHOULD]\n  body: == goodbye\n", server.Port);
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Fail), Explain(result));
        Assert.That(result.Findings.Single(f => f.Rule == "header Location").Verdict, Is.EqualTo(Verdict.Warn), "a [SHOULD] assertion warns");
        var body = result.Findings.Single(f => f.Rule == "body");
        Assert.That(body.Expected, Is.EqualTo("content \"goodbye\""));
        Assert.That(body.Actual, Is.EqualTo("5 bytes: hello"));
    }

    [Test]
    public async Task Connection_open_is_proved_by_a_follow_up_request()
    {
        await using var server = new Harness.Tests.FaultServer.FaultServer();
        var result = await RunAsync(Header() + Get() + "expect: 200\n  connection: open\n", server.Port);
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Pass), Explain(result));
        Assert.That(server.RequestCount, Is.EqualTo(2), "the follow-up request reached the server");
    }

    [Test]
    public async Task Connection_open_fails_when_the_server_closes()
    {
        await using var server = new Harness.Tests.FaultServer.FaultServer();
        server.Map("/bye", _ => new FaultResponse { Status = 200, Reason = "OK", Body = "x"u8.ToArray(), CloseAfter = true });
        var result = await RunAsync(Header() + Get("/bye") + "expect: 200\n  connection: open\n", server.Port);
        Assert.That(Failing(result), Does.Contain("connection open"), Explain(result));
    }

    [Test]
    public async Task Connection_closed_fails_when_the_server_keeps_it_open()
    {
        await using var server = new Harness.Tests.FaultServer.FaultServer();
        var result = await RunAsync(Header() + Get() + "expect: 200\n  connection: closed\n", server.Port);
        Assert.That(Failing(result), Does.Contain("connection closed"), Explain(result));
    }

    [Test]
    public async Task A_close_without_response_is_an_outcome_of_its_own()
    {
        await using var server = new Harness.Tests.FaultServer.FaultServer();
        var passes = await RunAsync(Header() + Get("/close") + "expect: 400 | close\n", server.Port);
        Assert.That(passes.Verdict, Is.EqualTo(Verdict.Pass), Explain(passes));
        Assert.That(passes.Observed, Is.EqualTo(new[] { "close" }));
        var fails = await RunAsync(Header() + Get("/close") + "expect: 400\n", server.Port);
        Assert.That(fails.Findings.Single(f => f.Rule == "outcome").Actual, Does.Contain("closed the connection without a response"));
    }

    [Test]
    public async Task No_answer_within_the_bound_is_a_timeout_not_a_hang()
    {
        await using var server = new Harness.Tests.FaultServer.FaultServer();
        var result = await RunAsync(Header() + Get("/hang") + "expect: 200\n", server.Port);
        Assert.That(result.Observed, Is.EqualTo(new[] { "timeout" }));
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Fail), Explain(result));
        Assert.That(result.Duration, Is.LessThan(TimeSpan.FromSeconds(5)));
    }

    [Test]
    public async Task Bytes_after_the_last_response_are_a_framing_failure()
    {
        await using var server = new Harness.Tests.FaultServer.FaultServer();
        server.Map("/twice", _ => new FaultResponse { Raw = "HTTP/1.1 200 OK\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"u8.ToArray() });
        var result = await RunAsync(Header() + Get("/twice") + "expect: 200\n", server.Port);
        Assert.That(Failing(result), Does.Contain("framing.extra-bytes"), Explain(result));
    }

    [Test]
    public async Task Captures_feed_later_requests_and_a_missing_one_skips_with_the_reason()
    {
        await using var server = new Harness.Tests.FaultServer.FaultServer();
        server.Map("/tagged", r => new FaultResponse { Status = 200, Reason = "OK", Body = System.Text.Encoding.ASCII.GetBytes(r.Header("X-Tag") ?? "none"), Headers = [new("X-Tag", "\"abc\"")] });
        var fixture = Header() + Get("/tagged") + "expect: 200\n  capture tag: header X-Tag\n"
            + Send("GET /tagged HTTP/1.1", "Host: {host}", "X-Tag: {capture.tag}", "") + "expect: 200\n  body: == \"abc\"\n";
        var result = await RunAsync(fixture, server.Port);
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Pass), Explain(result));

        var missing = await RunAsync(fixture.Replace("header X-Tag\n", "header X-Absent\n", StringComparison.Ordinal), server.Port);
        Assert.That(missing.Verdict, Is.EqualTo(Verdict.Skip), Explain(missing));
        Assert.That(missing.Reason, Does.Contain("had no X-Absent field"));
    }

    [Test]
    public async Task A_role_the_profile_lacks_makes_the_case_skip_and_name_the_role()
    {
        await using var server = new Harness.Tests.FaultServer.FaultServer();
        var result = await RunAsync(Header() + Get("{path.validators}") + "expect: 200\n", server.Port);
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Skip));
        Assert.That(result.Reason, Is.EqualTo("needs the \"validators\" role, which profile \"fault\" does not declare"));
        Assert.That(server.RequestCount, Is.Zero, "a skipped case sends nothing");
    }

    [Test]
    public async Task An_unreachable_target_is_an_error_not_a_failure()
    {
        int port;
        using (var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0)) { l.Start(); port = ((System.Net.IPEndPoint)l.LocalEndpoint).Port; }
        var result = await RunAsync(Header() + Get() + "expect: 200\n", port);
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Error));
        Assert.That(result.Reason, Does.StartWith($"could not connect to 127.0.0.1:{port}"));
    }

    [Test]
    public async Task The_same_seed_gives_the_same_random_values_whatever_the_order()
    {
        await using var server = new Harness.Tests.FaultServer.FaultServer();
        var fixture = Header() + Get("{path.missing}") + "expect: 404\n";
        var a = await RunAsync(fixture, server.Port);
        var b = await RunAsync(fixture, server.Port);
        string Sent(CaseResult r) => System.Text.Encoding.ASCII.GetString(r.Connections[0].Entries.First(e => e.Direction == Direction.Sent).Bytes);
        Assert.That(Sent(a), Is.EqualTo(Sent(b)));
        Assert.That(Sent(a), Does.StartWith("GET /missing/"));
        var other = await RunAsync(fixture, server.Port, settings: Fast with { Seed = 8 });
        Assert.That(Sent(other), Is.Not.EqualTo(Sent(a)));
    }
}

/// <summary>Steps that cannot run are never dropped silently.</summary>
public sealed class UnrunStepTests
{
    [Test]
    public async Task A_close_without_notice_fails_the_step_that_finds_it()
    {
        await using var server = new Harness.Tests.FaultServer.FaultServer();
        server.Map("/bye", _ => new FaultResponse { Status = 200, Reason = "OK", Body = "x"u8.ToArray(), CloseAfter = true });
        var result = await RunAsync(Header() + Get("/bye") + "expect: 200\n" + Get() + "expect: 200\n", server.Port);
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Fail), Explain(result));
        Assert.That(result.Findings.First(f => f.Rule == "outcome").Actual, Does.Contain("closed the connection without a response"));
    }

    [Test]
    public async Task Steps_left_after_a_close_the_fixture_accepts_are_its_planned_end()
    {
        await using var server = new Harness.Tests.FaultServer.FaultServer();
        var result = await RunAsync(Header() + Get("/close") + "expect: 400 | close\n" + Get() + "expect: 200\n", server.Port);
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Pass), Explain(result));
        Assert.That(result.Findings.Single(f => f.Rule == "steps-not-run").Kind, Is.EqualTo(FindingKind.Note));
    }

    [Test]
    public async Task A_proved_failure_stays_a_failure_when_later_steps_cannot_run()
    {
        await using var server = new Harness.Tests.FaultServer.FaultServer();
        var result = await RunAsync(Header() + Get("/close") + "expect: 200\n" + Get() + "expect: 200\n", server.Port);
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Fail), Explain(result));
    }
}
