using System.Text;
using Conformance.Harness.Engine;
using Conformance.Harness.Fixtures;
using Conformance.Harness.Model;
using Conformance.Harness.Tests.FaultServer;
using Conformance.Harness.Wire;
using static Conformance.Harness.Tests.Engine.CaseHarness;

namespace Conformance.Harness.Tests.Fixtures;

/// <summary>Numbered draws, value transforms and cookie captures: lint-validated, and seen on the wire.</summary>
public sealed class PlaceholderFormatTests
{
    private static IReadOnlyList<FixtureError> Lint(string text) => new FixtureParser(NamedCheckRegistry.Default, TestRequirements.Catalog).Parse(text, "t.cases").Errors;

    [TestCase("{capture.x|later}", "unknown transform \"|later\"")]
    [TestCase("{path.missing.1}", "unknown placeholder {path.missing.1}")]
    [TestCase("{host.2}", "unknown placeholder {host.2}")]
    [TestCase("{capture.y|weak}", "is used before any earlier step captures \"y\"")]
    public void The_lint_rejects_bad_draws_transforms_and_uncaptured_names(string placeholder, string message)
    {
        var text = Header() + Get() + "expect: 200\n  capture x: header ETag\n" + Send("GET / HTTP/1.1", "X: " + placeholder, "") + "expect: 200\n";
        Assert.That(Lint(text).Select(e => e.ToString()), Has.Some.Contains(message));
    }

    [TestCase("capture s: cookie", "expected \"capture s: header FIELD-NAME\" or \"capture s: cookie COOKIE-NAME\"")]
    [TestCase("capture s: cookie a b", "expected \"capture s: header FIELD-NAME\"")]
    [TestCase("capture s: body x", "expected \"capture s: header FIELD-NAME\"")]
    public void The_lint_rejects_malformed_cookie_captures(string line, string message)
        => Assert.That(Lint(Header() + Get() + "expect: 200\n  " + line + "\n").Select(e => e.ToString()), Has.Some.Contains(message));

    [Test]
    public void Cookie_name_in_a_capture_needs_the_cookie_checker_role()
    {
        var @case = Parse(Header() + Get() + "expect: 200\n  capture s: cookie {cookie.name}\n");
        Assert.That(@case.NeededRoles, Does.Contain(Roles.CookieChecker));
    }

    private static string FirstSent(CaseResult r, int n = 0)
        => Encoding.ASCII.GetString(r.Connections[0].Entries.Where(e => e.Direction == Direction.Sent).ElementAt(n).Bytes);

