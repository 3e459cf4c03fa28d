using Conformance.Harness.Reports;
using Conformance.Harness.Snapshots;

namespace Conformance.Harness.Tests.Snapshots;

public sealed class SnapshotScrubberTests
{
    private static readonly SnapshotScrubber Scrubber = new(new ScrubContext { HostPort = "127.0.0.1:54321", RandomPrefixes = ["/nothing-here/"], KnownRandomValues = ["Known-Value_1"] });

    private static string ScrubOne(string message) => string.Concat(Scrubber.Scrub(EscapedText.SplitLines(message)));

    [TestCase(@"HTTP/1.1 200 OK\r\nDate: Tue, 07 Jan 2025 10:00:00 GMT\r\n\r\n", @"HTTP/1.1 200 OK\r\nDate: {date}\r\n\r\n")]
    [TestCase(@"HTTP/1.1 200 OK\r\nLast-Modified: Tue, 07 Jan 2025 10:00:00 GMT\r\nExpires: 0\r\n\r\n", @"HTTP/1.1 200 OK\r\nLast-Modified: {date}\r\nExpires: {date}\r\n\r\n")]
    [TestCase(@"HTTP/1.1 200 OK\r\nETag: W/""abc123""\r\n\r\n", @"HTTP/1.1 200 OK\r\nETag: W/""{etag}""\r\n\r\n")]
    [TestCase(@"HTTP/1.1 200 OK\r\nETag: unquoted\r\n\r\n", @"HTTP/1.1 200 OK\r\nETag: {etag}\r\n\r\n")]
    [TestCase(@"HTTP/1.1 501 Not Implemented\r\nAllow: POST,OPTIONS,HEAD,GET,TRACE\r\n\r\n", @"HTTP/1.1 501 Not Implemented\r\nAllow: GET,HEAD,OPTIONS,POST,TRACE\r\n\r\n")]
    [TestCase(@"HTTP/1.1 405 Method Not Allowed\r\nAllow: POST, GET\r\n\r\n", @"HTTP/1.1 405 Method Not Allowed\r\nAllow: GET, POST\r\n\r\n")]
    [TestCase(@"GET / HTTP/1.1\r\nIf-None-Match: ""a"", W/""b""\r\nIf-Match: *\r\n\r\n", @"GET / HTTP/1.1\r\nIf-None-Match: ""{etag}"", W/""{etag}""\r\nIf-Match: *\r\n\r\n")]
    [TestCase(@"HTTP/1.1 200 OK\r\nSet-Cookie: sid=abc.def; Path=/; Expires=Wed, 21 Oct 2026 07:28:00 GMT; HttpOnly\r\n\r\n", @"HTTP/1.1 200 OK\r\nSet-Cookie: sid={cookie-value}; Path=/; Expires={date}; HttpOnly\r\n\r\n")]
    [TestCase(@"GET / HTTP/1.1\r\nCookie: sid=abc; theme=dark\r\n\r\n", @"GET / HTTP/1.1\r\nCookie: sid={cookie-value}; theme={cookie-value}\r\n\r\n")]
    [TestCase(@"HTTP/1.1 200 OK\r\nServer: Apache/2.4.57 (Debian) OpenSSL/3.0.11\r\n\r\n", @"HTTP/1.1 200 OK\r\nServer: Apache/{version} (Debian) OpenSSL/{version}\r\n\r\n")]
    [TestCase(@"HTTP/1.1 200 OK\r\nServer: Kestrel\r\n\r\n", @"HTTP/1.1 200 OK\r\nServer: Kestrel\r\n\r\n")]
    [TestCase(@"GET /nothing-here/lorem-ipsum-ab12cd34ef HTTP/1.1\r\nHost: 127.0.0.1:54321\r\n\r\n", @"GET /nothing-here/{random} HTTP/1.1\r\nHost: {host}\r\n\r\n")]
    [TestCase(@"GET /?t=abcdefgh12345678 HTTP/1.1\r\nX-Token: Known-Value_1\r\n\r\n", @"GET /?t={random} HTTP/1.1\r\nX-Token: {random}\r\n\r\n")]
    [TestCase(@"HTTP/1.1 206 Partial Content\r\nContent-Type: multipart/byteranges; boundary=00000000000000000002\r\n\r\n--00000000000000000002\r\nx\r\n--00000000000000000002--\r\n",
        @"HTTP/1.1 206 Partial Content\r\nContent-Type: multipart/byteranges; boundary={boundary}\r\n\r\n--{boundary}\r\nx\r\n--{boundary}--\r\n")]
    public void Scrubs_each_value_kind_and_keeps_field_names(string message, string expected)
        => Assert.That(ScrubOne(message), Is.EqualTo(expected));

