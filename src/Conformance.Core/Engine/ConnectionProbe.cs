using System.Text;
using Conformance.Harness.Engine.Checks;
using Conformance.Harness.Wire;

namespace Conformance.Harness.Engine;

/// <summary>
/// Proves a case's connection open (a follow-up GET that is answered) or closed (a read of 0 bytes or a reset
/// within the close bound) for connection checks. Never waits a fixed time: every wait ends on an event or
/// at its bound.
/// </summary>
internal sealed class ConnectionProbe(WireConnection connection, Target target, WireOptions options) : IConnectionProbe
{
    public TimeSpan CloseBound => options.CloseTimeout;

    public async Task<ProbeAnswer> ProveOpenAsync(CancellationToken cancellationToken)
    {
        if (connection.RemoteEnded) return new ProbeAnswer(ProbeResult.Closed, "the server had already closed the connection");
        var path = target.Profile.Roles.Existing?.Path ?? "/";
        var probe = Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: {target.Authority}\r\n\r\n");
        if (!await connection.SendAsync(probe, cancellationToken).ConfigureAwait(false))
            return new ProbeAnswer(ProbeResult.Closed, "the follow-up request could not be sent: the server had closed the connection");
        var answer = await connection.ReadResponseAsync(false, cancellationToken).ConfigureAwait(false);
        return answer.Kind switch
        {
            ReadOutcomeKind.Response => new ProbeAnswer(ProbeResult.Answered, "the follow-up request was answered"),
            ReadOutcomeKind.ClosedBeforeResponse => new ProbeAnswer(ProbeResult.Closed, "the server closed the connection instead of answering a follow-up request"),
            ReadOutcomeKind.ResetBeforeResponse => new ProbeAnswer(ProbeResult.Closed, "the server reset the connection instead of answering a follow-up request"),
            _ => new ProbeAnswer(ProbeResult.NoAnswer, $"the follow-up request got no response ({answer.Kind}: {answer.Detail})"),
        };
    }

    public Task<CloseObservation> WaitForCloseAsync(CancellationToken cancellationToken)
        => connection.WaitForCloseAsync(options.CloseTimeout, cancellationToken);
}
