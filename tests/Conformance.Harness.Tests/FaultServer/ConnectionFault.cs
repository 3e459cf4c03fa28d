namespace Conformance.Harness.Tests.FaultServer;

/// <summary>
/// Connection-level misbehaviour, separate from <see cref="ResponseFault"/> (which breaks one rule inside a
/// response): each value breaks one RFC 9112 §9 rule about what happens between responses. Response-level
/// behaviour faults (a soft 404, a 304 with a body, a folded Set-Cookie, ...) are route handlers mapped by
/// the test itself with <see cref="FaultServer.Map"/>.
/// </summary>
public enum ConnectionFault
{
    None,

    /// <summary>Ignores "Connection: close" in requests: no "close" in the response, the connection stays open, later requests are answered (§9.6).</summary>
    IgnoreClose,

    /// <summary>Answers the first request of a pipelined write and silently drops the others already received (§9.3.2).</summary>
    AnswerFirstOnly,

    /// <summary>Answers the requests of a pipelined write in reverse order (§9.3.2).</summary>
    ReverseOrder,
}

internal static class ConnectionFaults
{
    /// <summary>The request as a server that never saw its "close" option would treat it.</summary>
    public static FaultRequest WithoutClose(this FaultRequest request)
        => request with { Headers = [.. request.Headers.Where(h => !string.Equals(h.Key, "Connection", StringComparison.OrdinalIgnoreCase))] };
}
