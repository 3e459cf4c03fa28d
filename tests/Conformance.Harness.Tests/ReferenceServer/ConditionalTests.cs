using NUnit.Framework;
using System.Globalization;

namespace Conformance.Harness.Tests.ReferenceServer;

[TestFixture]
public sealed class ConditionalTests : ReferenceServerTestBase
{
    private const string Path = "/static/validated.txt";
    private const string LastModified = "Mon, 01 Jan 2024 00:00:00 GMT";
    private string _etag = "";

    [OneTimeSetUp]
    public void CaptureETag() => _etag = Get(Path).Field("ETag") ?? throw new InvalidOperationException("no ETag on the 200");

    [Test]
    public void Unconditional_GET_is_200_with_every_validator_and_cache_field()
    {
        var reply = Get(Path);
        Assert.Multiple(() =>
        {
            Assert.That(reply.Status, Is.EqualTo(200));
            Assert.That(reply.Field("ETag"), Does.Match("^\"[\\x21\\x23-\\x7e]+\"$"), "a strong entity-tag");
            Assert.That(reply.Field("Last-Modified"), Is.EqualTo(LastModified));
            Assert.That(reply.Field("Cache-Control"), Is.EqualTo("max-age=60"));
            Assert.That(reply.Field("Vary"), Is.EqualTo("Accept-Encoding"));
            Assert.That(reply.Field("Content-Location"), Is.EqualTo(Path));
            Assert.That(ParseDate(reply.Field("Expires")) - ParseDate(reply.Field("Date")), Is.EqualTo(TimeSpan.FromSeconds(60)));
            Assert.That(ParseDate(reply.Field("Last-Modified")), Is.LessThanOrEqualTo(ParseDate(reply.Field("Date"))));
        });
    }

    [Test]
    public async Task ETag_is_stable_across_restarts()
    {
        await using var other = await Conformance.ReferenceServer.ReferenceServerApp.StartAsync();
        var reply = RawConnection.Exchange(other.Port, RawConnection.Request("GET", Path));
        Assert.That(reply.Field("ETag"), Is.EqualTo(_etag));
    }

    private static IEnumerable<TestCaseData> MatchingIfNoneMatch()
    {
        yield return new TestCaseData((Func<string, string>)(e => e)).SetName("{m}_exact");
        yield return new TestCaseData((Func<string, string>)(e => "W/" + e)).SetName("{m}_weak");
        yield return new TestCaseData((Func<string, string>)(e => $"\"other\", {e}")).SetName("{m}_list");
        yield return new TestCaseData((Func<string, string>)(e => $"\"a\",,W/\"b\" ,  {e}")).SetName("{m}_list_with_empty_members");
        yield return new TestCaseData((Func<string, string>)(_ => "*")).SetName("{m}_star");
    }

    [TestCaseSource(nameof(MatchingIfNoneMatch))]
    public void Matching_If_None_Match_is_304(Func<string, string> value)
    {
        var reply = Get(Path, $"If-None-Match: {value(_etag)}");
        Assert.That(reply.Status, Is.EqualTo(304));
        Assert.That(reply.AfterMessage, Is.Empty, "a 304 ends at the empty line");
    }

    [Test]
    public void Matching_If_None_Match_on_HEAD_is_304()
    {
        var reply = Head(Path, $"If-None-Match: {_etag}");
        Assert.That(reply.Status, Is.EqualTo(304));
        Assert.That(reply.AfterMessage, Is.Empty);
    }

    [TestCase("\"nope\""), TestCase("W/\"nope\", \"also-no\""), TestCase("not-an-etag")]
    public void Non_matching_If_None_Match_is_200(string value) => Assert.That(Get(Path, $"If-None-Match: {value}").Status, Is.EqualTo(200));

