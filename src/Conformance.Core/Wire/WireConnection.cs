namespace Conformance.Harness.Wire;

/// <summary>
/// One raw TCP connection to the target. Sends exact bytes and reads responses by their own framing.
/// Every operation is bounded by <see cref="WireOptions"/>; nothing here sleeps for a fixed time.
/// Everything sent and received is appended to <see cref="Transcript"/>.
/// </summary>
public sealed partial class WireConnection : IAsyncDisposable
{
    // Implemented in WireConnection.Impl.cs (wire layer).
}

/// <summary>Which way a transcript chunk went.</summary>
public enum Direction
{
    Sent,
    Received,
    /// <summary>A note from the harness: a pause, a close, a reset, a timeout.</summary>
    Event,
}

/// <summary>One chunk of a connection's transcript, in the order it happened.</summary>
public sealed record TranscriptEntry(Direction Direction, byte[] Bytes, TimeSpan At, string? Note = null);

/// <summary>What the harness saw when it waited for the server to close.</summary>
public enum CloseObservation
{
    /// <summary>A read returned 0: the server closed.</summary>
    Closed,
    /// <summary>The connection was reset.</summary>
    Reset,
    /// <summary>Nothing happened within the bound: the connection is still open.</summary>
    StillOpen,
    /// <summary>More bytes arrived instead of a close (they are in the transcript).</summary>
    DataArrived,
}
