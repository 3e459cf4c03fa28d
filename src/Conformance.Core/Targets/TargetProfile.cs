using System.Text.Json;
using System.Text.Json.Serialization;

namespace Conformance.Harness.Targets;

/// <summary>
/// Where each role (a resource a case needs: an existing page, a redirect, a cookie setter, ...) lives on
/// one server. A role left out makes the cases that need
/// it SKIP, never FAIL. Loaded from fixtures/targets/*.json; unknown fields are rejected.
/// </summary>
public sealed record TargetProfile
{
    /// <summary>Short name used in report paths and baselines, e.g. "reference", "nginx".</summary>
    public required string Name { get; init; }

    public string? Description { get; init; }

    public ProfileRoles Roles { get; init; } = new();

    /// <summary>The file this profile was read from, for messages.</summary>
    [JsonIgnore]
    public string? SourceFile { get; init; }

    /// <summary>The one place that knows which role name maps to which field: a role left out makes its cases SKIP.</summary>
    public bool HasRole(string role) => role switch
    {
        Fixtures.Roles.Existing => Roles.Existing is not null,
        Fixtures.Roles.Validators => Roles.Validators is not null,
        Fixtures.Roles.Redirect => Roles.Redirect is not null,
        Fixtures.Roles.Missing => Roles.Missing is not null,
        Fixtures.Roles.CookieSetter => Roles.CookieSetter is not null,
        Fixtures.Roles.CookieChecker => Roles.CookieChecker is not null,
        Fixtures.Roles.CookieEcho => Roles.CookieEcho is not null,
        Fixtures.Roles.SecureCookieSetter => Roles.SecureCookieSetter is not null,
        Fixtures.Roles.Echo => Roles.Echo is not null,
        Fixtures.Roles.Ranges => Roles.Ranges is not null,
        Fixtures.Roles.Negotiated => Roles.Negotiated is not null,
        Fixtures.Roles.Writable => Roles.Writable is not null,
        _ => false,
    };

    /// <summary>The SKIP reason for a case that needs a role this profile leaves out.</summary>
    public string RoleMissing(string role) => $"needs the \"{role}\" role, which profile \"{Name}\" does not declare";
}

public sealed record ProfileRoles
{
    /// <summary>Any resource that answers 200 to GET.</summary>
    public PathRole? Existing { get; init; }

    /// <summary>A resource that answers 200 with ETag and/or Last-Modified.</summary>
    public PathRole? Validators { get; init; }

    public RedirectRole? Redirect { get; init; }

    public MissingRole? Missing { get; init; }

    public PathRole? CookieSetter { get; init; }

    public CookieCheckerRole? CookieChecker { get; init; }

    /// <summary>
    /// A resource that answers 200 listing every cookie it received, one "name=value" line each (RFC 6265
    /// §4.2.1 pairs): seeded random cookies round-trip through it. Independent of the checker's mode.
    /// </summary>
    public PathRole? CookieEcho { get; init; }

    /// <summary>
    /// A resource that answers 200 and sets at least one cookie with the Secure attribute (RFC 6265 §4.1.2.5)
    /// whose Path covers the "existing" resource: the browser case loads it over https and checks the cookie
    /// comes back over https and never over http.
    /// </summary>
    public PathRole? SecureCookieSetter { get; init; }

    public EchoRole? Echo { get; init; }

    /// <summary>
    /// A resource that answers byte-range requests (RFC 9110 §14) and has an ETag and a Last-Modified, so
    /// If-Range can be tested. A static file on most servers; it may be the same path as "validators".
    /// </summary>
    public PathRole? Ranges { get; init; }

    /// <summary>A resource whose representation is chosen by a request field (proactive negotiation, RFC 9110 §12.5.5).</summary>
    public NegotiatedRole? Negotiated { get; init; }

    /// <summary>
    /// A folder where PUT creates a resource (RFC 9110 §9.3.4): the precondition cases PUT to fresh seeded
    /// paths under it, so "If-Match: *" can meet a resource with no current representation.
    /// </summary>
    public PathRole? Writable { get; init; }
}

public sealed record PathRole
{
    public required string Path { get; init; }
}

public sealed record RedirectRole
{
    public required string Path { get; init; }

    /// <summary>Where the redirect must lead, as an absolute path or absolute URI.</summary>
    public required string Location { get; init; }

    /// <summary>The redirect status the server is configured to send.</summary>
    public int Status { get; init; } = 301;
}

public sealed record MissingRole
{
    /// <summary>Paths declared missing on this server.</summary>
    public IReadOnlyList<string> Paths { get; init; } = [];

    /// <summary>When true, seeded random paths under <see cref="RandomPrefix"/> are also treated as missing.</summary>
    public bool Random { get; init; } = true;

    public string RandomPrefix { get; init; } = "/";
}

