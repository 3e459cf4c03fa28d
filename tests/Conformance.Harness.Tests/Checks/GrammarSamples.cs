using Conformance.Harness.Checks;
using Conformance.Harness.Tests.Wire;
using Conformance.Harness.Wire;

namespace Conformance.Harness.Tests.Checks;

/// <summary>A crafted response, the request it answers, and whether the stream ended after it.</summary>
public sealed record GrammarSample(string Name, string Raw, string Method = "GET", string Version = "HTTP/1.1", bool Ended = false)
{
    public IReadOnlyList<Violation> Check()
    {
        var parsed = ResponseParser.Parse(Bytes.Of(Raw), Method == "HEAD", Ended ? StreamEnd.Closed : StreamEnd.Open, new WireOptions());
        Assert.That(parsed.Status, Is.EqualTo(ParseStatus.Parsed), $"sample {Name} did not parse: {parsed.Detail}");
        return ResponseGrammar.Check(new ResponseContext(parsed.Response!, Method, Version, DateTimeOffset.UnixEpoch));
    }

    public override string ToString() => Name;
}

/// <summary>One conformant response per shape, and one violating response per check id.</summary>
public static class GrammarSamples
{
    private const string D = Bytes.Date;

    public static IEnumerable<GrammarSample> Conformant()
    {
        yield return new("200 with Content-Length", $"HTTP/1.1 200 OK\r\n{D}Content-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello");
        yield return new("200 with empty reason", $"HTTP/1.1 200 \r\n{D}Content-Length: 0\r\n\r\n");
        yield return new("chunked with extension and trailer", $"HTTP/1.1 200 OK\r\n{D}Transfer-Encoding: chunked\r\n\r\n5;a=b\r\nhello\r\n0\r\nX-T: 1\r\n\r\n");
        yield return new("204 bare", $"HTTP/1.1 204 No Content\r\n{D}\r\n");
        yield return new("304 with Content-Length", $"HTTP/1.1 304 Not Modified\r\n{D}ETag: \"x\"\r\nContent-Length: 5\r\n\r\n");
        yield return new("HEAD with Content-Length", $"HTTP/1.1 200 OK\r\n{D}Content-Length: 5\r\n\r\n", Method: "HEAD");
        yield return new("100 Continue", "HTTP/1.1 100 Continue\r\n\r\n");
        yield return new("500 without Date", "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n");
        yield return new("HTTP/1.1 answer to HTTP/1.0", $"HTTP/1.1 200 OK\r\n{D}Content-Length: 0\r\nConnection: close\r\n\r\n", Version: "HTTP/1.0");
        yield return new("until close", $"HTTP/1.1 200 OK\r\n{D}Connection: close\r\n\r\nall of it", Ended: true);
        yield return new("Set-Cookie repeated, tab in value, obs-text", $"HTTP/1.1 200 OK\r\n{D}Set-Cookie: a=1\r\nSet-Cookie: b=2\r\nX-V: a\tb \u00e9\r\nLast-Modified: Sat, 05 Nov 1994 08:49:37 GMT\r\nContent-Length: 0\r\n\r\n");
    }

