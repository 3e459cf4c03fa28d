namespace Conformance.Harness.Wire;

// API CONTRACT (implemented by the wire-layer work): signatures are fixed, bodies are to be written.
public sealed partial class WireConnection
{
    /// <summary>Connects to host:port within options.ConnectTimeout. Throws <see cref="TargetUnreachableException"/> on refusal, unknown host or timeout.</summary>
    public static Task<WireConnection> ConnectAsync(string host, int port, WireOptions options, CancellationToken cancellationToken) => throw new NotImplementedException();

    /// <summary>Everything sent and received so far, in order.</summary>
    public IReadOnlyList<TranscriptEntry> Transcript => throw new NotImplementedException();

    /// <summary>True once a read has returned 0 or the connection was reset.</summary>
    public bool RemoteEnded => throw new NotImplementedException();

    /// <summary>Sends the bytes exactly. Returns false (and records an Event) if the peer has closed or reset; never throws for that.</summary>
    public Task<bool> SendAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken) => throw new NotImplementedException();

    /// <summary>
    /// Reads interim 1xx responses and then one final response, framed by its own headers (no body for a
    /// HEAD request, 1xx, 204 or 304). Bytes past the end of the response stay buffered for the next read.
    /// </summary>
    public Task<ReadOutcome> ReadResponseAsync(bool requestWasHead, CancellationToken cancellationToken) => throw new NotImplementedException();

    /// <summary>Waits up to <paramref name="bound"/> for the server to close; reports what it saw.</summary>
    public Task<CloseObservation> WaitForCloseAsync(TimeSpan bound, CancellationToken cancellationToken) => throw new NotImplementedException();

    /// <summary>Bytes already received but not yet consumed by a read (e.g. an unrequested extra response).</summary>
    public int BufferedByteCount => throw new NotImplementedException();

    public ValueTask DisposeAsync() => throw new NotImplementedException();
}

/// <summary>The target could not be reached at all: refused, unknown host, or no connect within the bound.</summary>
public sealed class TargetUnreachableException(string message, Exception? inner = null) : Exception(message, inner);
