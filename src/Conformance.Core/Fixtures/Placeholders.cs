namespace Conformance.Harness.Fixtures;

/// <summary>
/// The placeholders a fixture may use, and the profile role each one needs. Keeping the list here lets
/// the lint reject a misspelt placeholder before any run, naming its line.
/// </summary>
/// <remarks>
/// Two extensions of a plain name: a numbered draw (<c>{path.missing.2}</c>) is another seeded value of the
/// same kind, so one case can use several distinct random values; a transform (<c>{capture.lastmod|earlier}</c>)
/// derives a value from another (see <see cref="Transforms"/> and fixtures/README.md, "Transforms").
/// </remarks>
public static class Placeholders
{
    public const string CapturePrefix = "capture.";

    private static readonly Dictionary<string, string?> RoleByPlaceholder = new(StringComparer.Ordinal)
    {
        ["host"] = null,
        ["random.token"] = null,
        ["random.cookie-name"] = null,
        ["random.cookie-value"] = null,
        ["path.existing"] = Roles.Existing,
        ["path.validators"] = Roles.Validators,
        ["path.redirect"] = Roles.Redirect,
        ["redirect.location"] = Roles.Redirect,
        ["redirect.status"] = Roles.Redirect,
        ["path.missing"] = Roles.Missing,
        ["path.cookie-setter"] = Roles.CookieSetter,
        ["path.cookie-checker"] = Roles.CookieChecker,
        ["cookie.name"] = Roles.CookieChecker,
        ["path.cookie-echo"] = Roles.CookieEcho,
        ["path.echo"] = Roles.Echo,
        ["echo.method"] = Roles.Echo,
        ["path.ranges"] = Roles.Ranges,
        ["path.negotiated"] = Roles.Negotiated,
        ["negotiated.field"] = Roles.Negotiated,
        ["negotiated.first"] = Roles.Negotiated,
        ["negotiated.second"] = Roles.Negotiated,
        ["path.writable"] = Roles.Writable,
    };

    /// <summary>Seeded values that may be drawn several times in one case as NAME.2 .. NAME.9.</summary>
    private static readonly HashSet<string> Numbered = new(StringComparer.Ordinal)
    {
        "random.token", "random.cookie-name", "random.cookie-value", "path.missing", "path.writable",
    };

    /// <summary>The value transforms, applied left to right after the name is resolved.</summary>
    public static readonly IReadOnlyDictionary<string, string> Transforms = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["earlier"] = "an HTTP-date one day before the value (an IMF-fixdate), for If-Modified-Since that must not match",
        ["weak"] = "the weak form W/\"x\" of an entity-tag \"x\" (unchanged if already weak)",
        ["strong"] = "the entity-tag unchanged when it is strong; a weak one SKIPs the case (If-Match and If-Range compare strongly, so no weak tag can make them true)",
        ["tamper"] = "the value with one seeded character of its cookie-value (after the first '=') replaced by another cookie-octet",
        ["origin-form"] = "a URI-reference resolved against the target and reduced to its path and query, to follow a Location",
    };

    public static IEnumerable<string> Known => RoleByPlaceholder.Keys;

    /// <summary>Splits "name.2|t1|t2" into its base name ("name", number dropped), the full name ("name.2") and its transforms.</summary>
    public static PlaceholderSpec Parse(string raw)
    {
        var parts = raw.Split('|');
        var full = parts[0];
        var baseName = full;
        var dot = full.LastIndexOf('.');
        if (dot > 0 && full.Length - dot == 2 && full[^1] is >= '2' and <= '9' && Numbered.Contains(full[..dot])) baseName = full[..dot];
        return new PlaceholderSpec(baseName, full, parts[1..]);
    }

    /// <summary>Null when the placeholder is known and every transform exists; else what is wrong.</summary>
    public static string? Problem(string raw)
    {
        var spec = Parse(raw);
        if (!RoleByPlaceholder.ContainsKey(spec.BaseName) && !spec.BaseName.StartsWith(CapturePrefix, StringComparison.Ordinal))
            return $"unknown placeholder {{{raw}}}";
        foreach (var t in spec.Transforms)
        {
            if (!Transforms.ContainsKey(t))
                return $"unknown transform \"|{t}\" in {{{raw}}}; known: {string.Join(", ", Transforms.Keys.Select(k => "|" + k))}";
        }
        return null;
    }

    /// <summary>The role a placeholder needs, or null when it needs none.</summary>
    public static string? RoleFor(string raw) => RoleByPlaceholder.GetValueOrDefault(Parse(raw).BaseName);

    /// <summary>"capture.NAME" for a capture placeholder (transforms dropped), else null.</summary>
    public static string? CaptureName(string raw)
    {
        var spec = Parse(raw);
        return spec.BaseName.StartsWith(CapturePrefix, StringComparison.Ordinal) ? spec.BaseName[CapturePrefix.Length..] : null;
    }

}

/// <summary>A parsed placeholder: <see cref="FullName"/> keeps a draw number ("path.missing.2"), <see cref="BaseName"/> does not.</summary>
public sealed record PlaceholderSpec(string BaseName, string FullName, IReadOnlyList<string> Transforms);

/// <summary>The role names, as spelt in profiles (fixtures/targets/*.json, "roles").</summary>
public static class Roles
{
    public const string Existing = "existing";
    public const string Validators = "validators";
    public const string Redirect = "redirect";
    public const string Missing = "missing";
    public const string CookieSetter = "cookieSetter";
    public const string CookieChecker = "cookieChecker";
    public const string CookieEcho = "cookieEcho";
    public const string SecureCookieSetter = "secureCookieSetter";
    public const string Echo = "echo";
    public const string Ranges = "ranges";
    public const string Negotiated = "negotiated";
    public const string Writable = "writable";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        Existing, Validators, Redirect, Missing, CookieSetter, CookieChecker, CookieEcho, SecureCookieSetter, Echo, Ranges, Negotiated, Writable,
    };
}