    [Test]
    public void Content_length_is_scrubbed_only_when_the_body_held_a_scrubbed_value()
    {
        Assert.That(ScrubOne(@"HTTP/1.1 404 Not Found\r\nContent-Length: 31\r\n\r\nno /nothing-here/abc-123 here\n"),
            Is.EqualTo(@"HTTP/1.1 404 Not Found\r\nContent-Length: {length}\r\n\r\nno /nothing-here/{random} here\n"));
        Assert.That(ScrubOne(@"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"), Is.EqualTo(@"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
    }

    [Test]
    public void A_multipart_length_is_scrubbed_because_the_boundary_length_varies()
    {
        // Apache draws each boundary as a random number in hex: 13 or 12 digits, so the same parts give 236 or 233 bytes.
        static string Answer(string boundary, int length) => $@"HTTP/1.1 206 Partial Content\r\nContent-Length: {length}\r\nContent-Type: multipart/byteranges; boundary={boundary}\r\n\r\n--{boundary}\r\nx\r\n--{boundary}--\r\n";
        var longer = ScrubOne(Answer("5f2a1c9e0b7d3", 236));
        Assert.That(longer, Does.Contain(@"Content-Length: {length}\r\n").And.Contain("--{boundary}--"));
        Assert.That(ScrubOne(Answer("f2a1c9e0b7d3", 233)), Is.EqualTo(longer), "two draws of the boundary are one snapshot");
        Assert.That(ScrubOne(@"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\nok"), Does.Contain("Content-Length: 2"), "no boundary, the length is kept");
    }

    [Test]
    public void Chunk_sizes_are_scrubbed_when_the_body_held_a_scrubbed_value()
        => Assert.That(ScrubOne(@"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1a\r\nat http://127.0.0.1:54321/x\r\n0\r\n\r\n"),
            Is.EqualTo(@"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n{chunk-size}\r\nat http://{host}/x\r\n{chunk-size}\r\n\r\n"));

    [Test]
    public void Pipelined_messages_are_scrubbed_one_by_one()
    {
        // Split as the transcript arrives: the second status line starts a new message once the body ended.
        var lines = EscapedText.SplitLines(@"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok\nHTTP/1.1 200 OK\r\nDate: x\r\n\r\n");
        Assert.That(string.Concat(Scrubber.Scrub(lines)), Does.EndWith(@"HTTP/1.1 200 OK\r\nDate: {date}\r\n\r\n"));
    }

    [Test]
    public void Scrubbing_is_deterministic_and_leaves_bare_lf_visible()
    {
        const string message = @"HTTP/1.1 200 OK\nDate: Tue, 07 Jan 2025 10:00:00 GMT\n\n";
        var first = ScrubOne(message);
        Assert.That(ScrubOne(message), Is.EqualTo(first));
        Assert.That(ScrubOne(message), Is.EqualTo(@"HTTP/1.1 200 OK\nDate: {date}\n\n"));
    }
}

/// <summary>Messages that run into each other on one line are still scrubbed message by message.</summary>
public sealed class SnapshotScrubberMessageBoundaryTests
{
    [Test]
    public void A_response_that_starts_mid_line_after_a_body_is_scrubbed_as_a_head()
    {
        var scrubber = new Conformance.Harness.Snapshots.SnapshotScrubber(new Conformance.Harness.Snapshots.ScrubContext());
        var lines = scrubber.Scrub([
            "HTTP/1.1 200 OK\\r\\n", "Date: Sun, 06 Nov 1994 08:49:37 GMT\\r\\n", "Content-Length: 5\\r\\n", "\\r\\n",
            "helloHTTP/1.1 200 OK\\r\\n", "Date: Mon, 07 Nov 1994 08:49:37 GMT\\r\\n", "\\r\\n",
        ]);
        Assert.That(lines, Does.Contain("hello"));
        Assert.That(lines.Count(l => l == "Date: {date}\\r\\n"), Is.EqualTo(2), string.Join("\n", lines));
    }
}
