using Conformance.Harness.Wire;

namespace Conformance.Harness.Tests.Wire;

public class ResponseParserTests
{
    private static readonly WireOptions Options = new();

    private static ParseResult Parse(string raw, bool head = false, StreamEnd end = StreamEnd.Open, WireOptions? options = null) =>
        ResponseParser.Parse(Bytes.Of(raw), head, end, options ?? Options);

    private static RawResponse Parsed(string raw, bool head = false, StreamEnd end = StreamEnd.Open)
    {
        var result = Parse(raw, head, end);
        Assert.That(result.Status, Is.EqualTo(ParseStatus.Parsed), result.Detail);
        return result.Response!;
    }

    [Test]
    public void Crlf_and_bare_lf_lines_keep_their_terminators_and_offsets()
    {
        var r = Parsed("HTTP/1.1 200 OK\r\nA: 1\nB: 2\r\n\r\n", head: true);
        Assert.Multiple(() =>
        {
            Assert.That(r.StatusLine.Terminator, Is.EqualTo(LineTerminator.CrLf));
            Assert.That(r.Fields.Select(f => f.Line.Terminator), Is.EqualTo(new[] { LineTerminator.Lf, LineTerminator.CrLf }));
            Assert.That(r.Fields.Select(f => f.Line.Offset), Is.EqualTo(new long[] { 17, 22 }));
            Assert.That(r.HeaderTerminator!.Offset, Is.EqualTo(28));
            Assert.That(r.BodyOffset, Is.EqualTo(30));
            Assert.That(r.Complete, Is.True);
        });
    }

    [Test]
    public void Status_line_parts_follow_rfc9112_section4()
    {
        var ok = Parsed("HTTP/1.1 404 Not Found\r\n\r\n", head: true);
        var noReason = Parsed("HTTP/1.1 204 \r\n\r\n");
        var noSp = Parsed("HTTP/1.1 204\r\n\r\n");
        var twoDigits = Parsed("HTTP/1.1 20 OK\r\nContent-Length: 0\r\n\r\n");
        var lower = Parsed("http/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        Assert.Multiple(() =>
        {
            Assert.That((ok.HttpVersion, ok.StatusCode, ok.ReasonPhrase), Is.EqualTo(("HTTP/1.1", (int?)404, (string?)"Not Found")));
            Assert.That((noReason.StatusCode, noReason.ReasonPhrase), Is.EqualTo(((int?)204, (string?)"")));
            Assert.That((noSp.StatusCode, noSp.ReasonPhrase), Is.EqualTo(((int?)204, (string?)null)));
            Assert.That(twoDigits.StatusCode, Is.Null);
            Assert.That(lower.HttpVersion, Is.EqualTo("http/1.1"));
        });
    }

    [Test]
    public void Whitespace_before_colon_is_recorded_and_trimmed_from_the_name()
    {
        var f = Parsed("HTTP/1.1 200 OK\r\nContent-Type \t: text/plain  \r\nContent-Length: 0\r\n\r\n").Fields[0];
        Assert.Multiple(() =>
        {
            Assert.That(f.Name, Is.EqualTo("Content-Type"));
            Assert.That(f.Value, Is.EqualTo("text/plain"));
            Assert.That(f.WhitespaceBeforeColon, Is.True);
        });
    }

    [Test]
    public void Obs_fold_lines_attach_to_the_previous_field()
    {
        var r = Parsed("HTTP/1.1 200 OK\r\nX-A: one\r\n two\r\n\tthree\r\nX-B: 1\r\nContent-Length: 0\r\n\r\n");
        Assert.Multiple(() =>
        {
            Assert.That(r.Fields.Select(f => f.Name), Is.EqualTo(new[] { "X-A", "X-B", "Content-Length" }));
            Assert.That(r.Fields[0].Value, Is.EqualTo("one two three"));
            Assert.That(r.Fields[0].ObsFoldContinuations.Select(l => l.Offset), Is.EqualTo(new long[] { 27, 33 }));
        });
    }

    [Test]
    public void Repeated_set_cookie_lines_stay_separate_with_their_offsets()
    {
        var r = Parsed("HTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\nContent-Length: 0\r\n\r\n");
        var cookies = r.FieldsNamed("set-cookie").ToList();
        Assert.Multiple(() =>
        {
            Assert.That(cookies.Select(c => c.Value), Is.EqualTo(new[] { "a=1", "b=2" }));
            Assert.That(cookies.Select(c => c.Line.Offset), Is.EqualTo(new long[] { 17, 34 }));
        });
    }