/// <summary>How a cookie checker shows it saw (or did not see) the cookie it was sent.</summary>
public sealed record CookieCheckerRole
{
    public required string Path { get; init; }

    /// <summary>
    /// "validates": the checker recognises only the value the setter issued (a tampered value is refused);
    /// "echoes": it reflects whatever cookie it received (tamper controls do not apply; variety cases do).
    /// </summary>
    public string Mode { get; init; } = "validates";

    /// <summary>The cookie-name the checker looks for among those the setter issues ({cookie.name}); without it the round-trip cases SKIP.</summary>
    public string? Cookie { get; init; }

    /// <summary>The status that means "cookie recognised".</summary>
    public int SeenStatus { get; init; } = 200;

    /// <summary>Text the body holds when the cookie is recognised; may use {cookie.name} and {cookie.value}.</summary>
    public string? SeenBodyContains { get; init; }

    /// <summary>The status that means "no valid cookie"; null when the checker answers the same status either way.</summary>
    public int? NotSeenStatus { get; init; }
}

/// <summary>Where a negotiated resource lives, the request field it varies on, and two values that select different representations.</summary>
public sealed record NegotiatedRole
{
    public required string Path { get; init; }

    /// <summary>The request field the selection depends on, e.g. "Accept-Language"; Vary must list it.</summary>
    public required string Field { get; init; }

    /// <summary>Two values of <see cref="Field"/> that select two different representations, e.g. ["en", "fr"].</summary>
    public required IReadOnlyList<string> Values { get; init; }
}

public sealed record EchoRole
{
    public required string Path { get; init; }

    public string Method { get; init; } = "POST";
}

/// <summary>A profile that cannot be used. The message names the file, line and field.</summary>
public sealed class ProfileException(string message) : Exception(message);

