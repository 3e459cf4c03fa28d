using Conformance.Harness.Wire;

namespace Conformance.Harness.Engine;

/// <summary>
/// The wire bounds a user may set, each a row of <see cref="RunSettingTable"/> (a flag and a CONFORMANCE_*
/// variable). Bounds, not pauses: a case waits this long only when the server sends nothing.
/// </summary>
public static class WireBounds
{
    /// <summary>One settable bound: its option, its variable, and where it lands in <see cref="WireOptions"/>.</summary>
    public sealed record Bound(string Option, string Variable, string Meaning, Func<WireOptions, TimeSpan> Get, Func<WireOptions, TimeSpan, WireOptions> Set);

    /// <summary>The lowest value accepted: below it loopback scheduling noise alone would turn answers into timeouts.</summary>
    public const int MinMs = 50;

    public const int MaxMs = 600_000;

    public static IReadOnlyList<Bound> All { get; } =
    [
        new("--connect-timeout", "CONFORMANCE_CONNECT_TIMEOUT_MS", "bound on opening a connection",
            w => w.ConnectTimeout, (w, t) => w with { ConnectTimeout = t }),
        new("--read-timeout", "CONFORMANCE_READ_TIMEOUT_MS", "bound on the first byte of a response, and between bytes after it; also how long an expected \"timeout\" outcome waits",
            w => w.ReadTimeout, (w, t) => w with { ReadTimeout = t }),
        new("--response-deadline", "CONFORMANCE_RESPONSE_DEADLINE_MS", "bound on a whole response, however slowly it trickles",
            w => w.ResponseDeadline, (w, t) => w with { ResponseDeadline = t }),
        new("--close-timeout", "CONFORMANCE_CLOSE_TIMEOUT_MS", "how long \"connection: closed\" waits for the server to close",
            w => w.CloseTimeout, (w, t) => w with { CloseTimeout = t }),
    ];

    /// <summary>Parses a bound written as 500 (milliseconds), 500ms, 1.5s or 2m; anything else is a <see cref="UsageException"/> naming <paramref name="name"/>.</summary>
    public static TimeSpan Parse(string text, string name) => Durations.Parse(text, name, MinMs, MaxMs);
}