    [Test]
    public void Content_length_body_is_read_exactly()
    {
        var result = Parse("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhelloEXTRA");
        Assert.Multiple(() =>
        {
            Assert.That(result.Response!.Framing, Is.EqualTo(BodyFraming.ContentLength));
            Assert.That(result.Response.Body, Is.EqualTo(Bytes.Of("hello")));
            Assert.That(result.Consumed, Is.EqualTo(result.Response.Bytes.Length));
            Assert.That(result.Consumed, Is.EqualTo(43));
        });
    }

    [Test]
    public void Partial_content_length_body_needs_more_until_the_stream_ends()
    {
        const string raw = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello";
        Assert.That(Parse(raw).Status, Is.EqualTo(ParseStatus.NeedMore));
        var closed = Parse(raw, end: StreamEnd.Closed).Response!;
        Assert.Multiple(() =>
        {
            Assert.That(closed.Complete, Is.False);
            Assert.That(closed.IncompleteReason, Does.Contain("5 of 10"));
            Assert.That(closed.Body, Is.EqualTo(Bytes.Of("hello")));
        });
    }

    [Test]
    public void Chunked_body_is_decoded_with_extensions_and_trailers()
    {
        var r = Parsed("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;name=value\r\nhello\r\n6 ; x\r\n world\r\n0\r\nX-Checksum: abc\r\n\r\nNEXT");
        Assert.Multiple(() =>
        {
            Assert.That(r.Framing, Is.EqualTo(BodyFraming.Chunked));
            Assert.That(r.Body, Is.EqualTo(Bytes.Of("hello world")));
            Assert.That(r.Trailers.Single().Value, Is.EqualTo("abc"));
            Assert.That(r.Complete, Is.True);
            Assert.That(r.ChunkedSyntaxIssues, Is.Empty);
            Assert.That(r.Bytes, Does.Not.Contain((byte)'N'));
        });
    }

    [Test]
    public void Bad_chunk_size_is_recorded_not_thrown()
    {
        var r = Parsed("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n");
        Assert.Multiple(() =>
        {
            Assert.That(r.Complete, Is.False);
            Assert.That(r.IncompleteReason, Does.Contain("invalid chunk-size"));
            Assert.That(r.ChunkedSyntaxIssues.Single().Fatal, Is.True);
        });
    }

    [Test]
    public void Missing_last_chunk_is_incomplete_when_the_stream_ends()
    {
        const string raw = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n";
        Assert.That(Parse(raw).Status, Is.EqualTo(ParseStatus.NeedMore));
        var r = Parse(raw, end: StreamEnd.Closed).Response!;
        Assert.Multiple(() =>
        {
            Assert.That(r.Complete, Is.False);
            Assert.That(r.Body, Is.EqualTo(Bytes.Of("hello")));
        });
    }

    [TestCase("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", true, TestName = "HEAD response with Content-Length has no body")]
    [TestCase("HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n", false)]
    [TestCase("HTTP/1.1 304 Not Modified\r\nContent-Length: 5\r\n\r\n", false)]
    [TestCase("HTTP/1.1 100 Continue\r\n\r\n", false)]
    public void Bodyless_responses_end_at_the_empty_line(string raw, bool head)
    {
        var result = Parse(raw + "HTTP/1.1 200 OK\r\n", head);
        Assert.Multiple(() =>
        {
            Assert.That(result.Response!.Framing, Is.EqualTo(BodyFraming.NoContent));
            Assert.That(result.Consumed, Is.EqualTo(raw.Length));
            Assert.That(result.Response.UnexpectedBytesAfterEnd, Is.Null);
        });
    }

    [Test]
    public void Content_after_a_head_response_is_recorded_as_evidence()
    {
        var r = Parsed("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", head: true);
        Assert.That(r.UnexpectedBytesAfterEnd, Is.EqualTo(Bytes.Of("hello")));
    }

    [Test]
    public void Two_pipelined_responses_in_one_buffer_parse_in_order()
    {
        var buffer = Bytes.Of("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nAHTTP/1.1 404 Not Found\r\nContent-Length: 1\r\n\r\nB");
        var first = ResponseParser.Parse(buffer, false, StreamEnd.Open, Options);
        var second = ResponseParser.Parse(buffer.AsSpan(first.Consumed), false, StreamEnd.Open, Options, first.Consumed);
        Assert.Multiple(() =>
        {
            Assert.That(first.Response!.Body, Is.EqualTo(Bytes.Of("A")));
            Assert.That(second.Response!.StatusCode, Is.EqualTo(404));
            Assert.That(second.Response.Body, Is.EqualTo(Bytes.Of("B")));
            Assert.That(second.Response.StreamOffset, Is.EqualTo(first.Consumed));
            Assert.That(first.Consumed + second.Consumed, Is.EqualTo(buffer.Length));
        });
    }

