namespace Conformance.Harness.Wire;

/// <summary>What happened when the harness waited for a response.</summary>
public enum ReadOutcomeKind
{
    /// <summary>A final (non-1xx) response arrived; it may still be incomplete (see RawResponse.Complete).</summary>
    Response,
    /// <summary>The server closed (read returned 0) before any byte of a final response.</summary>
    ClosedBeforeResponse,
    /// <summary>The connection was reset before any byte of a final response.</summary>
    ResetBeforeResponse,
    /// <summary>No final response began within the read bound.</summary>
    TimedOut,
    /// <summary>Bytes arrived that cannot be a response at all (no status line could be recognised).</summary>
    NotHttp,
}

/// <summary>The result of reading one response: the final response, any 1xx before it, and how it ended.</summary>
public sealed class ReadOutcome
{
    public required ReadOutcomeKind Kind { get; init; }

    /// <summary>The final response when <see cref="Kind"/> is Response.</summary>
    public RawResponse? Response { get; init; }

    /// <summary>Interim (1xx) responses that came before the final one, in order.</summary>
    public IReadOnlyList<RawResponse> Interim { get; init; } = [];

    /// <summary>Every byte consumed from the connection while reading this outcome.</summary>
    public required byte[] Received { get; init; }

    /// <summary>True once the server has closed or reset the connection (during or right after this read).</summary>
    public bool ConnectionEnded { get; init; }

    /// <summary>Human-readable detail, e.g. "no byte within 2000 ms" or "connection reset by peer".</summary>
    public string? Detail { get; init; }

    /// <summary>
    /// A timeout that cut a response head the server had begun to send: the server was answering, and only the
    /// suite's own bound ended the read (a slow server, a loaded machine). Never the server's "no answer".
    /// </summary>
    public bool HeadCutByBound { get; init; }
}

/// <summary>Bounds and stopping rule for one read, narrower than the connection's <see cref="WireOptions"/>.</summary>
public sealed record ReadLimits
{
    public static readonly ReadLimits Default = new();

    /// <summary>
    /// When set and shorter than the connection's bounds, both the idle read timeout and the whole-response
    /// deadline of this read: "nothing arrives within 300 ms" is then proved in 300 ms, not in the 2 s default.
    /// </summary>
    public TimeSpan? Within { get; init; }

    /// <summary>End the read at the first complete interim (1xx) response instead of reading on to the final one.</summary>
    public bool StopAtInterim { get; init; }
}
