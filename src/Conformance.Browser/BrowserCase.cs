using Conformance.Harness.Fixtures;

namespace Conformance.Harness.Browser;

/// <summary>What a browser case makes Chromium do; each has its own probe in <see cref="BrowserProbes"/>.</summary>
public enum BrowserScenario
{
    /// <summary>Load the cookie setter; compare the jar with the Set-Cookie lines received.</summary>
    CookieStored,
    /// <summary>Load the setter, then the checker: the Cookie header goes back and the checker recognises it.</summary>
    CookieRoundTrip,
    /// <summary>Load the redirect source: a 3xx hop, then the declared location with 200.</summary>
    Redirect,
    /// <summary>Load the validators resource, reload it: a conditional request answered 304, content still shown.</summary>
    Revalidation,
    /// <summary>Load a missing path: 404 with a page of the server's own.</summary>
    Missing,
    /// <summary>Load the Secure cookie setter over https: the cookie goes back over https and never over http.</summary>
    SecureCookie,
}

/// <summary>
/// A browser case: the same identity as a fixture case (id, area, RFC, level, requirement, description,
/// roles), so it is listed, filtered, reported and gated like one, plus what the browser does and the raw
/// cases whose verdicts it is compared with (<see cref="BrowserAgreement"/>).
/// </summary>
public sealed record BrowserCase
{
    /// <summary>The case as the rest of the harness sees it; it has no byte steps (the browser makes the requests).</summary>
    public required ConformanceCase Case { get; init; }

    public required BrowserScenario Scenario { get; init; }

    /// <summary>Ids of the raw-socket cases that judge the same behaviour from the bytes.</summary>
    public required IReadOnlyList<string> RawCounterparts { get; init; }

    public string Id => Case.Id;

    public override string ToString() => Id;
}
