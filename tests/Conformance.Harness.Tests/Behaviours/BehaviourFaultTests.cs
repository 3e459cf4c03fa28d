using Conformance.Harness.Model;
using Conformance.Harness.Targets;
using Conformance.Harness.Tests.FaultServer;
using static Conformance.Harness.Tests.Behaviours.BehaviourServer;
using static Conformance.Harness.Tests.Engine.CaseHarness;

namespace Conformance.Harness.Tests.Behaviours;

/// <summary>
/// The shipped fixtures of the five behaviour areas, run through the real engine against the fault server:
/// every case passes a conformant server, and each check fails on the one fault it exists to catch.
/// </summary>
public sealed class BehaviourFaultTests
{
    private static readonly string[] Areas = ["keep-alive", "redirect", "missing", "conditional", "cookies"];

    public static IEnumerable<TestCaseData> ShippedCases()
        => CasesIn(Areas).OrderBy(c => c.Id, StringComparer.Ordinal).Select(c => new TestCaseData(c.Id).SetName($"Passes_a_conformant_server({c.Id})"));

    [TestCaseSource(nameof(ShippedCases))]
    public async Task Every_behaviour_case_passes_a_conformant_server(string id)
    {
        await using var server = Start();
        var result = await RunAsync(Case(id), server.Port, Profile());
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Pass), Explain(result));
    }

    [Test]
    public void Each_area_has_at_least_eight_cases()
    {
        foreach (var area in Areas) Assert.That(CasesIn(area).Count(), Is.GreaterThanOrEqualTo(8), area);
    }

    /// <summary>One fault: how to break the server, the case that must notice, the rule it reports and the verdict.</summary>
    public sealed record Fault(string Name, string CaseId, Action<Harness.Tests.FaultServer.FaultServer> Break, string Rule, Verdict Verdict, Func<ProfileRoles, ProfileRoles>? Adjust = null)
    {
        public override string ToString() => Name;
    }

    private const string Ok10KeepAlive = "HTTP/1.1 200 OK\r\nDate: {date}\r\nConnection: keep-alive\r\nContent-Length: 5\r\n\r\nhello";
    private const string Ok10Plain = "HTTP/1.1 200 OK\r\nDate: {date}\r\nContent-Length: 5\r\n\r\nhello";

    public static IEnumerable<TestCaseData> Faults()
    {
        Fault[] faults =
        [
            // keep-alive (RFC 9112 §9)
            new("closes after each HTTP/1.1 response without Connection: close", "keep-alive-persistent-by-default",
                s => s.Map("/", _ => new FaultResponse { Status = 200, Reason = "OK", Body = "hello"u8.ToArray(), CloseAfter = true }), "close-announced", Verdict.Warn),
            new("closes silently after a 404", "keep-alive-no-silent-close-after-404",
                s => s.Map("/gone", _ => new FaultResponse { Status = 404, Reason = "Not Found", Body = "nf"u8.ToArray(), CloseAfter = true }), "close-announced", Verdict.Warn,
                r => r with { Missing = new MissingRole { Paths = ["/gone"], Random = false } }),
            new("closes silently after a 301", "keep-alive-no-silent-close-after-redirect",
                s => s.Map("/old", _ => new FaultResponse { Status = 301, Reason = "Moved Permanently", Headers = [new("Location", "/new")], CloseAfter = true }), "close-announced", Verdict.Warn),
            new("keeps the connection open after Connection: close", "keep-alive-client-close-is-honoured",
                s => s.ConnectionFault = ConnectionFault.IgnoreClose, "connection closed", Verdict.Fail),
            new("omits close from the final response", "keep-alive-close-response-says-close",
                s => s.ConnectionFault = ConnectionFault.IgnoreClose, "header Connection", Verdict.Warn),
            new("answers a request sent after Connection: close", "keep-alive-nothing-processed-after-close",
                s => s.ConnectionFault = ConnectionFault.IgnoreClose, "connection closed", Verdict.Fail),
            new("keeps an HTTP/1.0 connection open without keep-alive", "keep-alive-http10-closes-by-default",
                s => s.Map("/", _ => new FaultResponse { Raw = Raw(Ok10Plain) }), "connection-as-announced", Verdict.Fail),
            new("announces keep-alive to HTTP/1.0 and closes", "keep-alive-http10-keep-alive-is-consistent",
                s => s.Map("/", _ => new FaultResponse { Raw = Raw(Ok10KeepAlive), CloseAfterRaw = true }), "connection-as-announced", Verdict.Fail),
            new("closes an HTTP/1.1 connection it said nothing about", "keep-alive-http11-is-as-announced",
                s => s.Map("/v", r => new FaultResponse { Status = 200, Reason = "OK", Body = "x"u8.ToArray(), CloseAfter = true }), "connection-as-announced", Verdict.Fail),
            new("answers only the first pipelined request", "keep-alive-pipelined-responses-in-order",
                s => s.ConnectionFault = ConnectionFault.AnswerFirstOnly, "outcome", Verdict.Fail),
            new("answers pipelined requests out of order", "keep-alive-pipelined-responses-in-order",
                s => s.ConnectionFault = ConnectionFault.ReverseOrder, "outcome", Verdict.Fail),
            new("answers pipelined requests with a body out of order", "keep-alive-pipelined-with-body-in-order",
                s => s.ConnectionFault = ConnectionFault.ReverseOrder, "outcome", Verdict.Fail),

            // redirect (RFC 9110 §15.4.2, §10.2.2)
            new("sends 302 where the profile declares 301", "redirect-status-is-the-profiles",
                s => s.Map("/old", _ => Redirect("/new", 302)), "status-is", Verdict.Fail),
            new("sends a redirect without Location", "redirect-has-location",
                s => s.Map("/old", _ => Redirect(null)), "header Location", Verdict.Warn),
            new("sends a Location that is not a URI-reference", "redirect-location-is-uri-reference",
                s => s.Map("/old", _ => Redirect("/new place^{x}")), "location-uri-reference", Verdict.Fail),
            new("sends a Location pointing elsewhere", "redirect-location-resolves-to-target",
                s => s.Map("/old", _ => Redirect("http://127.0.0.1:1/elsewhere")), "location-resolves-to", Verdict.Fail),
            new("redirects to a resource that is missing", "redirect-following-location-gets-200",
                s => s.Map("/new", _ => FaultResponse.Text(404, "Not Found", "gone")), "outcome", Verdict.Fail),
            new("sends content in the HEAD answer of the redirect", "redirect-head-has-no-content",
                s => s.Map("/old", r => r.IsHead
                    ? new FaultResponse { Raw = Raw("HTTP/1.1 301 Moved Permanently\r\nDate: {date}\r\nLocation: /new\r\nContent-Length: 5\r\n\r\nmoved") }
                    : Redirect("/new")), "outcome", Verdict.Fail),
            new("drops Location from the HEAD answer", "redirect-head-carries-location",
                s => s.Map("/old", r => Redirect(r.IsHead ? null : "/new")), "carries-earlier", Verdict.Warn),
            new("changes its Location between requests", "redirect-is-stable-and-framed",
                s => { var n = 0; s.Map("/old", _ => Redirect("/new?" + Interlocked.Increment(ref n))); }, "matches-earlier", Verdict.Fail),

            // missing (RFC 9110 §15.5.5): a soft 404 on a path the profile declares missing
            new("answers 200 for a missing path (soft 404)", "missing-random-path-is-404",
                s => s.Map("/soft", _ => FaultResponse.Text(200, "OK", "nothing here, but 200")), "outcome", Verdict.Fail,
                r => r with { Missing = new MissingRole { Paths = ["/soft"], Random = false } }),
            new("answers HEAD for a missing path with 200", "missing-head-is-404-without-content",
                s => s.Map("/soft", _ => FaultResponse.Text(200, "OK", "soft")), "outcome", Verdict.Fail,
                r => r with { Missing = new MissingRole { Paths = ["/soft"], Random = false } }),
            new("sends content in the HEAD answer of a 404", "missing-head-is-404-without-content",
                s => s.Map("/gone", r => new FaultResponse { Raw = Raw("HTTP/1.1 404 Not Found\r\nDate: {date}\r\nContent-Length: 9\r\n\r\nnot found") }), "outcome", Verdict.Fail,
                r => r with { Missing = new MissingRole { Paths = ["/gone"], Random = false } }),
            new("frames a 404 body longer than its Content-Length", "missing-404-body-is-framed",
                s => s.Map("/gone", r => new FaultResponse { Raw = Raw("HTTP/1.1 404 Not Found\r\nDate: {date}\r\nContent-Length: 3\r\n\r\nnot found") }), "outcome", Verdict.Fail,
                r => r with { Missing = new MissingRole { Paths = ["/gone"], Random = false } }),
            new("advertises another length on HEAD of a 404", "missing-head-content-length-matches-get",
                s => s.Map("/gone", r => r.IsHead
                    ? new FaultResponse { Raw = Raw("HTTP/1.1 404 Not Found\r\nDate: {date}\r\nContent-Length: 99\r\n\r\n") }
                    : FaultResponse.Text(404, "Not Found", "not found")), "matches-earlier", Verdict.Fail,
                r => r with { Missing = new MissingRole { Paths = ["/gone"], Random = false } }),
            // The GET's content is chunked (9 octets, no Content-Length): the HEAD's Content-Length is judged against
            // those octets (RFC 9110 §8.6), so 99 is caught; the strict origin's chunked-responses alternative
            // (StrictOriginAlternativesTests) shows the equal length holds.
            new("advertises on HEAD another length than its chunked GET's content", "missing-head-content-length-matches-get",
                s => s.Map("/gone", r => r.IsHead
                    ? new FaultResponse { Raw = Raw("HTTP/1.1 404 Not Found\r\nDate: {date}\r\nContent-Length: 99\r\n\r\n") }
                    : new FaultResponse { Raw = Raw("HTTP/1.1 404 Not Found\r\nDate: {date}\r\nTransfer-Encoding: chunked\r\n\r\n9\r\nnot found\r\n0\r\n\r\n") }), "matches-earlier", Verdict.Fail,
                r => r with { Missing = new MissingRole { Paths = ["/gone"], Random = false } }),

            // conditional (RFC 9110 §13, §15.4.5, §8.8)
            new("sends a 304 with a body", "conditional-304-has-no-content",
                s => s.Map("/v", r => r.Header("If-None-Match") is null ? Validators(r)
                    : new FaultResponse { Raw = Raw($"HTTP/1.1 304 Not Modified\r\nDate: {{date}}\r\nETag: {ETag}\r\nContent-Length: 5\r\n\r\nhello") }), "outcome", Verdict.Fail),
            new("sends 304 for a non-matching tag", "conditional-inm-non-matching-is-200",
                s => s.Map("/v", r => r.Header("If-None-Match") is null ? Validators(r) : new FaultResponse { Status = 304, Reason = "Not Modified", Headers = ValidatorFields() }), "outcome", Verdict.Fail),
            new("sends a 304 without the ETag", "conditional-304-carries-200-fields",
                s => s.Map("/v", r => r.Header("If-None-Match") is null ? Validators(r) : new FaultResponse { Status = 304, Reason = "Not Modified", Headers = [.. ValidatorFields().Where(f => f.Key != "ETag")] }), "carries-earlier", Verdict.Fail),
            new("sends a 304 without Date", "conditional-304-carries-200-fields",
                s => s.Map("/v", r => r.Header("If-None-Match") is null ? Validators(r)
                    : new FaultResponse { Raw = Raw($"HTTP/1.1 304 Not Modified\r\nETag: {ETag}\r\nCache-Control: max-age=60\r\nExpires: Sun, 06 Nov 2095 08:49:37 GMT\r\nVary: Accept-Encoding\r\nContent-Location: /v\r\n\r\n") }), "header Date", Verdict.Fail),
            new("sends a Content-Length on the 304 that differs from the 200's", "conditional-304-content-length-matches-200",
                s => s.Map("/v", r => r.Header("If-None-Match") is null ? Validators(r)
                    : new FaultResponse { Raw = Raw($"HTTP/1.1 304 Not Modified\r\nDate: {{date}}\r\nETag: {ETag}\r\nContent-Length: 999\r\n\r\n") }), "matches-earlier", Verdict.Fail),
            new("sends an unquoted ETag", "conditional-etag-syntax",
                s => s.Map("/v", _ => new FaultResponse { Status = 200, Reason = "OK", Body = "x"u8.ToArray(), Headers = [new("ETag", "v1-abc")] }), "etag-syntax", Verdict.Fail),
            new("sends a Last-Modified later than Date", "conditional-last-modified-not-after-date",
                s => s.Map("/v", _ => new FaultResponse { Status = 200, Reason = "OK", Body = "x"u8.ToArray(), Headers = [new("Last-Modified", "Sun, 06 Nov 2095 08:49:37 GMT")] }), "last-modified-not-after-date", Verdict.Fail),
            new("compares If-None-Match strongly", "conditional-inm-weak-form-is-304",
                s => s.Map("/v", r => r.Header("If-None-Match") == ETag ? new FaultResponse { Status = 304, Reason = "Not Modified", Headers = ValidatorFields() } : Validators(r with { Headers = [] })), "outcome", Verdict.Fail),
            new("ignores the members of an If-None-Match list", "conditional-inm-list-is-304",
                s => s.Map("/v", r => r.Header("If-None-Match") == ETag ? new FaultResponse { Status = 304, Reason = "Not Modified", Headers = ValidatorFields() } : Validators(r with { Headers = [] })), "outcome", Verdict.Fail),
            new("does not treat * as a match", "conditional-inm-star-is-304",
                s => s.Map("/v", r => Validators(r with { Headers = [] })), "outcome", Verdict.Fail),
            new("answers a conditional HEAD with 200", "conditional-head-is-304",
                s => s.Map("/v", r => r.IsHead ? Validators(r with { Headers = [] }) : Validators(r)), "outcome", Verdict.Fail),
            new("ignores If-Modified-Since", "conditional-ims-last-modified-is-304",
                s => s.Map("/v", r => Validators(r with { Headers = [] })), "outcome", Verdict.Warn),
            new("answers 304 to any If-Modified-Since", "conditional-ims-earlier-date-is-200",
                s => s.Map("/v", r => r.Header("If-Modified-Since") is null ? Validators(r) : new FaultResponse { Status = 304, Reason = "Not Modified", Headers = ValidatorFields() }), "outcome", Verdict.Fail),
            new("treats an invalid date as a match", "conditional-ims-invalid-date-is-ignored",
                s => s.Map("/v", r => r.Header("If-Modified-Since") is null ? Validators(r) : new FaultResponse { Status = 304, Reason = "Not Modified", Headers = ValidatorFields() }), "outcome", Verdict.Fail),
            new("lets If-Modified-Since override If-None-Match", "conditional-inm-takes-precedence-over-ims",
                s => s.Map("/v", r => r.Header("If-Modified-Since") is null ? Validators(r) : new FaultResponse { Status = 304, Reason = "Not Modified", Headers = ValidatorFields() }), "outcome", Verdict.Fail),

            // cookies (RFC 6265 §4.1.1, §3)
            new("folds two cookies into one Set-Cookie line", "cookies-one-cookie-per-line",
                s => s.Map("/cset", _ => SetCookies($"sid={SessionValue}; Path=/, theme=light; Path=/")), "set-cookie-not-folded", Verdict.Warn),
            new("sends Expires in a non-IMF-fixdate form", "cookies-expires-and-max-age-syntax",
                s => s.Map("/cset", _ => SetCookies($"sid={SessionValue}; Expires=Sunday, 06-Nov-94 08:49:37 GMT")), "set-cookie-grammar", Verdict.Warn),
            new("sends Max-Age with a leading zero", "cookies-expires-and-max-age-syntax",
                s => s.Map("/cset", _ => SetCookies($"sid={SessionValue}; Max-Age=0360")), "set-cookie-grammar", Verdict.Warn),
            new("sends an unknown SameSite value", "cookies-expires-and-max-age-syntax",
                s => s.Map("/cset", _ => SetCookies($"sid={SessionValue}; SameSite=Sometimes")), "set-cookie-grammar", Verdict.Warn),
            new("sends a space inside a cookie value", "cookies-names-are-tokens-and-values-cookie-octets",
                s => s.Map("/cset", _ => SetCookies("sid=two words; Path=/")), "set-cookie-grammar", Verdict.Warn),
            new("sends a cookie name that is not a token", "cookies-set-cookie-grammar",
                s => s.Map("/cset", _ => SetCookies($"s(id)={SessionValue}")), "set-cookie-grammar", Verdict.Warn),
            new("separates attributes without the SP", "cookies-names-are-tokens-and-values-cookie-octets",
                s => s.Map("/cset", _ => SetCookies($"sid={SessionValue};Path=/")), "set-cookie-grammar", Verdict.Warn),
            new("sets the same cookie twice in one response", "cookies-no-repeated-name",
                s => s.Map("/cset", _ => SetCookies($"sid={SessionValue}", "sid=other")), "set-cookie-unique-names", Verdict.Warn),
            new("ignores the cookie it is sent", "cookies-round-trip-is-recognised",
                s => s.Map("/ccheck", _ => FaultResponse.Text(401, "Unauthorized", "no")), "cookie-recognised", Verdict.Fail),
            new("recognises a request with no cookie", "cookies-no-cookie-is-not-recognised",
                s => s.Map("/ccheck", _ => FaultResponse.Text(200, "OK", "recognised sid")), "cookie-not-recognised", Verdict.Fail),
            new("recognises a tampered cookie", "cookies-tampered-value-is-not-recognised",
                s => s.Map("/ccheck", r => BehaviourServer.Cookies(r).Any(c => c.StartsWith("sid=", StringComparison.Ordinal)) ? FaultResponse.Text(200, "OK", "recognised sid") : FaultResponse.Text(401, "Unauthorized", "no")),
                "cookie-not-recognised", Verdict.Fail),
            new("drops a cookie from the echo", "cookies-seeded-cookie-pairs-round-trip",
                s => s.Map("/cecho", r => FaultResponse.Text(200, "OK", BehaviourServer.Cookies(r)[0] + "\n")), "body", Verdict.Fail),
            new("mangles the echoed cookie value", "cookies-seeded-cookie-round-trips",
                s => s.Map("/cecho", r => FaultResponse.Text(200, "OK", BehaviourServer.Cookies(r)[0].ToUpperInvariant() + "x\n")), "body", Verdict.Fail),
        ];
        return faults.Select(f => new TestCaseData(f).SetName($"Fails_when_the_server_{f.Name.Replace(' ', '_')}"));
    }

    [TestCaseSource(nameof(Faults))]
    public async Task Each_check_fails_on_its_fault(Fault fault)
    {
        await using var server = Start();
        fault.Break(server);
        var result = await RunAsync(Case(fault.CaseId), server.Port, Profile(fault.Adjust));
        Assert.That(result.Verdict, Is.EqualTo(fault.Verdict), Explain(result));
        Assert.That(Failing(result, fault.Verdict), Does.Contain(fault.Rule), Explain(result));
    }

    [Test]
    public async Task The_tamper_control_skips_for_an_echoing_checker_and_says_why()
    {
        await using var server = Start();
        var profile = Profile(r => r with { CookieChecker = r.CookieChecker! with { Mode = "echoes", SeenBodyContains = "{cookie.name}={cookie.value}", NotSeenStatus = null } });
        var result = await RunAsync(Case("cookies-tampered-value-is-not-recognised"), server.Port, profile);
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Skip), Explain(result));
        Assert.That(result.Reason, Does.Contain("\"echoes\" mode"));
    }

    [Test]
    public async Task Conditional_cases_skip_with_the_reason_when_the_resource_has_no_validator()
    {
        await using var server = Start();
        server.Map("/v", _ => FaultResponse.Text(200, "OK", "no validators"));
        var result = await RunAsync(Case("conditional-ims-earlier-date-is-200"), server.Port, Profile());
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Skip), Explain(result));
        Assert.That(result.Reason, Does.Contain("no Last-Modified field"));
    }

    [Test]
    public async Task Round_trips_skip_when_the_profile_names_no_cookie()
    {
        await using var server = Start();
        var result = await RunAsync(Case("cookies-round-trip-is-recognised"), server.Port, Profile(r => r with { CookieChecker = r.CookieChecker! with { Cookie = null } }));
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Skip), Explain(result));
        Assert.That(result.Reason, Does.Contain("names no cookie"));
    }
}
