using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;

namespace Conformance.Harness.Wire;

// The implementation of WireConnection: connect, exact sends, framed reads, close waits, all bounded.
public sealed partial class WireConnection
{
    private const int ReadChunk = 64 * 1024;

    private readonly Socket _socket;
    // Null over plain TCP (reads and writes go to the socket itself); the TLS stream over it for an https target.
    private SslStream? _tls;
    // A TLS read is never cancelled (cancelling SslStream mid-record would lose the record): one read stays
    // pending across a timeout and the next wait picks it up.
    private Task<TlsRead>? _pendingTlsRead;
    private readonly byte[] _tlsChunk = new byte[ReadChunk];
    private readonly WireOptions _options;
    private readonly string _endpoint;
    private readonly Stopwatch _clock;
    private readonly List<TranscriptEntry> _transcript = [];
    private byte[] _buffer = new byte[ReadChunk];
    private int _buffered;
    private long _consumedTotal;
    private StreamEnd _end = StreamEnd.Open;
    private string? _unframedBecause;
    private bool _disposed;

    private WireConnection(Socket socket, WireOptions options, string endpoint, Stopwatch clock)
    {
        _socket = socket;
        _options = options;
        _endpoint = endpoint;
        _clock = clock;
    }

    /// <summary>
    /// Connects to host:port within options.ConnectTimeout, and with <paramref name="tls"/> completes a TLS
    /// handshake within the same bound (SNI the host, ALPN http/1.1 only). Throws
    /// <see cref="TargetUnreachableException"/> on refusal, unknown host, timeout or a failed handshake (a refused
    /// certificate names why).
    /// </summary>
    public static async Task<WireConnection> ConnectAsync(string host, int port, WireOptions options, CancellationToken cancellationToken, TlsClientOptions? tls = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(options);
        var endpoint = $"{host}:{port}";
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(options.ConnectTimeout);
        Socket? socket = null;
        try
        {
            var addresses = IPAddress.TryParse(host, out var literal)
                ? [literal]
                : await Dns.GetHostAddressesAsync(host, bound.Token).ConfigureAwait(false);
            // Prefer IPv4: targets are loopback servers that commonly bind 127.0.0.1 only.
            var address = addresses.OrderBy(a => a.AddressFamily == AddressFamily.InterNetwork ? 0 : 1).FirstOrDefault()
                ?? throw new TargetUnreachableException($"cannot reach {endpoint}: the host name resolved to no address");
            socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            var clock = Stopwatch.StartNew();
            await socket.ConnectAsync(new IPEndPoint(address, port), bound.Token).ConfigureAwait(false);
            var connection = new WireConnection(socket, options, endpoint, clock);
            if (tls is null)
            {
                connection.Note($"connected to {endpoint} ({address})");
                return connection;
            }
            try
            {
                connection.TlsSession = await connection.HandshakeAsync(host, tls, bound.Token).ConfigureAwait(false);
            }
            catch
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                throw;
            }
            // Snapshots leave out this note (it starts "connected to "), so a TLS run's transcripts compare with a TCP run's.
            connection.Note($"connected to {endpoint} ({address}) over {connection.TlsSession.Summary}");
            return connection;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            socket?.Dispose();
            var what = tls is null ? "no connection" : "no connection and TLS handshake";
            throw new TargetUnreachableException($"cannot reach {endpoint}: {what} within {options.ConnectTimeout.TotalMilliseconds:0} ms{BoundHint}") { CutByBound = true };
        }
        catch (SocketException e)
        {
            socket?.Dispose();
            var reason = e.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => "connection refused (is the server running on that port?)",
                SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => "unknown host",
                SocketError.TimedOut => $"no connection within {options.ConnectTimeout.TotalMilliseconds:0} ms{BoundHint}",
                _ => $"{e.SocketErrorCode}: {e.Message}",
            };
            throw new TargetUnreachableException($"cannot reach {endpoint}: {reason}", e) { CutByBound = e.SocketErrorCode == SocketError.TimedOut };
        }
        catch
        {
            socket?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Why a connect can run out on a server that is up: the suite's own bound, or a listen backlog too short for
    /// the cases run at once (Python's http.server queues 5). Said, so the ERROR names what to change.
    /// </summary>
    private const string BoundHint = " (the suite's connect bound; on a loaded machine raise --connect-timeout, and for a server that queues few connections lower --parallel)";

    /// <summary>The TLS facts of this connection; null over plain TCP.</summary>
    public TlsSessionInfo? TlsSession { get; private set; }

    private async Task<TlsSessionInfo> HandshakeAsync(string host, TlsClientOptions tls, CancellationToken bound)
    {
        string? refused = null;
        var stream = new SslStream(new NetworkStream(_socket, ownsSocket: false), leaveInnerStreamOpen: false);
        _tls = stream;
        var sni = IPAddress.TryParse(host, out _) ? null : host;
        try
        {
            await stream.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                // SNI: .NET sends the host name and, as RFC 6066 §3 requires, nothing for an IP literal.
                TargetHost = host,
                ApplicationProtocols = [TlsClientOptions.Alpn],
                EnabledSslProtocols = SslProtocols.None, // the system's choice: TLS 1.2 and 1.3 on current OpenSSL
                CertificateRevocationCheckMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck,
                RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
                {
                    refused = tls.Judge(certificate, chain, errors);
                    return refused is null;
                },
            }, bound).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AuthenticationException or IOException && !bound.IsCancellationRequested)
        {
            var why = refused ?? $"{e.Message}{(e.InnerException is { } inner ? $" ({inner.Message})" : "")}";
            var hint = refused is not null
                ? tls.TrustAnchors is null ? " Trust it with --ca FILE (its PEM, or its CA's), or skip verification with --insecure." : " Check that --ca names the certificate the server uses, or its CA."
                : " If the target serves plain HTTP on that port, give an http:// URL.";
            throw new TargetUnreachableException($"cannot use {_endpoint}: the TLS handshake failed: {why}.{hint}", e) { TlsRefused = refused is not null };
        }

        using var certificate = stream.RemoteCertificate is { } c ? System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(c.GetRawCertData()) : null;
        return new TlsSessionInfo(
            Protocol: stream.SslProtocol switch
            {
                SslProtocols.Tls13 => "TLS 1.3",
                SslProtocols.Tls12 => "TLS 1.2",
#pragma warning disable SYSLIB0039 // named only to be reported: the suite never offers these, a server cannot pick them
                SslProtocols.Tls11 => "TLS 1.1",
                SslProtocols.Tls => "TLS 1.0",
#pragma warning restore SYSLIB0039
                var other => other.ToString(),
            },
            CipherSuite: stream.NegotiatedCipherSuite.ToString(),
            Alpn: stream.NegotiatedApplicationProtocol.Protocol.IsEmpty ? null : stream.NegotiatedApplicationProtocol.ToString(),
            ServerName: sni,
            CertificateSubject: certificate?.Subject ?? "",
            CertificateIssuer: certificate?.Issuer ?? "",
            CertificateNotAfter: certificate is null ? default : new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero),
            CertificateSha256: certificate is null ? "" : certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256),
            Trust: tls.TrustDescription);
    }

    /// <summary>Everything sent and received so far, in order.</summary>
    public IReadOnlyList<TranscriptEntry> Transcript => [.. _transcript];

    /// <summary>True once a read has returned 0 or the connection was reset.</summary>
    public bool RemoteEnded => _end is StreamEnd.Closed or StreamEnd.Reset;

    /// <summary>host:port as given to <see cref="ConnectAsync"/>.</summary>
    public string Endpoint => _endpoint;

    /// <summary>Time since the connection was established (the transcript's clock).</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>Sends the bytes exactly. Returns false (and records an Event) if the peer has closed or reset; never throws for that.</summary>
    public async Task<bool> SendAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // A peer that stops reading fills its window and would block the send forever.
        bound.CancelAfter(_options.ResponseDeadline);
        var sent = 0;
        try
        {
            if (_tls is not null)
            {
                // One write is one TLS record (or several when larger than 16 KiB): a pause between two writes
                // still reaches the server as split delivery. How much of a failed write left is unknowable here.
                await _tls.WriteAsync(bytes, bound.Token).ConfigureAwait(false);
                sent = bytes.Length;
            }
            while (sent < bytes.Length)
            {
                var n = await _socket.SendAsync(bytes[sent..], SocketFlags.None, bound.Token).ConfigureAwait(false);
                if (n <= 0) break;
                sent += n;
            }

            _transcript.Add(new TranscriptEntry(Direction.Sent, bytes.ToArray(), _clock.Elapsed));
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            RecordPartialSend(bytes, sent);
            Note($"send stalled: {sent} of {bytes.Length} bytes sent within {_options.ResponseDeadline.TotalMilliseconds:0} ms");
            return false;
        }
        catch (Exception e) when (SocketErrorOf(e) is SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown or SocketError.NotConnected or SocketError.Disconnecting)
        {
            var code = SocketErrorOf(e)!.Value;
            RecordPartialSend(bytes, sent);
            if (code == SocketError.ConnectionReset) _end = StreamEnd.Reset;
            Note($"send failed after {sent} of {bytes.Length} bytes: peer {(code == SocketError.ConnectionReset ? "reset the connection" : "closed the connection")} ({code})");
            return false;
        }
        catch (IOException e) when (_tls is not null)
        {
            // The TLS layer failed the write without a socket error (an alert, a closed stream): the peer is gone for writing.
            Note($"send failed: the TLS stream refused the write ({e.Message})");
            return false;
        }
    }

    /// <summary>The socket error under a plain socket call or under a stream (TLS) wrapping it.</summary>
    private static SocketError? SocketErrorOf(Exception e) => e switch
    {
        SocketException s => s.SocketErrorCode,
        IOException { InnerException: SocketException s } => s.SocketErrorCode,
        _ => null,
    };

    private void RecordPartialSend(ReadOnlyMemory<byte> bytes, int sent)
    {
        if (sent > 0) _transcript.Add(new TranscriptEntry(Direction.Sent, bytes[..sent].ToArray(), _clock.Elapsed, "partial send"));
    }

    /// <summary>
    /// Reads interim 1xx responses and then one final response, framed by its own headers (no body for a
    /// HEAD request, 1xx, 204 or 304). Bytes past the end of the response stay buffered for the next read.
    /// </summary>
    public Task<ReadOutcome> ReadResponseAsync(bool requestWasHead, CancellationToken cancellationToken)
        => ReadResponseAsync(requestWasHead, ReadLimits.Default, cancellationToken);

    /// <summary>
    /// As <see cref="ReadResponseAsync(bool, CancellationToken)"/>, with a per-read bound shorter than the
    /// connection's (a case that must observe the server *waiting* proves it within a short bound instead of
    /// the general read timeout) and, when <see cref="ReadLimits.StopAtInterim"/> is set, ending the read at
    /// the first complete 1xx response, so an interim response (100 Continue) can itself be the outcome.
    /// </summary>
    public async Task<ReadOutcome> ReadResponseAsync(bool requestWasHead, ReadLimits limits, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(limits);
        var interim = new List<RawResponse>();
        var received = new MemoryStream();
        // A step's short bound proves that nothing *starts* to arrive; once the first byte is here the server is
        // answering, and the rest of the response is read under the general bounds, so a slow answer is read
        // whole instead of being cut and judged as broken.
        var started = _clock.Elapsed;
        var answering = _buffered > 0;
        var readTimeout = !answering && limits.Within is { } within && within < _options.ReadTimeout ? within : _options.ReadTimeout;
        var responseDeadline = !answering && limits.Within is { } w && w < _options.ResponseDeadline ? w : _options.ResponseDeadline;
        var deadline = started + responseDeadline;
        var timeoutDetail = "";

        while (true)
        {
            if (_unframedBecause is not null)
            {
                return Outcome(ReadOutcomeKind.NotHttp, null, interim, received, $"framing on this connection is lost: {_unframedBecause}");
            }

            if (_buffered == 0 && _end != StreamEnd.Open)
            {
                return _end switch
                {
                    StreamEnd.Closed => Outcome(ReadOutcomeKind.ClosedBeforeResponse, null, interim, received, "the server closed the connection before a final response"),
                    StreamEnd.Reset => Outcome(ReadOutcomeKind.ResetBeforeResponse, null, interim, received, "connection reset by peer before a final response"),
                    _ => Outcome(ReadOutcomeKind.TimedOut, null, interim, received, timeoutDetail),
                };
            }

            var result = _buffered == 0
                ? new ParseResult(ParseStatus.NeedMore, null, 0)
                : ResponseParser.Parse(_buffer.AsSpan(0, _buffered), requestWasHead, _end, _options, _consumedTotal);

            switch (result.Status)
            {
                case ParseStatus.NotHttp:
                    Consume(result.Consumed, received);
                    _unframedBecause = "the server sent bytes that are not an HTTP response";
                    return Outcome(ReadOutcomeKind.NotHttp, null, interim, received, result.Detail);

                case ParseStatus.Parsed when _end == StreamEnd.TimedOut && result.Response!.HeaderTerminator is null && !result.Response.Truncated:
                    // The suite's own bound cut the head: that is no response yet, never a head without its
                    // empty line. Whatever follows is not at a message boundary.
                    Consume(result.Consumed, received);
                    _unframedBecause = $"a response head was cut by the read bound after {result.Consumed} bytes";
                    return Outcome(ReadOutcomeKind.TimedOut, null, interim, received,
                        $"{timeoutDetail}; {result.Consumed} bytes of a response head had arrived (\"{ByteText.Escape(received.GetBuffer().AsSpan(0, (int)Math.Min(received.Length, 64)))}\")",
                        headCutByBound: true);

                case ParseStatus.Parsed:
                    var response = result.Response!;
                    Consume(result.Consumed, received);
                    if (!response.Complete && !RemoteEnded)
                    {
                        // We stopped mid-message (cap, bad chunking): whatever follows is not at a boundary.
                        _unframedBecause = $"the response at stream offset {response.StreamOffset} was not read to its end ({response.IncompleteReason})";
                        Note(_unframedBecause);
                    }

                    // 101 switches protocols: it is the last HTTP/1.1 message on the connection, so it ends the read.
                    if (response.IsInterim && response.StatusCode != 101 && response.Complete)
                    {
                        if (limits.StopAtInterim) return Outcome(ReadOutcomeKind.Response, response, interim, received, null);
                        interim.Add(response);
                        continue;
                    }

                    return Outcome(ReadOutcomeKind.Response, response, interim, received, response.IncompleteReason);

                default:
                    var remaining = deadline - _clock.Elapsed;
                    if (remaining <= TimeSpan.Zero)
                    {
                        timeoutDetail = $"response deadline of {responseDeadline.TotalMilliseconds:0} ms passed";
                        MarkTimedOut(timeoutDetail);
                        continue;
                    }

                    var idle = remaining < readTimeout ? remaining : readTimeout;
                    var read = await ReceiveAsync(idle, cancellationToken).ConfigureAwait(false);
                    if (read == ReceiveResult.Data && !answering)
                    {
                        answering = true;
                        readTimeout = _options.ReadTimeout;
                        responseDeadline = _options.ResponseDeadline;
                        deadline = started + responseDeadline;
                        continue;
                    }
                    if (read == ReceiveResult.TimedOut)
                    {
                        timeoutDetail = idle < readTimeout
                            ? $"response deadline of {responseDeadline.TotalMilliseconds:0} ms passed"
                            : _buffered == 0 ? $"no byte within {idle.TotalMilliseconds:0} ms" : $"no further byte within {idle.TotalMilliseconds:0} ms";
                        MarkTimedOut(timeoutDetail);
                    }

                    continue;
            }
        }
    }

    /// <summary>
    /// A timeout ends this read only: the parser then frames what it has as incomplete. The connection
    /// itself may still deliver bytes later, so the state goes back to Open after the parse.
    /// </summary>
    private void MarkTimedOut(string detail)
    {
        Note($"timed out: {detail}");
        _end = StreamEnd.TimedOut;
    }

    private ReadOutcome Outcome(ReadOutcomeKind kind, RawResponse? response, List<RawResponse> interim, MemoryStream received, string? detail, bool headCutByBound = false)
    {
        var ended = RemoteEnded;
        if (_end == StreamEnd.TimedOut) _end = StreamEnd.Open;
        return new ReadOutcome
        {
            Kind = kind,
            Response = response,
            Interim = interim,
            Received = received.ToArray(),
            ConnectionEnded = ended,
            Detail = detail,
            HeadCutByBound = headCutByBound,
        };
    }

    private void Consume(int count, MemoryStream received)
    {
        received.Write(_buffer, 0, count);
        Buffer.BlockCopy(_buffer, count, _buffer, 0, _buffered - count);
        _buffered -= count;
        _consumedTotal += count;
    }

    private enum ReceiveResult
    {
        Data,
        Closed,
        Reset,
        TimedOut,
    }

    /// <summary>One socket read bounded by <paramref name="bound"/>; appends to the buffer and the transcript.</summary>
    private async Task<ReceiveResult> ReceiveAsync(TimeSpan bound, CancellationToken cancellationToken)
    {
        if (_buffer.Length - _buffered < ReadChunk) Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _buffered + ReadChunk));
        if (_tls is not null) return await ReceiveTlsAsync(_tls, bound, cancellationToken).ConfigureAwait(false);
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(bound);
        try
        {
            var n = await _socket.ReceiveAsync(_buffer.AsMemory(_buffered, ReadChunk), SocketFlags.None, timer.Token).ConfigureAwait(false);
            if (n == 0)
            {
                _end = StreamEnd.Closed;
                Note("server closed the connection (read returned 0)");
                return ReceiveResult.Closed;
            }

            _transcript.Add(new TranscriptEntry(Direction.Received, _buffer.AsSpan(_buffered, n).ToArray(), _clock.Elapsed));
            _buffered += n;
            return ReceiveResult.Data;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ReceiveResult.TimedOut;
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted)
        {
            _end = StreamEnd.Reset;
            Note($"connection reset by peer ({e.SocketErrorCode})");
            return ReceiveResult.Reset;
        }
    }

    private readonly record struct TlsRead(int Count, TimeSpan At, Exception? Error);

    private async Task<TlsRead> ReadTlsAsync(SslStream stream)
    {
        try
        {
            var n = await stream.ReadAsync(_tlsChunk).ConfigureAwait(false);
            return new TlsRead(n, _clock.Elapsed, null);
        }
        catch (Exception e) when (e is IOException or AuthenticationException or ObjectDisposedException)
        {
            return new TlsRead(0, _clock.Elapsed, e);
        }
    }

    /// <summary>
    /// The TLS twin of the socket read: decrypted bytes go to the buffer and the transcript (the transcript
    /// holds what HTTP saw, never TLS records), stamped when they arrived even if a timeout came first.
    /// </summary>
    private async Task<ReceiveResult> ReceiveTlsAsync(SslStream stream, TimeSpan bound, CancellationToken cancellationToken)
    {
        var pending = _pendingTlsRead ??= ReadTlsAsync(stream);
        try
        {
            await pending.WaitAsync(bound, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return ReceiveResult.TimedOut;
        }
        _pendingTlsRead = null;
        var read = pending.Result;
        if (read.Error is { } error)
        {
            if (SocketErrorOf(error) is SocketError.ConnectionReset or SocketError.ConnectionAborted)
            {
                _end = StreamEnd.Reset;
                Note($"connection reset by peer ({SocketErrorOf(error)})");
                return ReceiveResult.Reset;
            }
            if (error is IOException { InnerException: null })
            {
                // TCP ended inside a TLS record (no close_notify, a cut record): for HTTP the server closed.
                _end = StreamEnd.Closed;
                Note($"server closed the connection inside a TLS record ({error.Message})");
                return ReceiveResult.Closed;
            }
            // A TLS alert or a record that does not decrypt ends the connection as a reset would: nothing more can be read.
            _end = StreamEnd.Reset;
            Note($"the TLS stream failed: {error.Message}{(error.InnerException is { } inner ? $" ({inner.Message})" : "")}");
            return ReceiveResult.Reset;
        }
        if (read.Count == 0)
        {
            _end = StreamEnd.Closed;
            Note("server closed the connection (read returned 0)");
            return ReceiveResult.Closed;
        }
        _tlsChunk.AsSpan(0, read.Count).CopyTo(_buffer.AsSpan(_buffered));
        _transcript.Add(new TranscriptEntry(Direction.Received, _tlsChunk.AsSpan(0, read.Count).ToArray(), read.At));
        _buffered += read.Count;
        return ReceiveResult.Data;
    }

    /// <summary>Waits up to <paramref name="bound"/> for the server to close; reports what it saw.</summary>
    public async Task<CloseObservation> WaitForCloseAsync(TimeSpan bound, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        // Bytes already waiting are data the server sent instead of (or before) closing.
        if (_buffered > 0) return CloseObservation.DataArrived;
        switch (_end)
        {
            case StreamEnd.Closed: return CloseObservation.Closed;
            case StreamEnd.Reset: return CloseObservation.Reset;
        }

        var result = await ReceiveAsync(bound, cancellationToken).ConfigureAwait(false);
        switch (result)
        {
            case ReceiveResult.Closed: return CloseObservation.Closed;
            case ReceiveResult.Reset: return CloseObservation.Reset;
            case ReceiveResult.Data: return CloseObservation.DataArrived;
            default:
                Note($"still open after waiting {bound.TotalMilliseconds:0} ms for a close");
                return CloseObservation.StillOpen;
        }
    }

    /// <summary>Bytes already received but not yet consumed by a read (e.g. an unrequested extra response).</summary>
    public int BufferedByteCount => _buffered;

    /// <summary>Appends a harness note (an Event) to the transcript.</summary>
    public void Note(string note) => _transcript.Add(new TranscriptEntry(Direction.Event, [], _clock.Elapsed, note));

    public ValueTask DisposeAsync()
    {
        if (_disposed) return ValueTask.CompletedTask;
        _disposed = true;
        try
        {
            if (!RemoteEnded) _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // The peer may have gone already; closing is all that is left to do.
        }

        // Disposing the TLS stream ends a pending read (its failure is kept in the task, never thrown).
        _tls?.Dispose();
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>The target could not be reached at all: refused, unknown host, or no connect within the bound.</summary>
public sealed class TargetUnreachableException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>
    /// True when the connect did not finish within a bound (ours or the system's): on a loaded machine that
    /// proves nothing about the server, unlike a refusal or a reset.
    /// </summary>
    public bool CutByBound { get; init; }

    /// <summary>True when the TLS handshake failed because the server's certificate was refused (untrusted, wrong name).</summary>
    public bool TlsRefused { get; init; }
}
