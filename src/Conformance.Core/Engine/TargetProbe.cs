using System.Text;
using Conformance.Harness.Wire;

namespace Conformance.Harness.Engine;

/// <summary>
/// One request before the run, so an unreachable target stops the run with one clear message instead of
/// hundreds of errors. It also learns how the server names itself. A target that answers with bytes that are
/// not HTTP is reachable: the run goes on and every case judges those bytes against the status-line grammar
/// (a FAIL per case, each showing what that request got), because that is what a CI gate needs to see, and a
/// server may answer garbage on one path and HTTP on another.
/// </summary>
public static class TargetProbe
{
    /// <param name="NotHttp">When the answer was not HTTP: what arrived, for a note before the run.</param>
    /// <param name="Tls">The TLS facts of an https target's probe connection; every case's connection negotiates the same way.</param>
    public sealed record ProbeResult(string? ServerHeader, int? Status, string? NotHttp = null, TlsSessionInfo? Tls = null);

    /// <summary>Throws <see cref="TargetUnreachableException"/> when the target cannot be used at all.</summary>
    public static async Task<ProbeResult> CheckAsync(Target target, WireOptions options, CancellationToken ct)
    {
        await using var connection = await target.ConnectAsync(options, ct).ConfigureAwait(false);
        var path = target.Profile.Roles.Existing?.Path ?? "/";
        await connection.SendAsync(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: {target.Authority}\r\nConnection: close\r\n\r\n"), ct).ConfigureAwait(false);
        var outcome = await connection.ReadResponseAsync(false, ct).ConfigureAwait(false);
        return outcome.Kind switch
        {
            ReadOutcomeKind.Response => new ProbeResult(outcome.Response!.Header("Server"), outcome.Response.StatusCode, Tls: connection.TlsSession),
            ReadOutcomeKind.NotHttp => new ProbeResult(null, null,
                $"{target.BaseUri} answered GET {path}, but not with HTTP: the first bytes were \"{ByteText.Escape(outcome.Received.AsSpan(0, Math.Min(64, outcome.Received.Length)))}\"", connection.TlsSession),
            ReadOutcomeKind.TimedOut => throw new TargetUnreachableException(
                $"{target.BaseUri} accepted a connection but sent no response to GET {path} within {options.ReadTimeout.TotalMilliseconds:0} ms"),
            _ => throw new TargetUnreachableException($"{target.BaseUri} closed the connection without answering GET {path}"),
        };
    }
}