    [Test]
    public void Until_close_body_completes_on_the_servers_close_or_reset_never_on_our_timeout()
    {
        const string raw = "HTTP/1.1 200 OK\r\n\r\nstream";
        Assert.That(Parse(raw).Status, Is.EqualTo(ParseStatus.NeedMore));
        var closed = Parse(raw, end: StreamEnd.Closed).Response!;
        var reset = Parse(raw, end: StreamEnd.Reset).Response!;
        var timedOut = Parse(raw, end: StreamEnd.TimedOut).Response!;
        Assert.Multiple(() =>
        {
            Assert.That((closed.Framing, closed.Complete), Is.EqualTo((BodyFraming.UntilClose, true)));
            Assert.That(closed.Body, Is.EqualTo(Bytes.Of("stream")));
            // RFC 9112 §8 defines "incomplete" for chunked and Content-Length bodies only.
            Assert.That((reset.Complete, reset.Body), Is.EqualTo((true, Bytes.Of("stream"))));
            Assert.That(timedOut.Complete, Is.False);
        });
    }

    [Test]
    public void A_reset_before_a_content_length_body_is_complete_leaves_it_incomplete()
    {
        var reset = Parse("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", end: StreamEnd.Reset).Response!;
        Assert.That(reset.Complete, Is.False);
    }

    [Test]
    public void Differing_content_lengths_fall_back_to_until_close_without_crashing()
    {
        var r = Parsed("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", end: StreamEnd.Closed);
        Assert.That((r.Framing, r.Body.Length), Is.EqualTo((BodyFraming.UntilClose, 6)));
    }

    [Test]
    public void Head_cut_off_by_the_stream_end_is_incomplete_with_a_none_terminated_line()
    {
        var r = Parsed("HTTP/1.1 200 OK\r\nContent-Len", end: StreamEnd.Closed);
        Assert.Multiple(() =>
        {
            Assert.That(r.HeaderTerminator, Is.Null);
            Assert.That(r.Complete, Is.False);
            Assert.That(r.Fields.Single().Line.Terminator, Is.EqualTo(LineTerminator.None));
        });
    }

    [Test]
    public void Head_larger_than_the_cap_ends_as_truncated_instead_of_waiting()
    {
        var options = new WireOptions { MaxHeadBytes = 64 };
        var result = Parse("HTTP/1.1 200 OK\r\nX-Long: " + new string('a', 200), options: options);
        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(ParseStatus.Parsed));
            Assert.That(result.Response!.Truncated, Is.True);
            Assert.That(result.Consumed, Is.EqualTo(64));
        });
    }

    [Test]
    public void Body_larger_than_the_cap_is_truncated_and_bounded()
    {
        var options = new WireOptions { MaxBodyBytes = 10 };
        var result = Parse("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n" + new string('b', 50), options: options);
        Assert.Multiple(() =>
        {
            Assert.That(result.Response!.Truncated, Is.True);
            Assert.That(result.Response.Body, Has.Length.EqualTo(10));
            Assert.That(result.Response.Complete, Is.False);
        });
    }

    [TestCase("garbage\r\n")]
    [TestCase("\u0016\u0003\u0001\u0002\u0000")]
    [TestCase("\r\nHTTP/1.1 200 OK\r\n")]
    public void Bytes_that_do_not_start_like_a_status_line_are_not_http(string raw)
    {
        var result = Parse(raw);
        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(ParseStatus.NotHttp));
            Assert.That(result.Detail, Does.Contain("HTTP/"));
        });
    }

    [Test]
    public void A_prefix_of_http_waits_for_more()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Parse("HT").Status, Is.EqualTo(ParseStatus.NeedMore));
            Assert.That(Parse("HT", end: StreamEnd.Closed).Status, Is.EqualTo(ParseStatus.NotHttp));
            Assert.That(Parse("HTTP/1.1 200 OK\r\n").Status, Is.EqualTo(ParseStatus.NeedMore));
        });
    }

    [Test]
    public void Bare_lf_in_chunk_framing_is_recorded_as_a_chunked_syntax_issue()
    {
        var r = Parsed("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\nhello\n0\r\n\n");
        Assert.Multiple(() =>
        {
            Assert.That(r.Complete, Is.True);
            Assert.That(r.Body, Is.EqualTo(Bytes.Of("hello")));
            Assert.That(r.ChunkedSyntaxIssues.Select(i => i.Fatal), Is.EqualTo(new[] { false, false, false }));
        });
    }

    [Test]
    public void Endless_trailer_section_is_bounded()
    {
        var trailers = string.Concat(Enumerable.Repeat("X-T: 1\r\n", 10_000));
        var result = Parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n" + trailers);
        Assert.That((result.Status, result.Response?.Truncated), Is.EqualTo((ParseStatus.Parsed, (bool?)true)));
    }
}
