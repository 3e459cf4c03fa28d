using System.Globalization;
using System.Text.RegularExpressions;

namespace Conformance.Harness.Engine;

/// <summary>Durations as people write them: "500" (milliseconds), "500ms", "5s", "1.5s", "2m".</summary>
public static partial class Durations
{
    [GeneratedRegex(@"^(?<number>[0-9]+(\.[0-9]+)?)(?<unit>ms|s|m)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Shape();

    /// <summary>
    /// Parses <paramref name="text"/> into a whole number of milliseconds from <paramref name="minMs"/> to
    /// <paramref name="maxMs"/>; anything else is a <see cref="UsageException"/> naming <paramref name="name"/>.
    /// </summary>
    public static TimeSpan Parse(string text, string name, int minMs, int maxMs)
    {
        ArgumentNullException.ThrowIfNull(text);
        var m = Shape().Match(text.Trim());
        var problem = $"{name}: expected a duration from {Format(minMs)} to {Format(maxMs)}, e.g. 500 or 500ms (milliseconds), 5s, 1.5s or 2m, got \"{text}\"";
        if (!m.Success || !decimal.TryParse(m.Groups["number"].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            throw new UsageException(problem);
        var ms = m.Groups["unit"].Value.ToLowerInvariant() switch
        {
            "s" => number * 1000,
            "m" => number * 60_000,
            _ => number,
        };
        // A fraction of a millisecond is below anything a socket wait can honour: refuse it rather than round silently.
        if (ms != decimal.Truncate(ms) || ms < minMs || ms > maxMs) throw new UsageException(problem);
        return TimeSpan.FromMilliseconds((double)ms);
    }

    /// <summary>The shortest plain way to write a whole number of milliseconds: "50ms", "2s", "10m".</summary>
    public static string Format(int ms) => ms switch
    {
        _ when ms >= 60_000 && ms % 60_000 == 0 => $"{ms / 60_000}m",
        _ when ms >= 1000 && ms % 1000 == 0 => $"{ms / 1000}s",
        _ => $"{ms}ms",
    };
}
