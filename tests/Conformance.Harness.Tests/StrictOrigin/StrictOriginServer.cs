using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Conformance.Harness.Tests.StrictOrigin;

/// <summary>
/// An HTTP/1.1 origin server written from RFC 9112 and RFC 9110, as an ASP.NET Core <see cref="IServer"/>: it owns
/// the wire (a plain socket on 127.0.0.1, port 0), parses every request strictly, and hands each valid one to the
/// application through <see cref="IHttpApplication{TContext}"/>. Kestrel is not involved. One connection serves its
/// requests strictly in order (pipelining, RFC 9112 §9.3.2); every request's content is read whole before the
/// application runs, and every response is buffered whole, so its framing is always an exact Content-Length.
/// </summary>
internal sealed class StrictOriginServer(StrictOriginOptions options) : IServer
{
    /// <summary>How long an idle persistent connection waits for the next request (RFC 9112 §9.5: a server may close it).</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(15);

    /// <summary>How long a begun request head or its content may take to arrive; then 408 (RFC 9110 §15.5.9) and a close.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    /// <summary>After a close is announced, how long the unread rest of the client's bytes is drained (see <see cref="CloseAsync"/>).</summary>
    public static readonly TimeSpan LingerTimeout = TimeSpan.FromSeconds(2);

    private readonly CancellationTokenSource stopping = new();
    private readonly List<Task> connections = [];
    private readonly Lock gate = new();
    private TcpListener? listener;
    private Task? accepting;

    public IFeatureCollection Features { get; } = new FeatureCollection();

    public int Port { get; private set; }

    /// <summary>
    /// Exceptions that ended a connection unexpectedly (a bug of this server, never of the client's bytes). The
    /// catalog tests require it to stay empty: a strict server that silently drops connections is not correct.
    /// </summary>
    public ConcurrentQueue<Exception> Faults { get; } = new();

