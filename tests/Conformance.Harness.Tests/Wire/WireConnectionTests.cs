using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Conformance.Harness.Tests.FaultServer;
using Conformance.Harness.Wire;

namespace Conformance.Harness.Tests.Wire;

public class WireConnectionTests
{
    private static readonly WireOptions Options = new()
    {
        ConnectTimeout = TimeSpan.FromSeconds(2),
        ReadTimeout = TimeSpan.FromMilliseconds(400),
        ResponseDeadline = TimeSpan.FromSeconds(3),
    };

    private static string Get(string path, string extra = "") => $"GET {path} HTTP/1.1\r\nHost: localhost\r\n{extra}\r\n";

    private static async Task<(FaultServer.FaultServer Server, WireConnection Connection)> OpenAsync(WireOptions? options = null)
    {
        var server = new FaultServer.FaultServer();
        var connection = await WireConnection.ConnectAsync("127.0.0.1", server.Port, options ?? Options, CancellationToken.None);
        return (server, connection);
    }

    [Test]
    public async Task Response_is_read_and_transcript_keeps_exact_bytes()
    {
        var (server, c) = await OpenAsync();
        await using (server)
        await using (c)
        {
            await c.SendAsync(Bytes.Of(Get("/")), CancellationToken.None);
            var outcome = await c.ReadResponseAsync(false, CancellationToken.None);
            Assert.Multiple(() =>
            {
                Assert.That(outcome.Kind, Is.EqualTo(ReadOutcomeKind.Response));
                Assert.That(outcome.Response!.Body, Is.EqualTo(Bytes.Of("hello")));
                Assert.That(outcome.Received, Is.EqualTo(outcome.Response.Bytes));
                Assert.That(c.Transcript.Where(t => t.Direction == Direction.Sent).SelectMany(t => t.Bytes), Is.EqualTo(Bytes.Of(Get("/"))));
                Assert.That(c.Transcript.Where(t => t.Direction == Direction.Received).SelectMany(t => t.Bytes), Is.EqualTo(outcome.Received));
                Assert.That(c.Transcript.Select(t => t.At), Is.Ordered);
            });
        }
    }

    [Test]
    public async Task Close_before_response_is_detected()
    {
        var (server, c) = await OpenAsync();
        await using (server)
        await using (c)
        {
            await c.SendAsync(Bytes.Of(Get("/close")), CancellationToken.None);
            var outcome = await c.ReadResponseAsync(false, CancellationToken.None);
            Assert.Multiple(() =>
            {
                Assert.That(outcome.Kind, Is.EqualTo(ReadOutcomeKind.ClosedBeforeResponse));
                Assert.That(outcome.ConnectionEnded, Is.True);
                Assert.That(c.RemoteEnded, Is.True);
            });
        }
    }

    [Test]
    public async Task Reset_before_response_is_detected_and_later_sends_return_false()
    {
        var (server, c) = await OpenAsync();
        await using (server)
        await using (c)
        {
            await c.SendAsync(Bytes.Of(Get("/reset")), CancellationToken.None);
            var outcome = await c.ReadResponseAsync(false, CancellationToken.None);
            Assert.That(outcome.Kind, Is.EqualTo(ReadOutcomeKind.ResetBeforeResponse), outcome.Detail);
            Assert.That(await c.SendAsync(Bytes.Of(Get("/")), CancellationToken.None), Is.False);
            Assert.That(c.Transcript.Last().Direction, Is.EqualTo(Direction.Event));
        }
    }

