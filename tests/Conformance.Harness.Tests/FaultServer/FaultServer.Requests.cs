using System.Net.Sockets;
using System.Text;

namespace Conformance.Harness.Tests.FaultServer;

/// <summary>
/// The request-handling part of the fault server: the RFC 9112 rules for malformed requests, applied before
/// routing. Each rule answers 400 (or 501) and closes, unless <see cref="RequestFault"/> names it.
/// </summary>
public sealed partial class FaultServer
{
    private volatile bool _wedged;

    /// <summary>The request-side rule this server breaks (None: malformed requests get 400 and a close).</summary>
    public RequestFault RequestFault { get; set; }

    /// <summary>
    /// The status this server refuses chunked content with, since it decodes none: 400 (the default), or 411
    /// (Length Required), which RFC 9112 §6.3 lets a server send for content without a Content-Length.
    /// </summary>
    public int ChunkedRefusal { get; set; } = 400;

    private enum Rejection
    {
        /// <summary>The request is acceptable: route it.</summary>
        None,
        /// <summary>Rejected and the connection closed (or the server is wedged): the connection is finished.</summary>
        Closed,
        /// <summary>Rejected without a close and without reading the content (the KeepOpenAfterRefusingChunked fault).</summary>
        AnsweredAndKeptOpen,
    }

    /// <summary>Answers a request that a conformant server refuses, and says whether the connection goes on.</summary>
    private async Task<Rejection> RejectMalformedAsync(Socket socket, FaultRequest request)
    {
        if (_wedged)
        {
            // A wedged server holds the connection and never answers; only Dispose ends the wait.
            await Task.Delay(Timeout.Infinite, _stop.Token).ConfigureAwait(false);
            return Rejection.Closed;
        }

        var (status, reason) = Judge(request);
        if (status is null) return Rejection.None;

        var keepOpen = RequestFault == RequestFault.KeepOpenAfterRefusingChunked && reason is ChunkedRefusalReason or BothLengthsReason;
        var body = Encoding.ASCII.GetBytes(reason);
        var response = Encoding.ASCII.GetBytes(
            $"HTTP/1.1 {status} {ReasonPhrase(status.Value)}\r\nDate: {DateTimeOffset.UtcNow:R}\r\n" +
            $"Content-Type: text/plain\r\nContent-Length: {body.Length}\r\n{(keepOpen ? "" : "Connection: close\r\n")}\r\n");
        await socket.SendAsync(response.Concat(body).ToArray(), SocketFlags.None, _stop.Token).ConfigureAwait(false);
        if (keepOpen) return Rejection.AnsweredAndKeptOpen;
        socket.Shutdown(SocketShutdown.Both);

        switch (RequestFault)
        {
            case RequestFault.CrashAfterMalformed:
                _listener.Stop();
                lock (_gate)
                {
                    foreach (var s in _sockets) s.Dispose();
                }
                break;
            case RequestFault.WedgeAfterMalformed:
                _wedged = true;
                break;
        }
        return Rejection.Closed;
    }

    private const string ChunkedRefusalReason = "chunked content is not supported here";
    private const string BothLengthsReason = "Content-Length with Transfer-Encoding";

    private static string ReasonPhrase(int status) => status switch
    {
        411 => "Length Required",
        413 => "Content Too Large",
        501 => "Not Implemented",
        _ => "Bad Request",
    };

    /// <summary>The status a conformant server sends for this request (null: it is acceptable), minus the faulted rule.</summary>
    private (int? Status, string Reason) Judge(FaultRequest request)
    {
        var fault = RequestFault;
        var lines = request.RawHead.Split('\n').Select(l => l.TrimEnd('\r')).SkipWhile(l => l.Length == 0).Skip(1).TakeWhile(l => l.Length > 0).ToList();

        // RFC 9112 §5.2: obs-fold (a field line starting with SP or HTAB) is rejected or replaced by SP.
        if (fault != RequestFault.AcceptObsFold && lines.Any(l => l[0] is ' ' or '\t')) return (400, "obs-fold");

        // RFC 9112 §5.1: no whitespace is allowed between the field name and colon.
        if (fault != RequestFault.AcceptSpaceBeforeColon && lines.Any(l => l.IndexOf(':', StringComparison.Ordinal) is > 0 and var c && l[c - 1] is ' ' or '\t'))
            return (400, "whitespace before colon");

        // RFC 9112 §3.2: a missing Host in HTTP/1.1, or more than one Host line, is a 400.
        var hosts = request.Headers.Count(h => string.Equals(h.Key, "Host", StringComparison.OrdinalIgnoreCase));
        if (hosts == 0 && request.Version == "HTTP/1.1" && fault != RequestFault.AcceptMissingHost) return (400, "no Host");
        if (hosts > 1 && fault != RequestFault.AcceptDuplicateHost) return (400, "several Host lines");

        // RFC 9112 §6.3: Content-Length is 1*DIGIT.
        var lengths = request.Headers.Where(h => string.Equals(h.Key, "Content-Length", StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).ToList();
        if (fault != RequestFault.AcceptInvalidContentLength && lengths.Any(v => v.Length == 0 || !v.All(char.IsAsciiDigit)))
            return (400, "invalid Content-Length");

        // RFC 9110 §8.6: any 1*DIGIT is valid, however long; a value this server cannot hold is content too large
        // for it (413 and a close), never a number to wrap or drop.
        if (fault != RequestFault.ReadHugeContentLengthAsZero && lengths.Any(v => !long.TryParse(v, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _)))
            return (413, "content too large");

        var te = request.Header("Transfer-Encoding");
        if (te is not null)
        {
            // RFC 9112 §6.1: with both, reject or use Transfer-Encoding, and close either way. This server
            // decodes no chunked content, so it rejects.
            if (lengths.Count > 0) return fault == RequestFault.HonourContentLengthOverTransferEncoding ? (null, "") : (ChunkedRefusal, BothLengthsReason);
            var final = te.Split(',').Select(c => c.Trim()).LastOrDefault() ?? "";
            // RFC 9112 §6.3: chunked not final is a 400; §6.1: an unknown coding SHOULD be a 501.
            if (string.Equals(final, "chunked", StringComparison.OrdinalIgnoreCase)) return (ChunkedRefusal, ChunkedRefusalReason);
            if (te.Contains("chunked", StringComparison.OrdinalIgnoreCase)) return (400, "chunked is not the final coding");
            return fault == RequestFault.IgnoreUnknownTransferCoding ? (null, "") : (501, "unknown transfer coding");
        }
        return (null, "");
    }
}
