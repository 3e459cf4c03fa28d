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

    /// <summary>No deviation: the strict, correct server.</summary>
    public static StrictOriginOptions Strict { get; } = new();
}
