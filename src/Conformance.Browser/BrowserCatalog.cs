using System.Runtime.CompilerServices;
using Conformance.Harness.Fixtures;
using Conformance.Harness.Model;

namespace Conformance.Harness.Browser;

/// <summary>
/// The browser cases, declared as data. They live here rather than in fixtures/cases because a browser case
/// has no bytes to spell: Chromium writes the requests, and what is judged is what it made of the answers.
/// The fields are those of a fixture case (README "Browser cases"); the source line of each declaration is
/// its fixture location. Ids are checked unique against the fixtures by BrowserCatalogTests.
/// </summary>
public static class BrowserCatalog
{
    public const string Area = "browser";

    /// <summary>Repository-relative path of this file: the "fixture" every browser case points at.</summary>
    public const string SourceFile = "src/Conformance.Browser/BrowserCatalog.cs";

    public static IReadOnlyList<BrowserCase> All { get; } =
    [
        Declare(
            id: "browser-cookie-stored-as-sent",
            rfc: "RFC 6265 §5.3",
            level: RequirementLevel.Must,
            requirement: "When the user agent \"receives a cookie\" from a request-uri with name cookie-name, value cookie-value, "
                + "and attributes cookie-attribute-list, the user agent MUST process the cookie as follows: ...",
            does: "Loads the cookie setter in Chromium and compares the browser's cookie jar with every Set-Cookie line "
                + "the browser received: each cookie is stored with the value, Path, HttpOnly, SameSite and expiry the server sent.",
            needs: [Roles.CookieSetter],
            scenario: BrowserScenario.CookieStored,
            raw: ["cookies-set-cookie-grammar", "cookies-names-are-tokens-and-values-cookie-octets", "cookies-expires-and-max-age-syntax"]),
        Declare(
            id: "browser-cookie-round-trip",
            rfc: "RFC 6265 §5.4",
            level: RequirementLevel.Must,
            requirement: "If the user agent does attach a Cookie header field to an HTTP request, the user agent MUST send "
                + "the cookie-string (defined below) as the value of the header field.",
            does: "Loads the cookie setter, then the cookie checker in the same browser context: the checker's request "
                + "carries the cookies in one Cookie header, and the checker answers that it recognised them.",
            needs: [Roles.CookieSetter, Roles.CookieChecker],
            scenario: BrowserScenario.CookieRoundTrip,
            raw: ["cookies-round-trip-is-recognised"]),
        Declare(
            id: "browser-redirect-301-followed",
            rfc: "RFC 9110 §15.4.2",
            level: RequirementLevel.Must,
            // The case checks the profile's redirect end to end, like the raw redirect cases: it quotes the 301
            // definition (no keyword; the profile makes it the server's declared behaviour), not the Location SHOULD.
            requirement: "The 301 (Moved Permanently) status code indicates that the target resource has been assigned a new "
                + "permanent URI and any future references to this resource ought to use one of the enclosed URIs.",
            does: "Loads the redirect source in Chromium: the chain shows the profile's redirect status with a Location, "
                + "then the profile's location (resolved against the target) answered 200.",
            needs: [Roles.Redirect],
            scenario: BrowserScenario.Redirect,
            raw: ["redirect-status-is-the-profiles", "redirect-has-location", "redirect-location-resolves-to-target", "redirect-following-location-gets-200"]),
        Declare(
            id: "browser-reload-revalidates-304",
            rfc: "RFC 9110 §13.1.2",
            level: RequirementLevel.Must,
            requirement: "An origin server that evaluates an If-None-Match condition MUST NOT perform the requested method if "
                + "the condition evaluates to false; instead, the origin server MUST respond with either a) the 304 (Not Modified) "
                + "status code if the request method is GET or HEAD or b) the 412 (Precondition Failed) status code for all other request methods.",
            does: "Loads the validators resource, then reloads it: Chromium revalidates with If-None-Match (or If-Modified-Since), "
                + "the network shows a 304 (RFC 9110 §15.4.5), and the page still shows the content of the first load.",
            needs: [Roles.Validators],
            scenario: BrowserScenario.Revalidation,
            raw: ["conditional-inm-exact-tag-is-304", "conditional-ims-last-modified-is-304", "conditional-304-has-no-content"]),
        Declare(
            id: "browser-missing-shows-404-page",
            rfc: "RFC 9110 §15.5.5",
            level: RequirementLevel.Must,
            requirement: "The 404 (Not Found) status code indicates that the origin server did not find a current representation "
                + "for the target resource or is not willing to disclose that one exists.",
            does: "Loads a missing path in Chromium: the status is 404 (not a soft 404), and the page shown is the server's own "
                + "explanation (RFC 9110 §15.5: the server SHOULD send a representation), not Chromium's empty-response error page.",
            needs: [Roles.Missing],
            scenario: BrowserScenario.Missing,
            raw: ["missing-random-path-is-404", "missing-404-body-is-framed"]),
        Declare(
            id: "browser-cookie-secure-only-over-https",
            rfc: "RFC 6265 §5.4",
            level: RequirementLevel.Must,
            requirement: "If the cookie's secure-only-flag is true, then the request-uri's scheme must denote a \"secure\" protocol "
                + "(as defined by the user agent).",
            does: "Over an https target that also listens on plain http (--server reference --tls): loads the Secure cookie "
                + "setter over https; the cookie is stored with its Secure flag (RFC 6265 §4.1.2.5), goes back to the existing "
                + "resource over https, and is not sent to the same resource over http. SKIPs on an http target or with no plain-http twin.",
            needs: [Roles.SecureCookieSetter, Roles.Existing],
            scenario: BrowserScenario.SecureCookie,
            // No raw case can judge it: what is sent back is the browser's decision, on the flag the server set.
            raw: []),
    ];

    /// <summary>The browser cases as plain cases, for listing and filtering.</summary>
    public static IReadOnlyList<ConformanceCase> Cases { get; } = All.Select(b => b.Case).ToList();

    public static BrowserCase? Find(string id) => All.FirstOrDefault(b => b.Id == id);

    public static bool IsBrowserArea(string area) => area == Area;

    private static BrowserCase Declare(string id, string rfc, RequirementLevel level, string requirement, string does,
        IReadOnlyList<string> needs, BrowserScenario scenario, IReadOnlyList<string> raw, [CallerLineNumber] int line = 0)
    {
        if (!RfcReference.TryParse(rfc, out var reference) || reference is null)
            throw new InvalidOperationException($"{SourceFile}:{line}: \"{rfc}\" is not an RFC reference");
        return new BrowserCase
        {
            Case = new ConformanceCase
            {
                Id = id,
                Area = Area,
                Rfc = reference,
                Level = level,
                Requirement = requirement,
                Description = does,
                SourceFile = SourceFile,
                Line = line,
                Steps = [],
                NeededRoles = needs.ToHashSet(StringComparer.Ordinal),
            },
            Scenario = scenario,
            RawCounterparts = raw,
        };
    }
}