    [Test]
    public async Task Silent_server_times_out_within_the_read_bound()
    {
        var (server, c) = await OpenAsync();
        await using (server)
        await using (c)
        {
            await c.SendAsync(Bytes.Of(Get("/hang")), CancellationToken.None);
            var clock = Stopwatch.StartNew();
            var outcome = await c.ReadResponseAsync(false, CancellationToken.None);
            clock.Stop();
            Assert.Multiple(() =>
            {
                Assert.That(outcome.Kind, Is.EqualTo(ReadOutcomeKind.TimedOut));
                Assert.That(outcome.Detail, Does.Contain("400 ms"));
                Assert.That(clock.Elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(350)).And.LessThan(TimeSpan.FromSeconds(2)));
            });
        }
    }

    [Test]
    public async Task Trickling_response_is_cut_at_the_response_deadline()
    {
        var options = Options with { ReadTimeout = TimeSpan.FromSeconds(2), ResponseDeadline = TimeSpan.FromMilliseconds(500) };
        var (server, c) = await OpenAsync(options);
        await using (server)
        await using (c)
        {
            server.Map("/partial", _ => new FaultResponse { Raw = Bytes.Of("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello") });
            await c.SendAsync(Bytes.Of(Get("/partial")), CancellationToken.None);
            var clock = Stopwatch.StartNew();
            var outcome = await c.ReadResponseAsync(false, CancellationToken.None);
            Assert.Multiple(() =>
            {
                Assert.That(outcome.Kind, Is.EqualTo(ReadOutcomeKind.Response));
                Assert.That(outcome.Response!.Complete, Is.False);
                Assert.That(outcome.Response.IncompleteReason, Does.Contain("5 of 10"));
                Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(1.5)));
            });
        }
    }

    [Test]
    public async Task Pipelined_responses_are_read_in_order_and_extra_bytes_stay_buffered()
    {
        var (server, c) = await OpenAsync();
        await using (server)
        await using (c)
        {
            server.Map("/a", _ => FaultResponse.Text(200, "OK", "A"));
            server.Map("/b", _ => FaultResponse.Text(200, "OK", "B"));
            await c.SendAsync(Bytes.Of(Get("/a") + Get("/b")), CancellationToken.None);
            var first = await c.ReadResponseAsync(false, CancellationToken.None);
            var second = await c.ReadResponseAsync(false, CancellationToken.None);
            Assert.Multiple(() =>
            {
                Assert.That(first.Response!.Body, Is.EqualTo(Bytes.Of("A")));
                Assert.That(second.Response!.Body, Is.EqualTo(Bytes.Of("B")));
                Assert.That(second.Response.StreamOffset, Is.EqualTo(first.Received.Length));
            });
        }
    }

    [Test]
    public async Task Bytes_past_the_response_are_counted_as_buffered()
    {
        var (server, c) = await OpenAsync();
        await using (server)
        await using (c)
        {
            const string two = "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nAHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nB";
            server.Map("/two", _ => new FaultResponse { Raw = Bytes.Of(two) });
            await c.SendAsync(Bytes.Of(Get("/two")), CancellationToken.None);
            var first = await c.ReadResponseAsync(false, CancellationToken.None);
            var buffered = c.BufferedByteCount;
            var second = await c.ReadResponseAsync(false, CancellationToken.None);
            Assert.Multiple(() =>
            {
                Assert.That(first.Response!.Body, Is.EqualTo(Bytes.Of("A")));
                Assert.That(buffered, Is.EqualTo(two.Length - first.Received.Length));
                Assert.That(second.Response!.Body, Is.EqualTo(Bytes.Of("B")));
                Assert.That(c.BufferedByteCount, Is.Zero);
            });
        }
    }

    [Test]
    public async Task Interim_100_continue_is_kept_before_the_final_response()
    {
        var (server, c) = await OpenAsync();
        await using (server)
        await using (c)
        {
            var request = "POST /echo HTTP/1.1\r\nHost: localhost\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\nping";
            await c.SendAsync(Bytes.Of(request), CancellationToken.None);
            var outcome = await c.ReadResponseAsync(false, CancellationToken.None);
            Assert.Multiple(() =>
            {
                Assert.That(outcome.Interim.Select(i => i.StatusCode), Is.EqualTo(new int?[] { 100 }));
                Assert.That(outcome.Response!.StatusCode, Is.EqualTo(200));
                Assert.That(outcome.Response.Body, Is.EqualTo(Bytes.Of("ping")));
            });
        }
    }

    [Test]
    public async Task Not_http_bytes_are_reported_as_such()
    {
        var (server, c) = await OpenAsync();
        await using (server)
        await using (c)
        {
            server.Map("/garbage", _ => new FaultResponse { Raw = Bytes.Of("garbage\r\n") });
            await c.SendAsync(Bytes.Of(Get("/garbage")), CancellationToken.None);
            var outcome = await c.ReadResponseAsync(false, CancellationToken.None);
            Assert.Multiple(() =>
            {
                Assert.That(outcome.Kind, Is.EqualTo(ReadOutcomeKind.NotHttp));
                Assert.That(outcome.Detail, Does.Contain("garbage\\r\\n"));
            });
        }
    }

    [Test]
    public async Task Wait_for_close_sees_a_close_after_connection_close()
    {
        var (server, c) = await OpenAsync();
        await using (server)
        await using (c)
        {
            await c.SendAsync(Bytes.Of(Get("/", "Connection: close\r\n")), CancellationToken.None);
            var outcome = await c.ReadResponseAsync(false, CancellationToken.None);
            Assert.That(outcome.Kind, Is.EqualTo(ReadOutcomeKind.Response));
            Assert.That(await c.WaitForCloseAsync(TimeSpan.FromSeconds(2), CancellationToken.None), Is.EqualTo(CloseObservation.Closed));
        }
    }

    [Test]
    public async Task Wait_for_close_reports_still_open_on_keep_alive()
    {
        var (server, c) = await OpenAsync();
        await using (server)
        await using (c)
        {
            await c.SendAsync(Bytes.Of(Get("/")), CancellationToken.None);
            await c.ReadResponseAsync(false, CancellationToken.None);
            Assert.That(await c.WaitForCloseAsync(TimeSpan.FromMilliseconds(200), CancellationToken.None), Is.EqualTo(CloseObservation.StillOpen));
            // Still usable: proven by a follow-up request on the same connection.
            await c.SendAsync(Bytes.Of(Get("/")), CancellationToken.None);
            Assert.That((await c.ReadResponseAsync(false, CancellationToken.None)).Response!.StatusCode, Is.EqualTo(200));
            Assert.That(server.RequestCount, Is.EqualTo(2));
        }
    }

    [Test]
    public async Task Wait_for_close_reports_data_that_arrived_instead()
    {
        var (server, c) = await OpenAsync();
        await using (server)
        await using (c)
        {
            await c.SendAsync(Bytes.Of(Get("/")), CancellationToken.None);
            Assert.That(await c.WaitForCloseAsync(TimeSpan.FromSeconds(2), CancellationToken.None), Is.EqualTo(CloseObservation.DataArrived));
            Assert.That(c.BufferedByteCount, Is.GreaterThan(0));
            Assert.That((await c.ReadResponseAsync(false, CancellationToken.None)).Response!.StatusCode, Is.EqualTo(200));
        }
    }

    [Test]
    public void Refused_port_throws_target_unreachable_naming_the_endpoint()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var e = Assert.ThrowsAsync<TargetUnreachableException>(() => WireConnection.ConnectAsync("127.0.0.1", port, Options, CancellationToken.None));
        Assert.That(e!.Message, Does.Contain($"127.0.0.1:{port}").And.Contain("refused"));
    }

    [Test]
    public void Unknown_host_throws_target_unreachable()
    {
        var e = Assert.ThrowsAsync<TargetUnreachableException>(() => WireConnection.ConnectAsync("no-such-host.invalid", 80, Options, CancellationToken.None));
        Assert.That(e!.Message, Does.Contain("no-such-host.invalid:80"));
    }
}
