using System.Net;
using System.Net.Sockets;
using System.Text;
using Conformance.Harness.Engine;
using Conformance.Harness.Fixtures;
using Conformance.Harness.Model;
using static Conformance.Harness.Tests.Engine.CaseHarness;

namespace Conformance.Harness.Tests.Engine;

/// <summary>
/// The catalog's own cases (loaded from fixtures/cases, not copies) run over a real socket against a server
/// that replays the bytes nginx 1.22 and Apache 2.4 actually sent (docs/findings/nginx-apache.md): each
/// fixture fix made while investigating those servers is proved on the exact answer that exposed it.
/// </summary>
public sealed class ServerFindingsTests
{
    private static readonly Lazy<IReadOnlyList<ConformanceCase>> Catalog = new(() =>
    {
        var root = RepoPaths.Root();
        var set = ProductFixtures.Load(root, NamedCheckRegistry.Default);
        Assert.That(set.Errors, Is.Empty);
        return set.Cases;
    });

    private static ConformanceCase Case(string id) => Catalog.Value.Single(c => c.Id == id);

    private const string Nginx400 =
        "HTTP/1.1 400 Bad Request\r\nServer: nginx/1.22.1\r\nDate: {date}\r\nContent-Type: text/html; charset=utf-8\r\n" +
        "Content-Length: 11\r\nConnection: close\r\n\r\nBad Request";

    private const string Apache400Close =
        "HTTP/1.1 400 Bad Request\r\nDate: {date}\r\nServer: Apache/2.4.71 (Debian)\r\nContent-Length: 11\r\n" +
        "Connection: close\r\nContent-Type: text/html; charset=iso-8859-1\r\n\r\nBad Request";

