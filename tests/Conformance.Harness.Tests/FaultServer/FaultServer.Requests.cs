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

    /// <summary>Returns true when the connection is finished: the request was rejected (or the server is wedged).</summary>
    private async Task<bool> RejectMalformedAsync(Socket socket, FaultRequest request)
    {
        if (_wedged)
        {
            // A wedged server holds the connection and never answers; only Dispose ends the wait.
            await Task.Delay(Timeout.Infinite, _stop.Token).ConfigureAwait(false);
            return true;
        }

        var (status, reason) = Judge(request);
        if (status is null) return false;

        var body = Encoding.ASCII.GetBytes(reason);
        var response = Encoding.ASCII.GetBytes(
            $"HTTP/1.1 {status} {(status == 501 ? "Not Implemented" : "Bad Request")}\r\nDate: {DateTimeOffset.UtcNow:R}\r\n" +
            $"Content-Type: text/plain\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n");
        await socket.SendAsync(response.Concat(body).ToArray(), SocketFlags.None, _stop.Token).ConfigureAwait(false);
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
        return true;
    }

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

        var te = request.Header("Transfer-Encoding");
        if (te is not null)
        {
            // RFC 9112 §6.1: with both, reject or use Transfer-Encoding, and close either way. This server
            // decodes no chunked content, so it rejects.
            if (lengths.Count > 0) return fault == RequestFault.HonourContentLengthOverTransferEncoding ? (null, "") : (400, "Content-Length with Transfer-Encoding");
            var final = te.Split(',').Select(c => c.Trim()).LastOrDefault() ?? "";
            // RFC 9112 §6.3: chunked not final is a 400; §6.1: an unknown coding SHOULD be a 501.
            if (string.Equals(final, "chunked", StringComparison.OrdinalIgnoreCase)) return (400, "chunked content is not supported here");
            if (te.Contains("chunked", StringComparison.OrdinalIgnoreCase)) return (400, "chunked is not the final coding");
            return fault == RequestFault.IgnoreUnknownTransferCoding ? (null, "") : (501, "unknown transfer coding");
        }
        return (null, "");
    }
}
