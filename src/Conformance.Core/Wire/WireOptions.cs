namespace Conformance.Harness.Wire;

/// <summary>
/// Bounds on every wire operation: a case can never hang the run. Defaults suit a loopback target;
/// every value is configurable from the command line.
/// </summary>
public sealed record WireOptions
{
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long to wait for the first byte of a response, and between bytes after it.</summary>
    public TimeSpan ReadTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>An upper bound for a whole response, however slowly it trickles.</summary>
    public TimeSpan ResponseDeadline { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long to wait for the server to close when a case expects it to. A conforming server closes right
    /// after its response, so this wait is spent only on a server that keeps the connection: it bounds the
    /// cost of each such FAIL, and 1 s still leaves a loaded machine ample time to deliver a prompt close.
    /// </summary>
    public TimeSpan CloseTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Bytes kept per response head (status line + fields); past this the head is cut and marked.</summary>
    public int MaxHeadBytes { get; init; } = 256 * 1024;

    /// <summary>Bytes kept per response body; past this the body is cut and marked.</summary>
    public int MaxBodyBytes { get; init; } = 1024 * 1024;

    /// <summary>Bytes of a connection's transcript a case keeps for its report (the rest is cut and marked): bounds a run's memory whatever the server sends.</summary>
    public int MaxTranscriptBytes { get; init; } = 256 * 1024;
}
