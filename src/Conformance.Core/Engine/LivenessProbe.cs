using System.Text;
using Conformance.Harness.Fixtures;
using Conformance.Harness.Model;
using Conformance.Harness.Wire;

namespace Conformance.Harness.Engine;

/// <summary>
/// "liveness: yes": after a case has sent something malformed, one well-formed GET on a NEW connection must
/// be answered. Whatever the RFC lets a server do with a bad request (reject it, close), it does not let one
/// bad request take the server down for every other client; a crash, a refused connect or a hang is reported
/// as its own "liveness" finding, apart from the case's outcome. The probe is bounded by the wire options:
/// one connect, one send, one read.
/// </summary>
public static class LivenessProbe
{
    public const string Rule = "liveness";

    public sealed record Result(ConnectionTranscript Transcript, Finding? Finding);

    public static async Task<Result> RunAsync(Target target, WireOptions wire, ConformanceCase @case, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(wire);
        ArgumentNullException.ThrowIfNull(@case);
        WireConnection connection;
        try
        {
            connection = await ConnectAsync(target, wire, ct).ConfigureAwait(false);
        }
        catch (TargetUnreachableException e) when (e.CutByBound)
        {
            // Twice no connection within the suite's own bound: a timeout, named as one. Only a refusal or a
            // reset proves the server gone.
            return new Result(new ConnectionTranscript(Rule, []), new Finding
            {
                Verdict = Verdict.Error,
                Kind = FindingKind.Harness,
                Rule = "timeout",
                Expected = "a new connection within the connect bound",
                Actual = e.Message,
                Detail = $"the liveness probe could not connect within the suite's connect bound ({wire.ConnectTimeout.TotalMilliseconds:0} ms), twice; that proves no crash (raise --connect-timeout on a loaded machine)",
                Location = @case.Location,
            });
        }
        catch (TargetUnreachableException e)
        {
            return new Result(new ConnectionTranscript(Rule, []), Dead(@case, $"a new connection failed: {e.Message}"));
        }

        await using (connection.ConfigureAwait(false))
        {
            var path = target.Profile.Roles.Existing?.Path ?? "/";
            var request = Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: {target.Authority}\r\nConnection: close\r\n\r\n");
            var sent = await connection.SendAsync(request, ct).ConfigureAwait(false);
            var outcome = sent ? await connection.ReadResponseAsync(false, ct).ConfigureAwait(false) : null;
            var transcript = new ConnectionTranscript(Rule, TranscriptCap.Keep(connection.Transcript, wire.MaxTranscriptBytes));
            if (outcome is { Kind: ReadOutcomeKind.Response, Response: { IsInterim: false } })
                return new Result(transcript, null);
            var actual = outcome is null
                ? "the server closed the new connection before the request was written"
                : outcome.Kind switch
                {
                    ReadOutcomeKind.TimedOut => $"no response on the new connection ({outcome.Detail})",
                    ReadOutcomeKind.ClosedBeforeResponse => "the server closed the new connection without a response",
                    ReadOutcomeKind.ResetBeforeResponse => "the server reset the new connection without a response",
                    _ => "the new connection got bytes that are not an HTTP response",
                };
            return new Result(transcript, Dead(@case, actual));
        }
    }

    /// <summary>A connect cut by the bound is tried once more: one slow accept on a loaded machine is not a dead server.</summary>
    private static async Task<WireConnection> ConnectAsync(Target target, WireOptions wire, CancellationToken ct)
    {
        try
        {
            return await target.ConnectAsync(wire, ct).ConfigureAwait(false);
        }
        catch (TargetUnreachableException e) when (e.CutByBound)
        {
            return await target.ConnectAsync(wire, ct).ConfigureAwait(false);
        }
    }

    private static Finding Dead(ConformanceCase @case, string actual) => new()
    {
        Verdict = Verdict.Fail,
        Kind = FindingKind.Check,
        Rule = Rule,
        Level = RequirementLevel.Must,
        Rfc = @case.Rfc,
        Requirement = "After the malformed request of this case, the server still answers a well-formed request on a new "
            + "connection: rejecting a message never licenses a crash or a hang that denies service to other clients.",
        Expected = "a response to GET on a new connection",
        Actual = actual,
        Location = @case.Location,
    };
}
