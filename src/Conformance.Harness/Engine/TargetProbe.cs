using System.Text;
using Conformance.Harness.Wire;

namespace Conformance.Harness.Engine;

/// <summary>
/// One request before the run, so an unreachable or non-HTTP target stops the run with one clear message
/// instead of hundreds of failures. It also learns how the server names itself.
/// </summary>
public static class TargetProbe
{
    public sealed record ProbeResult(string? ServerHeader, int? Status);

    /// <summary>Throws <see cref="TargetUnreachableException"/> when the target cannot be used at all.</summary>
    public static async Task<ProbeResult> CheckAsync(Target target, WireOptions options, CancellationToken ct)
    {
        await using var connection = await WireConnection.ConnectAsync(target.Host, target.Port, options, ct).ConfigureAwait(false);
        var path = target.Profile.Roles.Existing?.Path ?? "/";
        await connection.SendAsync(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: {target.Authority}\r\nConnection: close\r\n\r\n"), ct).ConfigureAwait(false);
        var outcome = await connection.ReadResponseAsync(false, ct).ConfigureAwait(false);
        return outcome.Kind switch
        {
            ReadOutcomeKind.Response => new ProbeResult(outcome.Response!.Header("Server"), outcome.Response.StatusCode),
            ReadOutcomeKind.NotHttp => throw new TargetUnreachableException(
                $"{target.BaseUri} answered, but not with HTTP: the first bytes were \"{ByteText.Escape(outcome.Received.AsSpan(0, Math.Min(64, outcome.Received.Length)))}\""),
            ReadOutcomeKind.TimedOut => throw new TargetUnreachableException(
                $"{target.BaseUri} accepted a connection but sent no response to GET {path} within {options.ReadTimeout.TotalMilliseconds:0} ms"),
            _ => throw new TargetUnreachableException($"{target.BaseUri} closed the connection without answering GET {path}"),
        };
    }
}
