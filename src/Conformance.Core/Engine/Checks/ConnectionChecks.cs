using Conformance.Harness.Wire;

namespace Conformance.Harness.Engine.Checks;

/// <summary>What a connection check may do on the case's connection after a response: prove it open or closed.</summary>
public interface IConnectionProbe
{
    /// <summary>Sends a follow-up GET on the same connection and reads its answer (bounded).</summary>
    Task<ProbeAnswer> ProveOpenAsync(CancellationToken cancellationToken);

    /// <summary>Waits, bounded by the run's close bound, for the server to close.</summary>
    Task<CloseObservation> WaitForCloseAsync(CancellationToken cancellationToken);

    /// <summary>The close bound, for messages.</summary>
    TimeSpan CloseBound { get; }
}

/// <summary>The follow-up request's fate: answered, the server had closed (or reset), or no answer in the bound.</summary>
public enum ProbeResult
{
    Answered,
    Closed,
    NoAnswer,
}

public sealed record ProbeAnswer(ProbeResult Result, string Description);

/// <summary>
/// A named check that judges the connection after the response rather than the response alone. The engine
/// runs it after the response's other assertions, with a probe on the case's connection.
/// </summary>
public abstract class ConnectionCheck : NamedCheck
{
    public sealed override CheckOutcome Evaluate(CheckContext context)
        => throw new InvalidOperationException($"{Name} judges the connection; the engine runs it through EvaluateAsync");

    public abstract Task<CheckOutcome> EvaluateAsync(CheckContext context, IConnectionProbe connection, CancellationToken cancellationToken);

    /// <summary>A connection option is present in the response's Connection field (a comma-separated list of tokens, case-insensitive).</summary>
    protected static bool HasOption(RawResponse response, string option)
        => response.FieldsNamed("Connection").SelectMany(f => f.Value.Split(','))
            .Any(o => string.Equals(o.Trim(' ', '\t'), option, StringComparison.OrdinalIgnoreCase));
}

/// <summary>
/// "check: close-announced": RFC 9112 §9.6, a sender SHOULD send "close" when it intends to close (any party MAY
/// close at any time, so this is a SHOULD, judged at the case's level). After an HTTP/1.1 response without
/// "close", to a request that did not ask for close, the connection persists: proved by a follow-up request.
/// A close instead (the follow-up finds the connection closed or reset) is the silent close this check catches.
/// </summary>
public sealed class CloseAnnounced : ConnectionCheck
{
    public override string Name => "close-announced";

    public override string Usage => "check: close-announced";

    public override string? ValidateArguments(IReadOnlyList<string> arguments) => ExpectCount(arguments, 0);

    public override async Task<CheckOutcome> EvaluateAsync(CheckContext context, IConnectionProbe connection, CancellationToken cancellationToken)
    {
        // Nothing to prove when closing was announced or asked for, or when HTTP/1.0 rules apply (§9.3: an
        // HTTP/1.0 connection persists only with keep-alive; connection-as-announced judges that).
        if (HasOption(context.Response, "close") || context.RequestAskedClose || context.RequestVersion != "HTTP/1.1" || context.Response.HttpVersion != "HTTP/1.1")
            return CheckOutcome.Held;
        var answer = await connection.ProveOpenAsync(cancellationToken).ConfigureAwait(false);
        return answer.Result switch
        {
            ProbeResult.Answered => CheckOutcome.Held,
            ProbeResult.Closed => CheckOutcome.Broken("the connection persists, or the response carries \"Connection: close\"",
                $"the server closed after a response whose Connection field was {Show(context.Response)}", answer.Description),
            _ => CheckOutcome.Broken("a follow-up request on the persistent connection is answered", answer.Description),
        };
    }

    internal static string Show(RawResponse response)
    {
        var values = response.FieldsNamed("Connection").Select(f => f.Value).ToList();
        return values.Count == 0 ? "absent" : "\"" + string.Join(", ", values) + "\"";
    }
}

/// <summary>
/// "check: connection-as-announced": the connection does what the response said, by RFC 9112 §9.3's rules
/// applied to the version of the response received: "close" in the response (or asked for by the request)
/// -> it closes; an HTTP/1.0 response -> it persists only with "keep-alive", else it closes; an HTTP/1.1
/// response -> it persists. One exception follows the request's rule: an HTTP/1.0 request that did not ask
/// for keep-alive leaves the server nothing to honour, so "the connection will close" unless the response
/// explicitly says "keep-alive". Open is proved by a follow-up request, closed by a read of 0 bytes or a
/// reset within the close bound.
/// </summary>
public sealed class ConnectionAsAnnounced : ConnectionCheck
{
    public override string Name => "connection-as-announced";

    public override string Usage => "check: connection-as-announced";

    public override string? ValidateArguments(IReadOnlyList<string> arguments) => ExpectCount(arguments, 0);

    public override async Task<CheckOutcome> EvaluateAsync(CheckContext context, IConnectionProbe connection, CancellationToken cancellationToken)
    {
        var r = context.Response;
        var response10 = r.HttpVersion == "HTTP/1.0";
        var nothingToHonour = context.RequestVersion == "HTTP/1.0" && !context.RequestAskedKeepAlive;
        var closes = HasOption(r, "close") || context.RequestAskedClose
            || ((response10 || nothingToHonour) && !HasOption(r, "keep-alive"));
        var announced = $"Connection {CloseAnnounced.Show(r)} in an {r.HttpVersion} response to an "
            + $"{(context.RequestVersion is { Length: > 0 } v ? v : "unversioned")} request{(context.RequestAskedKeepAlive ? " with keep-alive" : "")}";
        if (!closes)
        {
            var answer = await connection.ProveOpenAsync(cancellationToken).ConfigureAwait(false);
            return answer.Result == ProbeResult.Answered
                ? CheckOutcome.Held
                : CheckOutcome.Broken($"the connection persists ({announced})", answer.Description);
        }
        var seen = await connection.WaitForCloseAsync(cancellationToken).ConfigureAwait(false);
        return seen switch
        {
            CloseObservation.Closed or CloseObservation.Reset => CheckOutcome.Held,
            CloseObservation.DataArrived => CheckOutcome.Broken($"the server closes ({announced})", "the server sent more bytes instead of closing"),
            _ => CheckOutcome.Broken($"the server closes ({announced})", $"the connection was still open {connection.CloseBound.TotalMilliseconds:0} ms later"),
        };
    }
}
