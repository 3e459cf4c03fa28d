using System.Globalization;
using Bogus;

namespace Conformance.Harness.Engine;

/// <summary>
/// The value transforms of fixtures/README.md ("Transforms"): {NAME|earlier}, {NAME|weak}, {NAME|strong},
/// {NAME|tamper}, {NAME|origin-form}. A value a transform cannot apply to makes the case SKIP with the reason: the
/// response it came from is judged by its own checks, not by this derived request.
/// </summary>
internal static class PlaceholderTransforms
{
    public static string Apply(string transform, string value, string placeholder, CaseContext context) => transform switch
    {
        "earlier" => Earlier(value, placeholder),
        "weak" => value.StartsWith("W/", StringComparison.Ordinal) ? value : "W/" + value,
        "strong" => Strong(value, placeholder),
        "tamper" => Tamper(value, context.Faker),
        "origin-form" => OriginForm(value, placeholder, context.Target.BaseUri),
        _ => throw new InvalidOperationException($"unknown transform \"{transform}\" in {{{placeholder}}}"),
    };

    /// <summary>
    /// The entity-tag unchanged when it is strong. If-Match and If-Range compare strongly (RFC 9110 §8.8.3.2,
    /// §13.1.1, §13.1.5), so a weak tag never makes them true: a server that answers 412 to If-Match with its
    /// own weak tag (Tomcat's W/"length-mtime") is right, and a case that needs the condition true cannot be
    /// judged on that resource.
    /// </summary>
    private static string Strong(string value, string placeholder)
        => value.TrimStart().StartsWith("W/", StringComparison.Ordinal)
            ? throw new CaseSkippedException($"{{{placeholder}}}: the resource's entity-tag {value.Trim()} is weak, and If-Match and If-Range compare entity-tags strongly (RFC 9110 §8.8.3.2), so no weak tag can make them true; a resource with a strong entity-tag is needed to judge this case")
            : value;

    /// <summary>One day before an HTTP-date, as an IMF-fixdate (RFC 9110 §5.6.7), so "modified since" is true.</summary>
    private static string Earlier(string value, string placeholder)
    {
        if (!DateTimeOffset.TryParseExact(value.Trim(), "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
            throw new CaseSkippedException($"{{{placeholder}}}: \"{value}\" is not an IMF-fixdate, so no earlier date can be derived from it");
        return date.AddDays(-1).ToString("r", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Replaces one seeded character of the cookie-value (after the first '=') with another letter or digit:
    /// still a valid cookie-octet string (RFC 6265 §4.1.1), so a checker must refuse it on its merits.
    /// </summary>
    private static string Tamper(string value, Faker faker)
    {
        var eq = value.IndexOf('=', StringComparison.Ordinal);
        var start = eq >= 0 ? eq + 1 : 0;
        var quoted = value.Length - start >= 2 && value[start] == '"' && value[^1] == '"';
        var from = quoted ? start + 1 : start;
        var to = quoted ? value.Length - 1 : value.Length;
        if (to <= from) return value[..start] + "tampered";
        var at = faker.Random.Int(from, to - 1);
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        char replacement;
        do replacement = Alphabet[faker.Random.Int(0, Alphabet.Length - 1)];
        while (replacement == value[at]);
        return string.Concat(value.AsSpan(0, at), replacement.ToString(), value.AsSpan(at + 1));
    }

    /// <summary>RFC 9110 §10.2.2: a relative Location is resolved against the target URI; the request then uses origin-form.</summary>
    private static string OriginForm(string value, string placeholder, Uri baseUri)
    {
        if (!Uri.TryCreate(value.Trim(), UriKind.RelativeOrAbsolute, out var reference))
            throw new CaseSkippedException($"{{{placeholder}}}: \"{value}\" is not a URI-reference, so it cannot be followed");
        var resolved = reference.IsAbsoluteUri ? reference : new Uri(baseUri, reference);
        return resolved.PathAndQuery;
    }
}

/// <summary>
/// Seeded cookie names and values that are valid by RFC 6265 §4.1.1, for round trips with variety. Each is at
/// least <see cref="MinLength"/> characters long: snapshots scrub a seeded
/// value wherever the server reflects it, and a short one ("0", "E") would also match inside protocol text
/// ("127.0.0.1", "GET") and make the baseline depend on the seed.
/// </summary>
public static class CookieValues
{
    // cookie-octet = %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E (no CTL, SP, DQUOTE, comma, semicolon, backslash).
    private static readonly string Octets = string.Concat(Enumerable.Range(0x21, 0x7E - 0x21 + 1)
        .Select(c => (char)c).Where(c => c is not ('"' or ',' or ';' or '\\')));

    // token characters (RFC 9110 §5.6.2) without '=' (not a tchar anyway).
    private const string TokenChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-.^_`|~";

    // SnapshotScrubber.MinSeededValueLength, the shortest value snapshots scrub by its text. Stated here, not read
    // from the scrubber: the case engine (Conformance.Core) does not reference the snapshot layer above it.
    // SeedSweepTests holds every draw to the scrubber's bound, so the two cannot drift apart unnoticed.
    private const int MinLength = 8;

    /// <summary>A token of 8 to 16 characters; starts with a letter so it reads as a name in reports.</summary>
    public static string Name(Faker faker)
        => faker.Random.String2(1, "abcdefghijklmnopqrstuvwxyz") + faker.Random.String2(faker.Random.Int(MinLength - 1, 15), TokenChars);

    /// <summary>8 to 24 cookie-octets.</summary>
    public static string Value(Faker faker) => faker.Random.String2(faker.Random.Int(MinLength, 24), Octets);
}
