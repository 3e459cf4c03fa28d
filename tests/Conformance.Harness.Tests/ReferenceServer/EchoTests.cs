using NUnit.Framework;
using System.Globalization;
using System.Text;

namespace Conformance.Harness.Tests.ReferenceServer;

[TestFixture]
public sealed class EchoTests : ReferenceServerTestBase
{
    private static readonly byte[] Payload = [.. "line one\r\nline two\n"u8, 0, 0x7f, 0x80, 0xff, .. "end"u8];

    [Test]
    public void Echo_returns_a_Content_Length_body_exactly()
    {
        var head = $"POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {Payload.Length.ToString(CultureInfo.InvariantCulture)}\r\nConnection: close\r\n\r\n";
        var reply = RawConnection.Exchange(Port, [.. Encoding.ASCII.GetBytes(head), .. Payload]);
        Assert.Multiple(() =>
        {
            Assert.That(reply.Status, Is.EqualTo(200));
            Assert.That(reply.Field("Content-Type"), Is.EqualTo("application/octet-stream"));
            Assert.That(reply.Body, Is.EqualTo(Payload));
        });
    }

    [Test]
    public void Echo_returns_a_chunked_body_decoded()
    {
        var head = "POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"u8;
        byte[] request = [.. head, .. "5;ext=1\r\n"u8, .. Payload[..5], .. "\r\n"u8,
            .. Encoding.ASCII.GetBytes($"{Payload.Length - 5:x}\r\n"), .. Payload[5..], .. "\r\n0\r\n\r\n"u8];
        var reply = RawConnection.Exchange(Port, request);
        Assert.That(reply.Status, Is.EqualTo(200));
        Assert.That(reply.Body, Is.EqualTo(Payload));
    }

    [Test]
    public void Echo_of_an_empty_body_is_an_empty_200()
    {
        var reply = Send(RawConnection.Request("POST", "/echo", "Content-Length: 0"));
        Assert.That(reply.Status, Is.EqualTo(200));
        Assert.That(reply.Field("Content-Length"), Is.EqualTo("0"));
    }

    // Kestrel raises an IOException for a chunk size that overflows its counter and a BadHttpRequestException
    // for other malformed chunk lines; the echo must answer both as the refusal they are (400 and a close),
    // never as a 500 that blames the server for a request it correctly declined to read.
    [TestCase("100000005", TestName = "Echo_refuses_a_chunk_size_overflowing_32_bits_with_400_and_a_close")]
    [TestCase("10000000000000005", TestName = "Echo_refuses_a_chunk_size_overflowing_64_bits_with_400_and_a_close")]
    [TestCase("zz", TestName = "Echo_refuses_a_chunk_size_that_is_not_hex_with_400_and_a_close")]
    public void Echo_refuses_malformed_chunked_content_with_400_and_a_close(string size)
    {
        var reply = Send($"POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n{size}\r\nhello\r\n0\r\n\r\n");
        Assert.Multiple(() =>
        {
            Assert.That(reply.Status, Is.EqualTo(400));
            Assert.That(reply.Field("Connection"), Is.EqualTo("close"));
        });
    }
}
