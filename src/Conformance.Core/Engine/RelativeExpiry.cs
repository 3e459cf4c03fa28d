using System.Globalization;
using Conformance.Harness.Wire;

namespace Conformance.Harness.Engine;

/// <summary>
/// Expires is often computed from the clock (Date + max-age). A 304 sent a moment after the 200 "would
/// have been sent in a 200 to the same request" with an Expires one second later whenever the two straddle
/// a second boundary, so comparing the values alone made "carries the 200's Expires" flip between runs.
/// Two Expires carry the same freshness when each is the same distance from its own response's Date.
/// </summary>
internal static class RelativeExpiry
{
    public static bool SameLifetime(string field, RawResponse earlier, RawResponse later)
    {
        if (!string.Equals(field, "Expires", StringComparison.OrdinalIgnoreCase)) return false;
        return Lifetime(earlier) is { } a && Lifetime(later) is { } b && a == b;
    }

    private static TimeSpan? Lifetime(RawResponse r)
        => Single(r, "Expires") is { } expires && Single(r, "Date") is { } date ? expires - date : null;

    private static DateTimeOffset? Single(RawResponse r, string name)
    {
        var values = r.FieldsNamed(name).Select(f => f.Value).ToList();
        return values.Count == 1 && DateTimeOffset.TryParseExact(values[0], "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;
    }
}