    [Test]
    public async Task Transforms_derive_earlier_dates_weak_tags_and_followable_paths()
    {
        await using var server = new Harness.Tests.FaultServer.FaultServer();
        server.Map("/src", _ => new FaultResponse { Headers = [new("Last-Modified", "Mon, 01 Jan 2024 00:00:00 GMT"), new("ETag", "\"t1\""), new("Location", "http://elsewhere.example/a/b?q=1")] });
        var result = await RunAsync(Header() + Get("/src") + "expect: 200\n  capture lm: header Last-Modified\n  capture tag: header ETag\n  capture loc: header Location\n"
            + Send("GET {capture.loc|origin-form} HTTP/1.1", "Host: {host}", "A: {capture.lm|earlier}", "B: {capture.tag|weak}", "C: {capture.tag|weak|weak}", "") + "expect: 404\n", server.Port);
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Pass), Explain(result));
        Assert.That(FirstSent(result, 1), Does.StartWith("GET /a/b?q=1 HTTP/1.1\r\nHost: ").And.EndWith("\r\nA: Sun, 31 Dec 2023 00:00:00 GMT\r\nB: W/\"t1\"\r\nC: W/\"t1\"\r\n\r\n"));
    }

    [Test]
    public async Task A_value_a_transform_cannot_use_makes_the_case_skip_with_the_reason()
    {
        await using var server = new Harness.Tests.FaultServer.FaultServer();
        server.Map("/src", _ => new FaultResponse { Headers = [new("Last-Modified", "yesterday")] });
        var result = await RunAsync(Header() + Get("/src") + "expect: 200\n  capture lm: header Last-Modified\n" + Send("GET / HTTP/1.1", "A: {capture.lm|earlier}", "") + "expect: 200\n", server.Port);
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Skip), Explain(result));
        Assert.That(result.Reason, Does.Contain("\"yesterday\" is not an IMF-fixdate"));
    }

    [Test]
    public async Task A_weak_tag_where_a_strong_comparison_needs_a_match_skips_the_case_and_a_strong_one_is_sent_unchanged()
    {
        // Tomcat's DefaultServlet sends only weak tags (W/"152-..."): its 412 to If-Match with that tag is right.
        await using var server = new Harness.Tests.FaultServer.FaultServer();
        server.Map("/weak", _ => new FaultResponse { Headers = [new("ETag", "W/\"152-1\"")] });
        server.Map("/strong", _ => new FaultResponse { Headers = [new("ETag", "\"s1\"")] });
        string Fixture(string path) => Header() + Get(path) + "expect: 200\n  capture tag: header ETag\n" + Send($"GET {path} HTTP/1.1", "Host: {host}", "If-Match: {capture.tag|strong}", "") + "expect: 200\n";
        var weak = await RunAsync(Fixture("/weak"), server.Port);
        Assert.That(weak.Verdict, Is.EqualTo(Verdict.Skip), Explain(weak));
        Assert.That(weak.Reason, Does.Contain("W/\"152-1\" is weak").And.Contain("RFC 9110 §8.8.3.2"));
        var strong = await RunAsync(Fixture("/strong"), server.Port);
        Assert.That(strong.Verdict, Is.EqualTo(Verdict.Pass), Explain(strong));
        Assert.That(FirstSent(strong, 1), Does.EndWith("\r\nIf-Match: \"s1\"\r\n\r\n"));
    }

    [Test]
    public async Task A_cookie_capture_takes_name_and_value_and_tamper_changes_one_value_character()
    {
        await using var server = new Harness.Tests.FaultServer.FaultServer();
        server.Map("/set", _ => new FaultResponse { Headers = [new("Set-Cookie", "theme=light; Path=/"), new("Set-Cookie", "sid=abcdef.123456; HttpOnly")] });
        var fixture = Header() + Get("/set") + "expect: 200\n  capture s: cookie sid\n" + Send("GET / HTTP/1.1", "Host: {host}", "Cookie: {capture.s}", "X: {capture.s|tamper}", "") + "expect: 200\n";
        var result = await RunAsync(fixture, server.Port);
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Pass), Explain(result));
        var lines = FirstSent(result, 1).Split("\r\n");
        Assert.That(lines[2], Is.EqualTo("Cookie: sid=abcdef.123456"));
        var tampered = lines[3]["X: ".Length..];
        Assert.That(tampered, Does.StartWith("sid=").And.Not.EqualTo("sid=abcdef.123456").And.Length.EqualTo("sid=abcdef.123456".Length));
        Assert.That(tampered.Zip("sid=abcdef.123456").Count(p => p.First != p.Second), Is.EqualTo(1));
        var again = await RunAsync(fixture, server.Port);
        Assert.That(FirstSent(again, 1), Is.EqualTo(FirstSent(result, 1)), "the tamper is seeded: same seed, same bytes");

        var missing = await RunAsync(fixture.Replace("cookie sid", "cookie nope", StringComparison.Ordinal), server.Port);
        Assert.That(missing.Reason, Does.Contain("no Set-Cookie line for cookie \"nope\""));
    }

    [Test]
    public async Task Numbered_draws_are_distinct_seeded_values_and_random_cookies_are_valid()
    {
        await using var server = new Harness.Tests.FaultServer.FaultServer();
        var fixture = Header() + Send("GET {path.missing} HTTP/1.1", "X: {path.missing.2}", "Y: {path.missing}", "Cookie: {random.cookie-name}={random.cookie-value}; {random.cookie-name.2}={random.cookie-value.2}", "") + "expect: 404\n";
        var result = await RunAsync(fixture, server.Port);
        var lines = FirstSent(result).Split("\r\n");
        var first = lines[0].Split(' ')[1];
        Assert.That(lines[1], Is.Not.EqualTo("X: " + first), "a second draw is another path");
        Assert.That(lines[2], Is.EqualTo("Y: " + first), "one spelling names one value");
        foreach (var pair in lines[3]["Cookie: ".Length..].Split("; "))
        {
            Assert.That(Harness.Engine.Checks.SetCookieGrammar.Problems(pair), Is.Empty, pair);
        }
        Assert.That(FirstSent(await RunAsync(fixture, server.Port)), Is.EqualTo(FirstSent(result)));
    }
}