    [Test]
    public async Task Options_asterisk_answered_400_is_judged_by_its_outcome_only_not_by_an_Allow_it_need_not_carry()
    {
        await using var server = new ReplayServer(_ => (Nginx400, true));
        var result = await RunAsync(Case("method-options-asterisk"), server.Port);
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Warn), Explain(result));
        Assert.That(result.Findings.Select(f => f.Rule), Is.EqualTo(new[] { "outcome" }), Explain(result));
    }

    [Test]
    public async Task Options_asterisk_200_without_Allow_is_still_a_broken_should()
    {
        await using var server = new ReplayServer(_ => ("HTTP/1.1 200 OK\r\nDate: {date}\r\nServer: Apache/2.4.71 (Debian)\r\nContent-Length: 0\r\n\r\n", false));
        var result = await RunAsync(Case("method-options-asterisk"), server.Port);
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Warn), Explain(result));
        Assert.That(result.Findings.Select(f => f.Rule), Is.EqualTo(new[] { "field-on-status" }), Explain(result));
    }

    [TestCase("method-options-asterisk")]
    [TestCase("method-options-resource")]
    public async Task Options_answered_501_by_a_server_that_does_not_implement_it_passes(string id)
    {
        await using var server = new ReplayServer(_ => ("HTTP/1.1 501 Not Implemented\r\nDate: {date}\r\nContent-Length: 0\r\n\r\n", false));
        var result = await RunAsync(Case(id), server.Port);
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Pass), Explain(result));
    }

    [Test]
    public async Task Unknown_transfer_coding_alone_answered_400_and_closed_passes_as_rfc9112_6_3_requires()
    {
        await using var server = new ReplayServer(_ => (Apache400Close, true));
        var result = await RunAsync(Case("te-unknown-alone-is-400"), server.Port, FaultProfile());
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Pass), Explain(result));
    }

    [Test]
    public async Task Unknown_transfer_coding_alone_answered_400_without_closing_is_caught()
    {
        await using var server = new ReplayServer(_ => (Apache400Close.Replace("Connection: close\r\n", "", StringComparison.Ordinal), false));
        var result = await RunAsync(Case("te-unknown-alone-is-400"), server.Port, FaultProfile());
        Assert.That(result.Verdict, Is.Not.EqualTo(Verdict.Pass), Explain(result));
        Assert.That(result.Findings.Select(f => f.Rule), Does.Contain("connection closed"), Explain(result));
    }

    [Test]
    public async Task Chunk_size_with_trailing_space_read_as_the_size_is_lenient_warn_not_fail()
    {
        // Apache: the echo of "hello", then the 404 for the request that followed the last chunk.
        const string replies =
            "HTTP/1.1 200 OK\r\nDate: {date}\r\nServer: Apache/2.4.71 (Debian)\r\nTransfer-Encoding: chunked\r\n" +
            "Content-Type: application/octet-stream\r\n\r\n5\r\nhello\r\n0\r\n\r\n" +
            "HTTP/1.1 404 Not Found\r\nDate: {date}\r\nServer: Apache/2.4.71 (Debian)\r\nContent-Length: 9\r\n" +
            "Content-Type: text/html; charset=iso-8859-1\r\n\r\nnot found";
        await using var server = new ReplayServer(_ => (replies, false));
        var result = await RunAsync(Case("chunked-invalid-size-trailing-space-no-ext"), server.Port, FaultProfile());
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Warn), Explain(result));
        Assert.That(result.Observed, Is.EqualTo(new[] { "200", "404" }), Explain(result));
    }

    [Test]
    public async Task Chunk_size_invalid_cases_other_than_trailing_space_still_fail_a_2xx()
    {
        await using var server = new ReplayServer(_ => ("HTTP/1.1 200 OK\r\nDate: {date}\r\nContent-Length: 5\r\n\r\nhello", false));
        var result = await RunAsync(Case("chunked-invalid-size-empty"), server.Port, FaultProfile());
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Fail), Explain(result));
    }

    [Test]
    public async Task The_8000_octet_target_has_no_segment_a_file_system_refuses_and_a_403_for_it_passes()
    {
        await using var server = new ReplayServer(_ => ("HTTP/1.1 403 Forbidden\r\nDate: {date}\r\nContent-Length: 9\r\n\r\nforbidden", false));
        var result = await RunAsync(Case("request-line-long-target-8000-is-served"), server.Port);
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Pass), Explain(result));
        var requestLine = server.Requests.First().Split("\r\n")[0];
        var target = requestLine.Split(' ')[1];
        Assert.That(target.Length, Is.GreaterThanOrEqualTo(7000).And.LessThan(8000 - "GET  HTTP/1.1".Length));
        Assert.That(target.Split('/').Max(s => s.Length), Is.LessThanOrEqualTo(255), "no path segment longer than NAME_MAX");
    }

    /// <summary>
    /// Answers whatever arrives on a connection (gathered until the client pauses) with canned bytes
    /// ("{date}" becomes the current IMF-fixdate); a request for "/" with "Connection: close" (the
    /// liveness probe) gets a plain 200 and a close.
    /// </summary>
    private sealed class ReplayServer : IAsyncDisposable
    {
        private readonly TcpListener listener = new(IPAddress.Loopback, 0);
        private readonly Func<string, (string Reply, bool Close)> reply;
        private readonly CancellationTokenSource stop = new();
        private readonly Task accepting;
        private readonly List<string> requests = [];

        public ReplayServer(Func<string, (string Reply, bool Close)> reply)
        {
            this.reply = reply;
            listener.Start();
            accepting = AcceptAsync();
        }

        public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

        public IReadOnlyList<string> Requests { get { lock (requests) return requests.ToList(); } }

        private async Task AcceptAsync()
        {
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    var socket = await listener.AcceptSocketAsync(stop.Token);
                    _ = ServeAsync(socket);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
            }
        }

        private async Task ServeAsync(Socket socket)
        {
            using var _ = socket;
            var buffer = new byte[65536];
            try
            {
                while (true)
                {
                    var received = new MemoryStream();
                    var n = await socket.ReceiveAsync(buffer, SocketFlags.None, stop.Token);
                    if (n == 0) return;
                    received.Write(buffer, 0, n);
                    while (true)
                    {
                        using var pause = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
                        pause.CancelAfter(60);
                        try
                        {
                            n = await socket.ReceiveAsync(buffer, SocketFlags.None, pause.Token);
                        }
                        catch (OperationCanceledException) when (!stop.IsCancellationRequested)
                        {
                            break;
                        }

                        if (n == 0) break;
                        received.Write(buffer, 0, n);
                    }

                    var text = Encoding.Latin1.GetString(received.ToArray());
                    var probe = text.StartsWith("GET / HTTP/1.1\r\n", StringComparison.Ordinal) && text.Contains("Connection: close", StringComparison.Ordinal);
                    if (!probe) lock (requests) requests.Add(text);
                    var (answer, close) = probe
                        ? ("HTTP/1.1 200 OK\r\nDate: {date}\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok", true)
                        : reply(text);
                    answer = answer.Replace("{date}", DateTimeOffset.UtcNow.ToString("r", System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
                    await socket.SendAsync(Encoding.Latin1.GetBytes(answer), SocketFlags.None, stop.Token);
                    if (close)
                    {
                        socket.Shutdown(SocketShutdown.Both);
                        return;
                    }
                }
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
            }
        }

        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            listener.Stop();
            await accepting;
            stop.Dispose();
        }
    }
}