    /// <summary>For every check id: a response that breaks exactly that rule.</summary>
    public static IEnumerable<(string Id, GrammarSample Sample)> Violating()
    {
        yield return ("status-line.http-name", new("lowercase http", $"http/1.1 200 OK\r\n{D}Content-Length: 0\r\n\r\n"));
        yield return ("status-line.version", new("three-digit version", $"HTTP/1.10 200 OK\r\n{D}Content-Length: 0\r\n\r\n"));
        yield return ("status-line.status-code", new("two-digit status", $"HTTP/1.1 20 OK\r\n{D}Content-Length: 0\r\n\r\n"));
        yield return ("status-line.sp-after-status", new("no SP after status", $"HTTP/1.1 200\r\n{D}Content-Length: 0\r\n\r\n"));
        yield return ("status-line.reason-phrase", new("CTL in reason", $"HTTP/1.1 200 O\u0001K\r\n{D}Content-Length: 0\r\n\r\n"));
        yield return ("status-line.response-version", new("HTTP/2.0 on the wire", $"HTTP/2.0 200 OK\r\n{D}Content-Length: 0\r\n\r\n"));
        yield return ("line.crlf", new("bare LF lines", $"HTTP/1.1 200 OK\n{D.Replace("\r", "", StringComparison.Ordinal)}Content-Length: 0\n\n"));
        yield return ("line.bare-cr", new("bare CR in a value", $"HTTP/1.1 200 OK\r\n{D}X-Cr: a\rb\r\nContent-Length: 0\r\n\r\n"));
        yield return ("head.empty-line", new("no empty line", $"HTTP/1.1 200 OK\r\n{D}Content-Length: 0\r\n", Ended: true));
        yield return ("field.whitespace-before-colon", new("SP before colon", $"HTTP/1.1 200 OK\r\n{D}X-A : 1\r\nContent-Length: 0\r\n\r\n"));
        yield return ("field.name-token", new("@ in field name", $"HTTP/1.1 200 OK\r\n{D}X@A: 1\r\nContent-Length: 0\r\n\r\n"));
        yield return ("field.obs-fold", new("obs-fold", $"HTTP/1.1 200 OK\r\n{D}X-A: 1\r\n 2\r\nContent-Length: 0\r\n\r\n"));
        yield return ("field.value-ctl", new("NUL in value", $"HTTP/1.1 200 OK\r\n{D}X-A: a\0b\r\nContent-Length: 0\r\n\r\n"));
        yield return ("date.present", new("no Date in 200", "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
        yield return ("date.imf-fixdate", new("RFC 850 date", "HTTP/1.1 200 OK\r\nDate: Sunday, 06-Nov-94 08:49:37 GMT\r\nContent-Length: 0\r\n\r\n"));
        yield return ("framing.cl-in-1xx-204", new("Content-Length in 204", $"HTTP/1.1 204 No Content\r\n{D}Content-Length: 0\r\n\r\n"));
        yield return ("framing.te-in-1xx-204", new("Transfer-Encoding in 204", $"HTTP/1.1 204 No Content\r\n{D}Transfer-Encoding: chunked\r\n\r\n"));
        yield return ("framing.cl-and-te", new("CL and TE", $"HTTP/1.1 200 OK\r\n{D}Transfer-Encoding: chunked\r\nContent-Length: 15\r\n\r\n5\r\nhello\r\n0\r\n\r\n"));
        yield return ("framing.cl-valid", new("CL list", $"HTTP/1.1 200 OK\r\n{D}Content-Length: 5, 5\r\n\r\nhello"));
        yield return ("framing.no-content", new("body on HEAD", $"HTTP/1.1 200 OK\r\n{D}Content-Length: 5\r\n\r\nhello", Method: "HEAD"));
        yield return ("framing.incomplete", new("CL too long", $"HTTP/1.1 200 OK\r\n{D}Content-Length: 10\r\n\r\nhello", Ended: true));
        yield return ("framing.te-for-http10", new("chunked to HTTP/1.0", $"HTTP/1.1 200 OK\r\n{D}Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", Version: "HTTP/1.0"));
        yield return ("framing.chunked-syntax", new("bare LF after chunk-size", $"HTTP/1.1 200 OK\r\n{D}Transfer-Encoding: chunked\r\n\r\n5\nhello\r\n0\r\n\r\n"));
    }

    /// <summary>More violating shapes that must still be caught by the named check (not necessarily alone).</summary>
    public static IEnumerable<(string Id, GrammarSample Sample)> MoreViolating()
    {
        yield return ("status-line.response-version", new("HTTP/1.0 answer to HTTP/1.1", $"HTTP/1.0 200 OK\r\n{D}Content-Length: 0\r\n\r\n"));
        yield return ("date.imf-fixdate", new("weekday does not match", "HTTP/1.1 200 OK\r\nDate: Mon, 06 Nov 1994 08:49:37 GMT\r\nContent-Length: 0\r\n\r\n"));
        yield return ("date.imf-fixdate", new("lowercase gmt", "HTTP/1.1 200 OK\r\nDate: Sun, 06 Nov 1994 08:49:37 gmt\r\nContent-Length: 0\r\n\r\n"));
        yield return ("framing.cl-valid", new("differing CL lines", $"HTTP/1.1 200 OK\r\n{D}Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", Ended: true));
        yield return ("framing.cl-valid", new("non-numeric CL", $"HTTP/1.1 200 OK\r\n{D}Content-Length: +5\r\n\r\nhello", Ended: true));
        yield return ("framing.incomplete", new("missing last chunk", $"HTTP/1.1 200 OK\r\n{D}Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n", Ended: true));
        yield return ("framing.chunked-syntax", new("bad chunk-size", $"HTTP/1.1 200 OK\r\n{D}Transfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n"));
        yield return ("framing.no-content", new("body on 204", $"HTTP/1.1 204 No Content\r\n{D}\r\nhello"));
        yield return ("field.name-token", new("line without colon", $"HTTP/1.1 200 OK\r\n{D}NoColonHere\r\nContent-Length: 0\r\n\r\n"));
        yield return ("line.crlf", new("bare LF only on the empty line", $"HTTP/1.1 200 OK\r\n{D}Content-Length: 0\r\n\n"));
    }
}
