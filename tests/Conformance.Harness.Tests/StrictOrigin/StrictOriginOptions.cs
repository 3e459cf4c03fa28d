namespace Conformance.Harness.Tests.StrictOrigin;

/// <summary>
/// Switches that make the strict origin deviate from RFC 9110 / RFC 9112 the way Kestrel 10's own parser does,
/// one rule each. All off by default: the server is then strict and correct. Each on proves that the suite still
/// catches that deviation on a server that otherwise gets no FAIL (StrictOriginDeviationTests).
/// </summary>
public sealed record StrictOriginOptions
{
    /// <summary>
    /// Refuse (400) an absolute-form request whose Host field names another authority, instead of ignoring Host
    /// as RFC 9112 §3.2.2 requires ("the origin server MUST ignore the received Host header field").
    /// </summary>
    public bool RejectHostDisagreeingWithAbsoluteForm { get; init; }

    /// <summary>
    /// Treat the scheme of an absolute-form target as case-sensitive (refuse "HTTP://"), although RFC 9110
    /// §4.2.3 says the scheme and host are case-insensitive.
    /// </summary>
    public bool SchemeIsCaseSensitive { get; init; }

    /// <summary>
    /// Read Content-Length with a general integer parser, so "+5" means 5, although Content-Length = 1*DIGIT
    /// (RFC 9110 §8.6) and an invalid one is an unrecoverable framing error (RFC 9112 §6.3).
    /// </summary>
    public bool AcceptSignedContentLength { get; init; }

    /// <summary>
    /// Refuse whitespace (BWS) around ";" and "=" in a chunk extension, although the chunk-ext grammar of
    /// RFC 9112 §7.1.1 allows it.
    /// </summary>
    public bool RejectBwsInChunkExtension { get; init; }

    // The switches below are NOT deviations: each picks another answer the RFC allows in place of the strict
    // origin's own choice. A server with any of them on is still correct, so the catalog must still give it no FAIL
    // and no ERROR (StrictOriginAlternativesTests): a FAIL there is a fixture that misses an answer the RFC allows.

    /// <summary>
    /// RFC 9112 §2.2: "Although the line terminator for the start-line and fields is the sequence CRLF, a recipient
    /// MAY recognize a single LF as a line terminator and ignore any preceding CR." The request-line and the header
    /// field lines only: the chunked coding's lines end in CRLF by the grammar of §7.1.
    /// </summary>
    public bool AcceptBareLf { get; init; }

    /// <summary>
    /// RFC 9112 §5.2: a server receiving obs-fold in a request MUST either reject it with 400 "or replace each
    /// received obs-fold with one or more SP octets prior to interpreting the field value"; and §2.2: whitespace
    /// between the start-line and the first field line is rejected "or" each such line consumed "without further
    /// processing of it". This switch takes the second branch of both.
    /// </summary>
    public bool ReplaceObsFold { get; init; }

    /// <summary>
    /// RFC 9110 §5.5: a recipient of CR, LF or NUL in a field value "MUST either reject the message or replace each of
    /// those characters with SP"; RFC 9112 §2.2: a bare CR "MUST" be considered invalid "or" replaced with SP.
    /// This switch replaces (in field lines).
    /// </summary>
    public bool ReplaceCrAndNulWithSp { get; init; }

    /// <summary>
    /// RFC 9110 §8.6: with a Content-Length list of identical values "a recipient MAY either reject the message as
    /// invalid or replace the duplicated field values with a single valid Content-Length field". This switch replaces.
    /// </summary>
    public bool MergeIdenticalContentLengths { get; init; }

    /// <summary>
    /// RFC 9112 §6.1: a server "MAY reject a request that contains both Content-Length and Transfer-Encoding or
    /// process such a request in accordance with the Transfer-Encoding alone. Regardless, the server MUST close the
    /// connection after responding". This switch processes by Transfer-Encoding, then closes.
    /// </summary>
    public bool ProcessTransferEncodingOverContentLength { get; init; }

    /// <summary>RFC 9110 §10.1.1: an unknown expectation "MAY" get 417; this switch ignores it instead.</summary>
    public bool IgnoreUnknownExpectations { get; init; }

    /// <summary>
    /// RFC 9112 §3: "recipients MAY instead parse on whitespace-delimited word boundaries and, aside from the CRLF
    /// terminator, treat any form of whitespace as the SP separator while ignoring preceding or trailing whitespace;
    /// such whitespace includes one or more of the following octets: SP, HTAB, VT (%x0B), FF (%x0C), or bare CR".
    /// </summary>
    public bool LenientRequestLineWhitespace { get; init; }

    /// <summary>
    /// RFC 9112 §9.3, §9.6: persistence is a server's option; "A server that does not support persistent connections
    /// MUST send the "close" connection option in every response message that does not have a 1xx status code."
    /// This switch closes after every response, announcing it.
    /// </summary>
    public bool CloseAfterEveryResponse { get; init; }

    /// <summary>
    /// RFC 9112 §6.3: "A server MAY reject a request that contains a message body but not a Content-Length by
    /// responding with 411 (Length Required)." This switch answers every chunked request so (and closes).
    /// </summary>
    public bool RequireContentLength { get; init; }

    /// <summary>
    /// RFC 9112 §6.1, §7.1: a response to an HTTP/1.1 request may carry its content in the chunked coding instead of
    /// declaring a Content-Length. This switch chunks every non-empty content in a response to an HTTP/1.1 request.
    /// </summary>
    public bool ChunkResponses { get; init; }

    /// <summary>
    /// RFC 9112 §6.3 (item 8): "Otherwise, this is a response message without a declared message body length, so the
    /// message body length is determined by the number of octets received prior to the server closing the
    /// connection." This switch sends no Content-Length to an HTTP/1.0 request and closes after the content.
    /// </summary>
    public bool CloseDelimitHttp10Responses { get; init; }

    /// <summary>RFC 9112 §4: status-line = HTTP-version SP status-code SP [ reason-phrase ]; the reason is optional.</summary>
    public bool EmptyReasonPhrase { get; init; }

    /// <summary>RFC 9110 §5.1: "Field names are case-insensitive". This switch writes every field name in lowercase.</summary>
    public bool LowercaseFieldNames { get; init; }

    /// <summary>No deviation: the strict, correct server.</summary>
    public static StrictOriginOptions Strict { get; } = new();
}
