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
            requirement: "rfc6265-5.3-process-received-cookie",
            level: RequirementLevel.Must,
            does: "Loads the cookie setter in Chromium and compares the browser's cookie jar with every Set-Cookie line "
                + "the browser received: each cookie is stored with the value, Path, HttpOnly, SameSite and expiry the server sent.",
            needs: [Roles.CookieSetter],
            scenario: BrowserScenario.CookieStored,
            raw: ["cookies-set-cookie-grammar", "cookies-names-are-tokens-and-values-cookie-octets", "cookies-expires-and-max-age-syntax"]),
        Declare(
            id: "browser-cookie-round-trip",
            requirement: "rfc6265-5.4-send-cookie-string",
            level: RequirementLevel.Must,
            does: "Loads the cookie setter, then the cookie checker in the same browser context: the checker's request "
                + "carries the cookies in one Cookie header, and the checker answers that it recognised them.",
            needs: [Roles.CookieSetter, Roles.CookieChecker],
            scenario: BrowserScenario.CookieRoundTrip,
            raw: ["cookies-round-trip-is-recognised"]),
        Declare(
            id: "browser-redirect-301-followed",
            requirement: "rfc9110-15.4.2-301-status-code-indicates",
            level: RequirementLevel.Must,
            // The case checks the profile's redirect end to end, like the raw redirect cases: it quotes the 301
            // definition (no keyword; the profile makes it the server's declared behaviour), not the Location SHOULD.
            does: "Loads the redirect source in Chromium: the chain shows the profile's redirect status with a Location, "
                + "then the profile's location (resolved against the target) answered 200.",
            needs: [Roles.Redirect],
            scenario: BrowserScenario.Redirect,
            raw: ["redirect-status-is-the-profiles", "redirect-has-location", "redirect-location-resolves-to-target", "redirect-following-location-gets-200"]),
        Declare(
            id: "browser-reload-revalidates-304",
            requirement: "rfc9110-13.1.2-not-perform-requested-method",
            level: RequirementLevel.Must,
            does: "Loads the validators resource, then reloads it: Chromium revalidates with If-None-Match (or If-Modified-Since), "
                + "the network shows a 304 (RFC 9110 §15.4.5), and the page still shows the content of the first load.",
            needs: [Roles.Validators],
            scenario: BrowserScenario.Revalidation,
            raw: ["conditional-inm-exact-tag-is-304", "conditional-ims-last-modified-is-304", "conditional-304-has-no-content"]),
        Declare(
            id: "browser-missing-shows-404-page",
            requirement: "rfc9110-15.5.5-404-status-code-indicates",
            level: RequirementLevel.Must,
            does: "Loads a missing path in Chromium: the status is 404 (not a soft 404), and the page shown is the server's own "
                + "explanation (RFC 9110 §15.5: the server SHOULD send a representation), not Chromium's empty-response error page.",
            needs: [Roles.Missing],
            scenario: BrowserScenario.Missing,
            raw: ["missing-random-path-is-404", "missing-404-body-is-framed"]),
        Declare(
            id: "browser-cookie-secure-only-over-https",
            requirement: "rfc6265-5.4-secure-only-secure-protocol",
            level: RequirementLevel.Must,
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

    /// <summary>Every catalog id the browser cases cite, with the declaring line: the lint counts them and rejects an unknown one.</summary>
    public static IReadOnlyList<RequirementCitation> Citations => [.. All.Select(b => Citation(b.Case.RequirementId, b.Id, b.Case.Line))];

    private static RequirementCitation Citation(string requirementId, string id, int line) => new(requirementId, SourceFile, line, $"browser case {id}");

    // The sentence is the catalog's (fixtures/requirements/), cited by id like a fixture case's. An id the catalog
    // lacks never reaches a run: the lint, which every run passes before it starts, rejects it at this line. The
    // case still loads (so listing and filtering work), its sentence saying what is wrong rather than being empty.
    private static BrowserCase Declare(string id, string requirement, RequirementLevel level, string does,
        IReadOnlyList<string> needs, BrowserScenario scenario, IReadOnlyList<string> raw, [CallerLineNumber] int line = 0)
    {
        var cited = CitedRequirements.Find(Citation(requirement, id, line));
        return new BrowserCase
        {
            Case = new ConformanceCase
            {
                Id = id,
                Area = Area,
                RequirementId = requirement,
                Rfc = cited?.Rfc ?? new RfcReference(0, "0"),
                Level = level,
                Requirement = cited?.Shown ?? $"(requirement \"{requirement}\" is not in fixtures/requirements/; conformance lint names it)",
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
