using Conformance.Harness.Model;
using Conformance.Harness.Tests.FaultServer;
using static Conformance.Harness.Tests.Behaviours.BehaviourServer;
using static Conformance.Harness.Tests.Engine.CaseHarness;

namespace Conformance.Harness.Tests.Behaviours;

/// <summary>
/// The shipped fixtures of the caching, preconditions and ranges areas, run through the real engine against the
/// fault server: every case passes a conformant server, and each check fails on the one fault it exists to catch,
/// with the verdict of the sentence that fault breaks.
/// </summary>
public sealed class CoverageFaultTests
{
    private static readonly string[] Areas = ["caching", "preconditions", "ranges"];

    public static IEnumerable<TestCaseData> ShippedCases()
        => CasesIn(Areas).OrderBy(c => c.Id, StringComparer.Ordinal).Select(c => new TestCaseData(c.Id).SetName($"Passes_a_conformant_server({c.Id})"));

    [TestCaseSource(nameof(ShippedCases))]
    public async Task Every_coverage_case_passes_a_conformant_server(string id)
    {
        await using var server = CoverageServer.Start();
        var result = await RunAsync(Case(id), server.Port, CoverageServer.Profile());
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Pass), Explain(result));
    }

    [Test]
    public void The_areas_hold_the_promised_number_of_cases()
    {
        Assert.That(CasesIn("caching").Count(), Is.GreaterThanOrEqualTo(25));
        Assert.That(CasesIn("preconditions").Count(), Is.GreaterThanOrEqualTo(20));
        Assert.That(CasesIn("ranges").Count(), Is.GreaterThanOrEqualTo(25));
    }

    /// <summary>One fault: the behaviour to break, the case that must notice, the rule it reports and the verdict.</summary>
    public sealed record Fault(string Name, string CaseId, Action<CoverageServer.Behaviour> Break, string Rule, Verdict Verdict, Action<Harness.Tests.FaultServer.FaultServer>? Remap = null)
    {
        public override string ToString() => Name;
    }

    public static IEnumerable<TestCaseData> Faults()
    {
        Fault[] faults =
        [
            // Cache-Control grammar (RFC 9111 §5.2)
            new("sends an empty Cache-Control list element", "caching-cache-control-grammar-validators", b => b.CacheControl = "max-age=60,, public", "cache-control-grammar", Verdict.Fail),
            new("sends a Cache-Control directive that is not a token", "caching-cache-control-grammar-validators", b => b.CacheControl = "max age=60", "cache-control-grammar", Verdict.Fail),
            new("leaves a quoted Cache-Control argument open", "caching-cache-control-grammar-304", b => b.CacheControl = "private=\"Set-Cookie", "cache-control-grammar", Verdict.Fail),
            new("quotes max-age", "caching-max-age-token-form-validators", b => b.CacheControl = "max-age=\"60\"", "cache-control-grammar", Verdict.Fail),
            new("sends a max-age that is not digits", "caching-max-age-token-form-validators", b => b.CacheControl = "max-age=1h", "cache-control-grammar", Verdict.Fail),
            new("names private's fields in the token form", "caching-qualified-directives-quoted", b => b.CacheControl = "max-age=60, private=Set-Cookie", "cache-control-grammar", Verdict.Warn),
            new("gives no-store an argument", "caching-argumentless-directives-have-none", b => b.CacheControl = "no-store=1", "cache-control-grammar", Verdict.Fail),
            new("repeats max-age with another value", "caching-no-repeated-directive-validators", b => b.CacheControl = "max-age=60, max-age=0", "cache-control-unique", Verdict.Info),
            new("sends public and private together", "caching-no-repeated-directive-validators", b => b.CacheControl = "public, private, max-age=60", "cache-control-unique", Verdict.Info),
            // Expires, Age (RFC 9111 §5.3, §5.1)
            new("sends Expires: 0", "caching-expires-is-http-date-validators", b => b.Expires = "0", "expires-http-date", Verdict.Fail),
            new("sends Expires as an rfc850-date", "caching-expires-is-http-date-validators", b => b.Expires = "Sunday, 06-Nov-94 08:49:37 GMT", "expires-http-date", Verdict.Fail),
            new("sends an Expires that disagrees with max-age", "caching-expires-agrees-with-max-age", b => b.Expires = "Sun, 06 Nov 1994 08:49:37 GMT", "expires-agrees-with-max-age", Verdict.Info),
            new("sends a negative Age", "caching-age-is-delta-seconds-validators", b => b.Age = "-5", "age-delta-seconds", Verdict.Fail),
            // Vary (RFC 9110 §12.5.5), 304 (§15.4.5), cookies (RFC 9111 §7.3)
            new("negotiates without Vary", "caching-vary-lists-selecting-field", b => b.NegotiatedVary = null, "vary-lists", Verdict.Warn),
            new("names another field in Vary", "caching-vary-lists-field-without-request-field", b => b.NegotiatedVary = "Accept", "vary-lists", Verdict.Warn),
            new("sends a Vary member that is not a field name", "caching-vary-grammar", b => b.NegotiatedVary = "Accept Language", "vary-lists", Verdict.Fail),
            new("drops Vary from the 304", "caching-negotiated-304-carries-vary", b => b.Drop304Vary = true, "carries-earlier", Verdict.Fail),
            new("sets cookies in a response caches may keep", "caching-cookie-setter-not-stored-by-caches", b => b.CookieCacheControl = null, "cache-control-has", Verdict.Info),
            // Preconditions (RFC 9110 §13)
            new("compares If-Match weakly", "preconditions-if-match-weak-tag-never-matches", b => b.WeakIfMatch = true, "outcome", Verdict.Fail),
            new("ignores If-Match", "preconditions-if-match-mismatch-is-412", _ => { }, "outcome", Verdict.Fail,
                s => s.Map("/v", r => { var ok = FaultResponse.Text(200, "OK", "validated content"); ok.Headers.Add(new("ETag", CoverageServer.ETag)); ok.Headers.Add(new("Last-Modified", CoverageServer.LastModified)); return ok; })),
            new("answers 412 for a missing resource", "preconditions-missing-ignores-if-match-star", _ => { }, "outcome", Verdict.Fail,
                s => s.Fallback = r => r.Header("If-Match") is null ? null : FaultResponse.Text(412, "Precondition Failed", "no")),
            new("lets If-Unmodified-Since override If-Match", "preconditions-ius-ignored-with-if-match", b => b.IusEvenWithIfMatch = true, "outcome", Verdict.Fail),
            new("treats an invalid If-Unmodified-Since as failing", "preconditions-ius-invalid-date-is-ignored", b => b.InvalidIusFails = true, "outcome", Verdict.Fail),
            new("evaluates If-None-Match before If-Match", "preconditions-order-if-match-before-if-none-match", b => b.IfNoneMatchFirst = true, "outcome", Verdict.Fail),
            new("performs a PUT whose If-Match failed", "preconditions-put-if-match-stale-tag-is-412", b => b.IgnorePutPreconditions = true, "body", Verdict.Fail),
            new("creates a resource for If-Match: *", "preconditions-put-if-match-star-without-representation-is-412", b => b.IgnorePutPreconditions = true, "outcome", Verdict.Fail),
            new("closes silently after a 412", "preconditions-412-no-silent-close", _ => { }, "close-announced", Verdict.Warn,
                s => s.Map("/v", _ => new FaultResponse { Status = 412, Reason = "Precondition Failed", Body = "no"u8.ToArray(), CloseAfter = true })),
            // Ranges (RFC 9110 §14, §15.3.7, §15.5.17, §13.1.5)
            new("sends the wrong bytes for a range", "ranges-middle-bytes-206", b => b.ShiftRangeBytes = true, "byte-ranges", Verdict.Fail),
            new("states a wrong complete length", "ranges-first-bytes-206", b => b.WrongCompleteLength = true, "byte-ranges", Verdict.Fail),
            new("answers a single range with multipart", "ranges-single-range-is-not-multipart", b => b.MultipartForSingleRange = true, "byte-ranges", Verdict.Fail),
            new("puts Content-Range in the header section of a multipart 206", "ranges-two-ranges-multipart", b => b.ContentRangeOnMultipart = true, "byte-ranges", Verdict.Fail),
            new("sends parts without Content-Type", "ranges-multipart-parts-carry-content-type", b => b.PartsWithoutContentType = true, "byteranges-part-types", Verdict.Warn),
            new("sends a 416 without Content-Range", "ranges-416-says-current-length", b => b.No416ContentRange = true, "content-range-unsatisfied", Verdict.Warn),
            new("sends an empty Accept-Ranges element", "ranges-accept-ranges-grammar", b => b.AcceptRanges = "bytes,,none", "accept-ranges-grammar", Verdict.Fail),
            new("applies Range to HEAD", "ranges-head-ignores-range", b => b.RangeOnHead = true, "outcome", Verdict.Fail),
            new("applies Range to POST", "ranges-post-ignores-range", b => b.RangeOnPost = true, "outcome", Verdict.Fail),
            new("ignores a failing If-Range", "ranges-if-range-etag-mismatch-200", b => b.IgnoreIfRange = true, "outcome", Verdict.Fail),
            new("matches a weak tag in If-Range", "ranges-if-range-weak-etag-never-matches", b => b.WeakIfRange = true, "outcome", Verdict.Fail),
            new("answers a multipart 206 and closes silently", "ranges-206-no-silent-close", _ => { }, "close-announced", Verdict.Warn,
                s => s.Map("/r", _ => new FaultResponse { Raw = Raw($"HTTP/1.1 206 Partial Content\r\nDate: {{date}}\r\nContent-Type: multipart/byteranges; boundary=B\r\nContent-Length: 0\r\n\r\n"), CloseAfterRaw = true })),
        ];
        return faults.Select(f => new TestCaseData(f).SetName($"Fails_when_the_server_{f.Name.Replace(' ', '_')}"));
    }

    [TestCaseSource(nameof(Faults))]
    public async Task Each_check_fails_on_its_fault(Fault fault)
    {
        var behaviour = new CoverageServer.Behaviour();
        fault.Break(behaviour);
        await using var server = CoverageServer.Start(behaviour);
        fault.Remap?.Invoke(server);
        var result = await RunAsync(Case(fault.CaseId), server.Port, CoverageServer.Profile());
        Assert.That(result.Verdict, Is.EqualTo(fault.Verdict), Explain(result));
        Assert.That(Failing(result, fault.Verdict), Does.Contain(fault.Rule), Explain(result));
    }

    [Test]
    public async Task Range_cases_skip_with_the_reason_when_the_profile_has_no_ranges_role()
    {
        await using var server = CoverageServer.Start();
        var result = await RunAsync(Case("ranges-first-bytes-206"), server.Port, CoverageServer.Profile(r => r with { Ranges = null }));
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Skip), Explain(result));
        Assert.That(result.Reason, Does.Contain("\"ranges\" role"));
    }

    [Test]
    public async Task A_server_that_ignores_Range_gets_info_not_fail()
    {
        // RFC 9110 §14.2: "A server MAY ignore the Range header field." The whole representation is an allowed answer.
        await using var server = CoverageServer.Start();
        server.Map("/r", _ => new FaultResponse { Status = 200, Reason = "OK", Headers = [new("Content-Type", "text/plain"), new("ETag", CoverageServer.RangesETag)], Body = CoverageServer.RangeContent });
        foreach (var id in new[] { "ranges-first-bytes-206", "ranges-two-ranges-multipart", "ranges-unsatisfiable-is-416", "ranges-if-range-etag-match-206" })
        {
            var result = await RunAsync(Case(id), server.Port, CoverageServer.Profile());
            Assert.That(result.Verdict, Is.EqualTo(Verdict.Info), $"{id}: {Explain(result)}");
        }
    }

    [Test]
    public async Task A_200_that_is_not_the_whole_representation_fails_the_byte_check()
    {
        var truncated = CoverageServer.RangeContent[..100];
        await using var server = CoverageServer.Start();
        var n = 0;
        // The first GET (the reference) is whole; the ranged one comes back as a 200 with fewer bytes.
        server.Map("/r", _ => new FaultResponse { Status = 200, Reason = "OK", Headers = [new("Content-Type", "text/plain"), new("ETag", CoverageServer.RangesETag)], Body = Interlocked.Increment(ref n) == 1 ? CoverageServer.RangeContent : truncated });
        var result = await RunAsync(Case("ranges-if-range-etag-mismatch-200"), server.Port, CoverageServer.Profile());
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Fail), Explain(result));
        Assert.That(Failing(result), Does.Contain("byte-ranges"), Explain(result));
    }
}
