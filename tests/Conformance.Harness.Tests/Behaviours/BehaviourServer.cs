using System.Globalization;
using System.Text;
using Conformance.Harness.Engine;
using Conformance.Harness.Fixtures;
using Conformance.Harness.Targets;
using Conformance.Harness.Tests.FaultServer;

namespace Conformance.Harness.Tests.Behaviours;

/// <summary>
/// Conformant route handlers on the fault server for every behaviour role (validators, redirect, cookies),
/// and the profile naming them. A fault test replaces one handler (or sets a <see cref="ConnectionFault"/>)
/// and runs the real fixture case: the failure then follows from that one broken behaviour.
/// </summary>
internal static class BehaviourServer
{
    public const string ETag = "\"v1-abc\"";
    public const string LastModified = "Mon, 01 Jan 2024 00:00:00 GMT";
    public const string SessionValue = "tok3n.s1gnature";

    public static TargetProfile Profile(Func<ProfileRoles, ProfileRoles>? adjust = null)
    {
        var roles = new ProfileRoles
        {
            Existing = new PathRole { Path = "/" },
            Validators = new PathRole { Path = "/v" },
            Redirect = new RedirectRole { Path = "/old", Location = "/new", Status = 301 },
            Missing = new MissingRole { Random = true, RandomPrefix = "/missing/" },
            CookieSetter = new PathRole { Path = "/cset" },
            CookieChecker = new CookieCheckerRole { Path = "/ccheck", Cookie = "sid", SeenStatus = 200, SeenBodyContains = "recognised {cookie.name}", NotSeenStatus = 401 },
            CookieEcho = new PathRole { Path = "/cecho" },
            Echo = new EchoRole { Path = "/echo" },
        };
        return new TargetProfile { Name = "behaviours", Roles = adjust is null ? roles : adjust(roles) };
    }

    public static Harness.Tests.FaultServer.FaultServer Start()
    {
        var server = new Harness.Tests.FaultServer.FaultServer();
        server.Map("/v", Validators);
        server.Map("/old", _ => Redirect("/new"));
        server.Map("/new", _ => FaultResponse.Text(200, "OK", "arrived"));
        server.Map("/cset", _ => SetCookies($"sid={SessionValue}; Path=/; HttpOnly; SameSite=Lax", "theme=light; Path=/; Max-Age=3600; Expires=Sun, 06 Nov 1994 08:49:37 GMT"));
        server.Map("/ccheck", r => Cookies(r).Contains($"sid={SessionValue}")
            ? FaultResponse.Text(200, "OK", "recognised sid")
            : FaultResponse.Text(401, "Unauthorized", "cookie not recognised"));
        server.Map("/cecho", r => FaultResponse.Text(200, "OK", string.Concat(Cookies(r).Select(c => c + "\n"))));
        return server;
    }

    public static FaultResponse Redirect(string? location, int status = 301)
    {
        var response = FaultResponse.Text(status, status == 301 ? "Moved Permanently" : "Found", "moved");
        if (location is not null) response.Headers.Add(new("Location", location));
        return response;
    }

    public static FaultResponse SetCookies(params string[] lines)
    {
        var response = FaultResponse.Text(200, "OK", "cookies set");
        foreach (var line in lines) response.Headers.Add(new("Set-Cookie", line));
        return response;
    }

    public static IReadOnlyList<string> Cookies(FaultRequest r)
        => [.. r.Headers.Where(h => h.Key.Equals("Cookie", StringComparison.OrdinalIgnoreCase))
            .SelectMany(h => h.Value.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))];

    /// <summary>The fields a 200 of the validator resource carries, which a 304 must repeat (RFC 9110 §15.4.5).</summary>
    public static List<KeyValuePair<string, string>> ValidatorFields(string etag = ETag) =>
    [
        new("ETag", etag),
        new("Cache-Control", "max-age=60"),
        new("Expires", "Sun, 06 Nov 2095 08:49:37 GMT"),
        new("Vary", "Accept-Encoding"),
        new("Content-Location", "/v"),
    ];

    /// <summary>RFC 9110 §13.2.2 steps 3-4: If-None-Match by weak comparison (lists, *), else If-Modified-Since for a valid date.</summary>
    public static FaultResponse Validators(FaultRequest r)
    {
        var notModified = false;
        if (r.Header("If-None-Match") is { } inm)
        {
            notModified = inm.Trim() == "*" || inm.Split(',').Select(t => t.Trim()).Any(t => Weak(t) == Weak(ETag));
        }
        else if (r.Header("If-Modified-Since") is { } ims
            && DateTimeOffset.TryParseExact(ims, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var since))
        {
            notModified = DateTimeOffset.Parse(LastModified, CultureInfo.InvariantCulture) <= since;
        }
        if (notModified) return new FaultResponse { Status = 304, Reason = "Not Modified", Headers = ValidatorFields() };
        var ok = FaultResponse.Text(200, "OK", "validated content");
        ok.Headers.AddRange(ValidatorFields());
        ok.Headers.Add(new("Last-Modified", LastModified));
        return ok;
    }

    private static string Weak(string tag) => tag.StartsWith("W/", StringComparison.Ordinal) ? tag[2..] : tag;

    public static byte[] Raw(string text) => Encoding.Latin1.GetBytes(text.Replace("{date}", DateTimeOffset.UtcNow.ToString("r", CultureInfo.InvariantCulture), StringComparison.Ordinal));

    private static readonly Lazy<IReadOnlyDictionary<string, ConformanceCase>> AllCases = new(() =>
    {
        var root = RepoPaths.Root(TestContext.CurrentContext.TestDirectory);
        var set = FixtureSet.Load(RepoPaths.Cases(root), root, NamedCheckRegistry.Default);
        return set.Cases.ToDictionary(c => c.Id, StringComparer.Ordinal);
    });

    public static ConformanceCase Case(string id) => AllCases.Value[id];

    public static IEnumerable<ConformanceCase> CasesIn(params string[] areas) => AllCases.Value.Values.Where(c => areas.Contains(c.Area));
}