    [Test]
    public void The_304_repeats_the_200_fields_and_has_no_content()
    {
        var ok = Get(Path);
        var notModified = Get(Path, $"If-None-Match: {_etag}");
        Assert.Multiple(() =>
        {
            Assert.That(notModified.Status, Is.EqualTo(304));
            foreach (var name in new[] { "ETag", "Cache-Control", "Vary", "Content-Location" })
                Assert.That(notModified.Field(name), Is.EqualTo(ok.Field(name)), name);
            Assert.That(notModified.Field("Date"), Is.Not.Null);
            // Expires follows Date (both per response), so compare the freshness they describe.
            Assert.That(ParseDate(notModified.Field("Expires")) - ParseDate(notModified.Field("Date")), Is.EqualTo(TimeSpan.FromSeconds(60)));
            Assert.That(notModified.Field("Content-Length"), Is.Null.Or.EqualTo(ok.Field("Content-Length")));
            Assert.That(notModified.Field("Transfer-Encoding"), Is.Null);
            Assert.That(notModified.AfterMessage, Is.Empty);
        });
    }

    [TestCase(LastModified, 304, TestName = "IMS equal to Last-Modified is 304")]
    [TestCase("Tue, 02 Jan 2024 00:00:00 GMT", 304, TestName = "IMS after Last-Modified is 304")]
    [TestCase("Sun, 31 Dec 2023 23:59:59 GMT", 200, TestName = "IMS before Last-Modified is 200")]
    [TestCase("Monday, 01-Jan-24 00:00:00 GMT", 304, TestName = "IMS in rfc850 form is understood")]
    [TestCase("Mon Jan  1 00:00:00 2024", 304, TestName = "IMS in asctime form is understood")]
    [TestCase("yesterday", 200, TestName = "IMS that is not a date is ignored")]
    [TestCase("Tue, 01 Jan 2024 00:00:00 GMT", 200, TestName = "IMS with a wrong weekday is invalid and ignored")]
    [TestCase("2024-01-02T00:00:00Z", 200, TestName = "IMS in ISO form is invalid and ignored")]
    public void If_Modified_Since(string date, int expected) => Assert.That(Get(Path, $"If-Modified-Since: {date}").Status, Is.EqualTo(expected));

    [Test]
    public void If_None_Match_takes_precedence_over_If_Modified_Since()
    {
        var reply = Get(Path, "If-None-Match: \"nope\"", $"If-Modified-Since: {LastModified}");
        Assert.That(reply.Status, Is.EqualTo(200));
    }

    [TestCase("If-None-Match: {etag}", 412, TestName = "POST with matching If-None-Match is 412")]
    [TestCase("If-None-Match: *", 412, TestName = "POST with If-None-Match star is 412")]
    [TestCase("If-None-Match: \"nope\"", 200, TestName = "POST with non-matching If-None-Match proceeds")]
    [TestCase("If-Modified-Since: Tue, 02 Jan 2024 00:00:00 GMT", 200, TestName = "POST ignores If-Modified-Since")]
    [TestCase("If-Match: \"nope\"", 412, TestName = "POST with non-matching If-Match is 412")]
    [TestCase("If-Match: W/{etag}", 412, TestName = "If-Match uses strong comparison")]
    [TestCase("If-Match: {etag}", 200, TestName = "POST with matching If-Match proceeds")]
    [TestCase("If-Unmodified-Since: Sun, 31 Dec 2023 00:00:00 GMT", 412, TestName = "POST modified since If-Unmodified-Since is 412")]
    public void Post_preconditions(string field, int expected)
    {
        var request = RawConnection.Request("POST", Path, field.Replace("{etag}", _etag, StringComparison.Ordinal), "Content-Length: 0");
        Assert.That(Send(request).Status, Is.EqualTo(expected));
    }

    [Test]
    public void A_method_the_resource_refuses_is_405_even_with_a_failing_precondition()
    {
        // RFC 9110 §13.2.1: preconditions are ignored when the unconditional answer would not be 2xx/412.
        var reply = Send(RawConnection.Request("DELETE", Path, $"If-None-Match: {_etag}"));
        Assert.That(reply.Status, Is.EqualTo(405));
        Assert.That(reply.Field("Allow"), Is.EqualTo("GET, HEAD, POST, OPTIONS"));
    }

    private static DateTimeOffset ParseDate(string? value) =>
        DateTimeOffset.ParseExact(value ?? throw new AssertionException("date field missing"), "r", CultureInfo.InvariantCulture);
}
