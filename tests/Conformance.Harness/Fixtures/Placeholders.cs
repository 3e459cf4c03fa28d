namespace Conformance.Harness.Fixtures;

/// <summary>
/// The placeholders a fixture may use, and the profile role each one needs. Keeping the list here lets
/// the lint reject a misspelt placeholder before any run, naming its line.
/// </summary>
public static class Placeholders
{
    public const string CapturePrefix = "capture.";

    private static readonly Dictionary<string, string?> RoleByPlaceholder = new(StringComparer.Ordinal)
    {
        ["host"] = null,
        ["random.token"] = null,
        ["path.existing"] = Roles.Existing,
        ["path.validators"] = Roles.Validators,
        ["path.redirect"] = Roles.Redirect,
        ["redirect.location"] = Roles.Redirect,
        ["redirect.status"] = Roles.Redirect,
        ["path.missing"] = Roles.Missing,
        ["path.cookie-setter"] = Roles.CookieSetter,
        ["path.cookie-checker"] = Roles.CookieChecker,
        ["path.echo"] = Roles.Echo,
        ["echo.method"] = Roles.Echo,
    };

    public static IEnumerable<string> Known => RoleByPlaceholder.Keys;

    public static bool IsKnown(string name) => RoleByPlaceholder.ContainsKey(name) || name.StartsWith(CapturePrefix, StringComparison.Ordinal);

    /// <summary>The role a placeholder needs, or null when it needs none.</summary>
    public static string? RoleFor(string name) => RoleByPlaceholder.GetValueOrDefault(name);
}

/// <summary>The role names, as spelt in profiles (fixtures/targets/*.json, "roles").</summary>
public static class Roles
{
    public const string Existing = "existing";
    public const string Validators = "validators";
    public const string Redirect = "redirect";
    public const string Missing = "missing";
    public const string CookieSetter = "cookieSetter";
    public const string CookieChecker = "cookieChecker";
    public const string Echo = "echo";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        Existing, Validators, Redirect, Missing, CookieSetter, CookieChecker, Echo,
    };
}
