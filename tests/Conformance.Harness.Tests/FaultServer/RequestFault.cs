namespace Conformance.Harness.Tests.FaultServer;

/// <summary>
/// The request-side rule the fault server breaks (None: it rejects malformed requests as RFC 9112 requires,
/// with 400 and a close). Kept apart from <see cref="ResponseFault"/>: these decide what the server does with
/// what it *receives*, so each request-side check has a server that fails it.
/// </summary>
public enum RequestFault
{
    None,
    /// <summary>Answers an HTTP/1.1 request without Host (RFC 9112 §3.2 requires 400).</summary>
    AcceptMissingHost,
    /// <summary>Answers a request with more than one Host field line (RFC 9112 §3.2 requires 400).</summary>
    AcceptDuplicateHost,
    /// <summary>Answers a request with whitespace between a field name and its colon (RFC 9112 §5.1 requires 400).</summary>
    AcceptSpaceBeforeColon,
    /// <summary>Answers a request with obs-fold (RFC 9112 §5.2: 400, or replace with SP).</summary>
    AcceptObsFold,
    /// <summary>Reads a Content-Length like "+5" as a number (RFC 9112 §6.3 requires 400 and close).</summary>
    AcceptInvalidContentLength,
    /// <summary>
    /// With both Content-Length and Transfer-Encoding, frames by Content-Length and keeps the connection open
    /// (RFC 9112 §6.1: use Transfer-Encoding or reject, and close either way): what follows the counted bytes
    /// is parsed as a new request and answered, which is request smuggling.
    /// </summary>
    HonourContentLengthOverTransferEncoding,
    /// <summary>Answers a request whose transfer coding it does not understand as if it had no content (RFC 9112 §6.1: 501).</summary>
    IgnoreUnknownTransferCoding,
    /// <summary>Sends no 100 (Continue) and waits for the content (RFC 9110 §10.1.1 forbids waiting).</summary>
    WaitForBodyOnExpect,
    /// <summary>
    /// Refuses chunked content (with <see cref="FaultServer.ChunkedRefusal"/>) but keeps the connection open without
    /// reading the content, so the chunks are parsed as the next request (RFC 9112 §9.3: read the content or close).
    /// </summary>
    KeepOpenAfterRefusingChunked,
    /// <summary>Reads a Content-Length too large for a 64-bit integer as 0, answering the request as if it had no content (RFC 9110 §8.6).</summary>
    ReadHugeContentLengthAsZero,
    /// <summary>Rejects a malformed request, then stops listening and closes every connection: a crash.</summary>
    CrashAfterMalformed,
    /// <summary>Rejects a malformed request, then accepts connections but never answers again: a wedged server.</summary>
    WedgeAfterMalformed,
}