public static class TargetProfileLoader
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = false,
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
    };

    public static TargetProfile Load(string path)
    {
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ProfileException($"{path}: cannot read the profile: {e.Message}");
        }
        return Parse(json, path);
    }

    public static TargetProfile Parse(string json, string sourceName)
    {
        TargetProfile? profile;
        try
        {
            profile = JsonSerializer.Deserialize<TargetProfile>(json, Options);
        }
        catch (JsonException e) when (UnknownMember(e, sourceName) is { } unknown)
        {
            throw new ProfileException(unknown);
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is long line ? $":{line + 1}" : "";
            var field = string.IsNullOrEmpty(e.Path) ? "" : $" (field {e.Path})";
            throw new ProfileException($"{sourceName}{where}{field}: {FirstSentence(e.Message)}");
        }
        if (profile is null) throw new ProfileException($"{sourceName}: the profile is empty (expected a JSON object)");
        profile = profile with { SourceFile = sourceName };
        Validate(profile);
        return profile;
    }

    private static void Validate(TargetProfile p)
    {
        var file = p.SourceFile;
        if (string.IsNullOrWhiteSpace(p.Name) || !p.Name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            throw new ProfileException($"{file} (field $.name): must be a short name of letters, digits, '-', '_' or '.', got \"{p.Name}\"");
        void RequirePath(string? path, string field)
        {
            if (path is null) return;
            if (!path.StartsWith('/') || path.Any(c => c <= ' ' || c >= 0x7f))
                throw new ProfileException($"{file} (field {field}): must be an absolute path starting with '/' and holding no spaces or control bytes, got \"{path}\"");
        }
        var r = p.Roles;
        RequirePath(r.Existing?.Path, "$.roles.existing.path");
        RequirePath(r.Validators?.Path, "$.roles.validators.path");
        RequirePath(r.Redirect?.Path, "$.roles.redirect.path");
        RequirePath(r.CookieSetter?.Path, "$.roles.cookieSetter.path");
        RequirePath(r.CookieChecker?.Path, "$.roles.cookieChecker.path");
        RequirePath(r.Echo?.Path, "$.roles.echo.path");
        RequirePath(r.CookieEcho?.Path, "$.roles.cookieEcho.path");
        RequirePath(r.SecureCookieSetter?.Path, "$.roles.secureCookieSetter.path");
        RequirePath(r.Ranges?.Path, "$.roles.ranges.path");
        RequirePath(r.Negotiated?.Path, "$.roles.negotiated.path");
        RequirePath(r.Writable?.Path, "$.roles.writable.path");
        if (r.Writable is { } w && !w.Path.EndsWith('/'))
            throw new ProfileException($"{file} (field $.roles.writable.path): must be a folder ending in '/', under which the cases PUT to fresh names, got \"{w.Path}\"");
        if (r.Negotiated is { } n)
        {
            if (n.Field.Length == 0 || !n.Field.All(c => c > ' ' && c < 0x7F && !"()<>@,;:\\\"/[]?={}".Contains(c, StringComparison.Ordinal)))
                throw new ProfileException($"{file} (field $.roles.negotiated.field): must be a field name (a token), got \"{n.Field}\"");
            if (n.Values.Count != 2 || n.Values.Any(v => v.Length == 0 || v.Any(c => c < ' ' || c >= 0x7F)) || n.Values[0] == n.Values[1])
                throw new ProfileException($"{file} (field $.roles.negotiated.values): must be two different printable values of {n.Field} that select different representations");
        }
        if (r.Missing is { } m)
        {
            for (var i = 0; i < m.Paths.Count; i++) RequirePath(m.Paths[i], $"$.roles.missing.paths[{i}]");
            RequirePath(m.RandomPrefix, "$.roles.missing.randomPrefix");
            if (m.Paths.Count == 0 && !m.Random)
                throw new ProfileException($"{file} (field $.roles.missing): declares no paths and turns random paths off; leave the role out instead");
        }
        if (r.Redirect is { } red && red.Status is < 300 or > 399)
            throw new ProfileException($"{file} (field $.roles.redirect.status): must be a 3xx status, got {red.Status}");
        if (r.CookieChecker is { } cc && cc.Mode is not ("validates" or "echoes"))
            throw new ProfileException($"{file} (field $.roles.cookieChecker.mode): must be \"validates\" or \"echoes\", got \"{cc.Mode}\"");
        if (r.CookieChecker is { Cookie: { } cookie } && (cookie.Length == 0 || !cookie.All(c => c > ' ' && c < 0x7F && !"()<>@,;:\\\"/[]?={}".Contains(c, StringComparison.Ordinal))))
            throw new ProfileException($"{file} (field $.roles.cookieChecker.cookie): must be a cookie-name (a token, RFC 6265 §4.1.1), got \"{cookie}\"");
        if (r.CookieChecker?.SeenBodyContains is { } seen && System.Text.RegularExpressions.Regex.Matches(seen, "\\{([^}]*)\\}").Any(m => m.Groups[1].Value is not ("cookie.name" or "cookie.value")))
            throw new ProfileException($"{file} (field $.roles.cookieChecker.seenBodyContains): may use only {{cookie.name}} and {{cookie.value}}, got \"{seen}\"");
    }

    /// <summary>The JSON names each profile object accepts, and what a profile author calls them.</summary>
    private static readonly (Type Type, string Noun)[] Objects =
    [
        (typeof(TargetProfile), "field"),
        (typeof(ProfileRoles), "role"),
        (typeof(PathRole), "field"),
        (typeof(RedirectRole), "field"),
        (typeof(MissingRole), "field"),
        (typeof(CookieCheckerRole), "field"),
        (typeof(EchoRole), "field"),
    ];

    /// <summary>
    /// System.Text.Json says "could not be mapped to any .NET member contained in type ..."; a profile author
    /// needs the name they wrote, where, the names that are valid there, and the nearest one.
    /// </summary>
    private static string? UnknownMember(JsonException e, string sourceName)
    {
        var match = System.Text.RegularExpressions.Regex.Match(e.Message, "The JSON property '(?<name>[^']*)' could not be mapped to any \\.NET member contained in type '(?<type>[^']*)'");
        if (!match.Success) return null;
        var name = match.Groups["name"].Value;
        var typeName = match.Groups["type"].Value;
        var (type, noun) = Objects.FirstOrDefault(o => o.Type.FullName == typeName);
        if (type is null) return null;
        var valid = Options.GetTypeInfo(type).Properties.Where(p => p.Get is not null || p.Set is not null).Select(p => p.Name).ToList();
        var parent = e.Path is { Length: > 0 } path && path.LastIndexOf('.') is var dot and > 1 ? $" (in {path[..dot]})" : "";
        var line = e.LineNumber is long l ? $" line {l + 1}" : "";
        return $"unknown {noun} '{name}' in {sourceName}{line}{parent}; valid {noun}s: {string.Join(", ", valid)}{Model.NearestName.Hint(name, valid)}";
    }

    private static string FirstSentence(string message)
    {
        // System.Text.Json appends "Path: ... | LineNumber: ..." which we already render ourselves.
        var cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
        var sentence = cut > 0 ? message[..cut] : message;
        // Its wording names .NET types ("could not be converted to System.String"); a profile author thinks in JSON.
        return sentence.Replace("could not be converted to System.String", "must be a string", StringComparison.Ordinal)
            .Replace("could not be converted to System.Int32", "must be a whole number", StringComparison.Ordinal)
            .Replace("could not be converted to System.Boolean", "must be true or false", StringComparison.Ordinal)
            .Replace("System.String", "string", StringComparison.Ordinal)
            .Replace("Conformance.Harness.Targets.", "", StringComparison.Ordinal);
    }
}