    public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken) where TContext : notnull
    {
        listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var addresses = new ServerAddressesFeature();
        addresses.Addresses.Add($"http://127.0.0.1:{Port}");
        Features.Set<IServerAddressesFeature>(addresses);
        accepting = AcceptAsync(application);
        return Task.CompletedTask;
    }

    private async Task AcceptAsync<TContext>(IHttpApplication<TContext> application) where TContext : notnull
    {
        while (!stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener!.AcceptSocketAsync(stopping.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            socket.NoDelay = true;
            var serving = Task.Run(() => new StrictConnection<TContext>(socket, application, options, Faults).ServeAsync(stopping.Token));
            lock (gate)
            {
                connections.RemoveAll(c => c.IsCompleted);
                connections.Add(serving);
            }
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        listener?.Stop();
        if (accepting is not null) await accepting.ConfigureAwait(false);
        Task[] open;
        lock (gate) open = [.. connections];
        await Task.WhenAll(open).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        stopping.Cancel();
        listener?.Stop();
        stopping.Dispose();
    }

    private sealed class ServerAddressesFeature : IServerAddressesFeature
    {
        public ICollection<string> Addresses { get; } = [];

        public bool PreferHostingUrls { get; set; }
    }
}

/// <summary>One connection: request after request, in order, until a close (RFC 9112 §9).</summary>
internal sealed class StrictConnection<TContext>(Socket socket, IHttpApplication<TContext> application, StrictOriginOptions options, ConcurrentQueue<Exception> faults)
    where TContext : notnull
{
    private readonly ConnectionReader reader = new(socket);
    private readonly RequestBodyReader bodies = new(options);

    public async Task ServeAsync(CancellationToken stopping)
    {
        using var _ = socket;
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                if (!await ServeOneAsync(stopping).ConfigureAwait(false)) break;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException or IOException)
        {
            // The server is stopping, or the client went away mid-exchange: nobody is left to answer.
        }
#pragma warning disable CA1031 // Any other exception is this server's bug: kept for the tests to report, not rethrown on a pool thread.
        catch (Exception e)
#pragma warning restore CA1031
        {
            faults.Enqueue(e);
        }
    }

    /// <summary>Serves one request; false when the connection is to end.</summary>
    private async Task<bool> ServeOneAsync(CancellationToken stopping)
    {
        var parser = new RequestHeadParser(options);
        RequestHead? head = null;
        try
        {
            head = await parser.ReadAsync(reader, StrictOriginServer.IdleTimeout, StrictOriginServer.RequestTimeout, stopping).ConfigureAwait(false);
            if (head is null) return false;
            var framing = bodies.Frame(head);
            if (!await MeetExpectationsAsync(head, framing, stopping).ConfigureAwait(false)) return false;
            byte[]? content;
            using (var bound = CancellationTokenSource.CreateLinkedTokenSource(stopping))
            {
                bound.CancelAfter(StrictOriginServer.RequestTimeout);
                try
                {
                    content = await bodies.ReadAsync(reader, framing, bound.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
                {
                    throw new RequestRefusedException(408, "the request content did not arrive in time");
                }
            }
            if (content is null) return false;
            return await RespondAsync(head, framing, content, stopping).ConfigureAwait(false);
        }
        catch (RequestRefusedException refused)
        {
            var isHead = (head?.Method ?? parser.Method) == "HEAD";
            await SendAsync(ResponseWriter.Refusal(refused.Status, refused.Message, isHead), stopping).ConfigureAwait(false);
            await CloseAsync().ConfigureAwait(false);
            return false;
        }
    }

    /// <summary>
    /// RFC 9110 §10.1.1. "A server that receives a 100-continue expectation in an HTTP/1.0 request MUST ignore that
    /// expectation." Otherwise a 100 (Continue) goes out before the content is read, so a client that waits for it
    /// is never left waiting; an expectation other than 100-continue gets 417 ("MAY respond with a 417").
    /// </summary>
    private async Task<bool> MeetExpectationsAsync(RequestHead head, BodyFraming framing, CancellationToken stopping)
    {
        if (head.IsHttp10) return true;
        var expectations = head.ListMembers("Expect").ToList();
        if (expectations.Count == 0) return true;
        if (!options.IgnoreUnknownExpectations && expectations.Any(e => !e.Equals("100-continue", StringComparison.OrdinalIgnoreCase)))
            throw new RequestRefusedException(417, "the only expectation this server meets is 100-continue");
        // "A server MAY omit sending a 100 (Continue) response if it has already received some or all of the content":
        // with no content to come, there is nothing to continue.
        if (framing.HasContent && expectations.Any(e => e.Equals("100-continue", StringComparison.OrdinalIgnoreCase))) await SendAsync(ResponseWriter.Continue, stopping).ConfigureAwait(false);
        return true;
    }

    private async Task<bool> RespondAsync(RequestHead head, BodyFraming framing, byte[] content, CancellationToken stopping)
    {
        var request = new HttpRequestFeature
        {
            Protocol = head.IsHttp10 ? "HTTP/1.0" : "HTTP/1.1",
            Scheme = "http",
            Method = head.Method,
            PathBase = "",
            Path = head.Form is TargetForm.Origin or TargetForm.Absolute ? DecodePath(head.Path) : "",
            QueryString = head.Query,
            RawTarget = head.RawTarget,
            Body = new MemoryStream(content, writable: false),
        };
        foreach (var (name, value) in head.Fields) request.Headers.Append(name, value);
        var response = new StrictResponseFeature();
        using var aborted = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var features = new FeatureCollection();
        features.Set<IHttpRequestFeature>(request);
        features.Set<IHttpResponseFeature>(response);
        features.Set<IHttpResponseBodyFeature>(response);
        features.Set<IHttpRequestLifetimeFeature>(new HttpRequestLifetimeFeature { RequestAborted = aborted.Token });
        features.Set<IHttpRequestBodyDetectionFeature>(new BodyDetection(framing.HasContent));
        features.Set<IHttpConnectionFeature>(new HttpConnectionFeature
        {
            LocalIpAddress = (socket.LocalEndPoint as IPEndPoint)?.Address,
            LocalPort = (socket.LocalEndPoint as IPEndPoint)?.Port ?? 0,
            RemoteIpAddress = (socket.RemoteEndPoint as IPEndPoint)?.Address,
            RemotePort = (socket.RemoteEndPoint as IPEndPoint)?.Port ?? 0,
        });

        var context = application.CreateContext(features);
        Exception? failure = null;
        try
        {
            await application.ProcessRequestAsync(context).ConfigureAwait(false);
            await response.CompleteAsync().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // An application failure becomes a 500, as any server turns it into one; it must not end the connection loop.
        catch (Exception e)
#pragma warning restore CA1031
        {
            failure = e;
        }
        await response.StartingAsync().ConfigureAwait(false);

        var isHead = head.Method == "HEAD";
        var status = response.StatusCode;
        var invalid = failure is null ? ResponseWriter.InvalidField(response.Headers) : null;
        byte[] message;
        bool close;
        if (failure is not null || invalid is not null || status is < 200 or > 599 || !LengthAgrees(response, isHead, status))
        {
            // The application failed or produced a response that cannot be sent as valid HTTP: 500, and since its
            // state is unknown, a close.
            message = ResponseWriter.Refusal(500, "the application failed: " + (invalid ?? failure?.GetType().Name ?? "its response cannot be framed"), isHead);
            close = true;
        }
        else
        {
            // RFC 9112 §9.6: a request with "close" ends the connection after its response, which says so; §9.3: an
            // HTTP/1.0 connection persists only when keep-alive was asked for (and it is honoured); §6.1: after a
            // request framed by Transfer-Encoding despite a Content-Length, the server "MUST close the connection".
            // An application's own Connection: close is honoured too.
            close = head.HasConnectionOption("close")
                || (head.IsHttp10 && !head.HasConnectionOption("keep-alive"))
                || framing is BodyFraming.Chunked { CloseAfter: true }
                || options.CloseAfterEveryResponse
                || response.Headers.Connection.Any(v => v is not null && v.Split(',').Any(o => o.Trim(' ', '\t').Equals("close", StringComparison.OrdinalIgnoreCase)));
            // RFC 9112 §6.3: a response to HEAD and any 1xx, 204 or 304 ends at the empty line. HEAD and 304 keep the
            // length the application declared (what GET / 200 would carry, RFC 9110 §8.6), if it declared one.
            var noContent = isHead || status is 204 or 304;
            // The RFC-allowed response styles (see StrictOriginOptions): chunked only for an HTTP/1.1 request (§6.1: "A
            // server MUST NOT send a response containing Transfer-Encoding unless the corresponding request indicates
            // HTTP/1.1 (or later minor revisions)"); close-delimited only to HTTP/1.0, and then the close is announced.
            var style = new ResponseStyle(
                // Empty content keeps "Content-Length: 0": RFC 9110 §8.6's SHOULD (a Content-Length when the size is
                // known) and what an OPTIONS answer without content is expected to say (§9.3.7).
                ChunkContent: options.ChunkResponses && !head.IsHttp10 && !noContent && response.Content.Length > 0,
                OmitContentLength: options.CloseDelimitHttp10Responses && head.IsHttp10 && !noContent,
                EmptyReasonPhrase: options.EmptyReasonPhrase,
                LowercaseFieldNames: options.LowercaseFieldNames);
            close |= style.OmitContentLength;
            var disposition = close ? ConnectionDisposition.Close : head.IsHttp10 ? ConnectionDisposition.KeepAliveHttp10 : ConnectionDisposition.Persist;
            var declared = noContent ? (status is 204 ? null : response.Headers.ContentLength) : response.Content.Length;
            message = ResponseWriter.Serialize(status, response.ReasonPhrase, response.Headers,
                noContent ? ReadOnlyMemory<byte>.Empty : response.Content.GetBuffer().AsMemory(0, (int)response.Content.Length), declared, disposition, style);
        }
        await SendAsync(message, stopping).ConfigureAwait(false);
        await response.CompletedAsync().ConfigureAwait(false);
        application.DisposeContext(context, failure);
        if (close) await CloseAsync().ConfigureAwait(false);
        return !close;
    }

    /// <summary>
    /// The path the application maps, percent-decoded (RFC 3986 §2.1) as UTF-8, except "%2F": a decoded "/" would
    /// join two segments the client kept apart (RFC 3986 §2.2, reserved characters are not interchangeable with
    /// their encoding). A path whose octets do not decode to control-free UTF-8 names no resource this server has:
    /// it is handed over undecoded, so the application finds nothing there (404) rather than a mangled name.
    /// </summary>
    private static string DecodePath(string raw)
    {
        if (!raw.Contains('%', StringComparison.Ordinal)) return raw;
        var bytes = new List<byte>(raw.Length);
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] == '%' && !(raw[i + 1] == '2' && raw[i + 2] is 'F' or 'f'))
            {
                bytes.Add(Convert.ToByte(raw.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                bytes.Add((byte)raw[i]);
            }
        }
        try
        {
            var decoded = new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes.ToArray());
            return decoded.Any(char.IsControl) ? raw : decoded;
        }
        catch (System.Text.DecoderFallbackException)
        {
            return raw;
        }
    }

    /// <summary>A Content-Length the application declared must be the content's (RFC 9110 §8.6); HEAD and 304 declare without content.</summary>
    private static bool LengthAgrees(StrictResponseFeature response, bool isHead, int status) =>
        isHead || status is 204 or 304 || response.Headers.ContentLength is not { } declared || declared == response.Content.Length;

    private async Task SendAsync(byte[] bytes, CancellationToken stopping) =>
        await socket.SendAsync(bytes, SocketFlags.None, stopping).ConfigureAwait(false);

    /// <summary>
    /// RFC 9112 §9.6: "To avoid the TCP reset problem, servers typically close a connection in stages. First, the
    /// server performs a half-close by closing only the write side of the read/write connection. The server then
    /// continues to read from the connection until it receives a corresponding close by the client, or until the
    /// server is reasonably certain that its own TCP stack has received the client's acknowledgement". Bytes the
    /// client already sent are read and discarded, so they cannot make the kernel reset the connection and destroy
    /// the response before the client has read it; the wait is bounded by <see cref="StrictOriginServer.LingerTimeout"/>.
    /// </summary>
    private async Task CloseAsync()
    {
        try
        {
            socket.Shutdown(SocketShutdown.Send);
            using var linger = new CancellationTokenSource(StrictOriginServer.LingerTimeout);
            var sink = new byte[16 * 1024];
            while (await socket.ReceiveAsync(sink, SocketFlags.None, linger.Token).ConfigureAwait(false) > 0)
            {
                // Discarded: the connection is closing and nothing more on it is a request.
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The linger bound expired or the client reset: the close goes ahead either way.
        }
    }

    private sealed class BodyDetection(bool canHaveBody) : IHttpRequestBodyDetectionFeature
    {
        public bool CanHaveBody { get; } = canHaveBody;
    }
}
