using System.Globalization;
using Conformance.Harness.Fixtures;
using Conformance.Harness.Model;

namespace Conformance.Harness.Browser;

/// <summary>What each <see cref="BrowserScenario"/> makes Chromium do, and how its outcome is judged.</summary>
public static class BrowserProbes
{
    // The sentences the probes judge beside their case's own, cited by catalog id (fixtures/requirements/), never copied.
    private static readonly RequirementCitation ErrorRepresentation = RequirementCitation.Here("rfc9110-15.5-send-representation-explanation", "the browser probe's 404 page check");
    private static readonly RequirementCitation ImsRevalidation = RequirementCitation.Here("rfc9110-13.1.3-not-perform-requested-method", "the browser probe's If-Modified-Since revalidation check");
    private static readonly RequirementCitation SecureAttribute = RequirementCitation.Here("rfc6265-4.1.2.5-secure-attribute-secure-channel", "the browser probe's Secure attribute check");

    /// <summary>Every catalog id the probes cite, for the lint's citation count.</summary>
    public static IReadOnlyList<RequirementCitation> Citations { get; } = [ErrorRepresentation, ImsRevalidation, SecureAttribute];

    /// <summary>Records a finding against a cited sentence: its level, section and quote (with its basis) come from the catalog.</summary>
    private static bool CheckAgainst(BrowserProbe probe, RequirementCitation cited, bool holds, string rule, string expected, string actual)
    {
        var entry = CitedRequirements.Get(cited);
        return probe.Check(holds, rule, expected, actual, entry.Level, entry.Rfc, entry.Shown);
    }

    /// <summary>
    /// How far a stored expiry may be from the one computed here. Chromium dates a cookie by its network
    /// service's clock (and shifts Expires by its offset from the server's Date), which on the CI machines was
    /// seen up to two minutes off the host's and the page's clocks in both directions. So the expiry is judged
    /// loosely: session vs persistent exactly, the time to within max(10 min, 10% of the lifetime), which
    /// still tells an hour from a day.
    /// </summary>
    private static TimeSpan ExpiryTolerance(TimeSpan lifetime) => TimeSpan.FromTicks(Math.Max(TimeSpan.FromMinutes(10).Ticks, lifetime.Duration().Ticks / 10));

    public static Task RunAsync(BrowserProbe probe) => probe.Case.Scenario switch
    {
        BrowserScenario.CookieStored => CookieStoredAsync(probe),
        BrowserScenario.CookieRoundTrip => CookieRoundTripAsync(probe),
        BrowserScenario.Redirect => RedirectAsync(probe),
        BrowserScenario.Revalidation => RevalidationAsync(probe),
        BrowserScenario.Missing => MissingAsync(probe),
        BrowserScenario.SecureCookie => SecureCookieAsync(probe),
        _ => throw new ArgumentOutOfRangeException(nameof(probe), probe.Case.Scenario, "unknown browser scenario"),
    };

    /// <summary>
    /// Why <paramref name="case"/> cannot run against <paramref name="target"/> whatever the browser does, or null
    /// when it can. Decided before the case gets a context and a page: a case that can only SKIP would otherwise
    /// cost a renderer, a page and a screenshot of nothing while the raw cases compete for the same cores.
    /// </summary>
    public static string? CannotRun(BrowserCase @case, Engine.Target target) => @case.Scenario switch
    {
        BrowserScenario.SecureCookie => SecureCookieUnavailable(target),
        _ => null,
    };

    /// <summary>
    /// Whether <paramref name="case"/> may run before the target is known, from whether it could be https:
    /// the same rule as <see cref="CannotRun"/>, decided earlier (for the pages opened while the run sets up).
    /// </summary>
    public static bool MayRun(BrowserCase @case, bool targetMayBeHttps) => @case.Scenario != BrowserScenario.SecureCookie || targetMayBeHttps;

    private static async Task<(Uri Url, IReadOnlyList<SetCookieLine> Lines, DateTimeOffset At)?> LoadSetterAsync(BrowserProbe probe)
    {
        var url = probe.Url(probe.Target.Profile.Roles.CookieSetter!.Path);
        var response = await probe.GotoAsync(url, "the cookie setter").ConfigureAwait(false);
        if (response is null) return null;
        // Max-Age counts from when the browser received the cookie; the page's clock is the nearest to it we can read.
        var at = await probe.Page.NowAsync().ConfigureAwait(false);
        var headers = response.Headers;
        var lines = headers.Where(h => h.Key.Equals("set-cookie", StringComparison.OrdinalIgnoreCase))
            .Select(h => SetCookieLine.Parse(h.Value)).OfType<SetCookieLine>().ToList();
        probe.Check(lines.Count > 0, "set-cookie received", "at least one Set-Cookie line with a name=value pair from the cookie setter",
            headers.Any(h => h.Key.Equals("set-cookie", StringComparison.OrdinalIgnoreCase)) ? "Set-Cookie lines without a name=value pair only" : "no Set-Cookie line");
        return (url, lines, at);
    }

    /// <summary>Why Chromium refused a cookie, from DevTools' blockedCookies, when it said.</summary>
    private static string RefusalReason(BrowserProbe probe, Uri url, string name)
    {
        var reasons = probe.Log.WireFor(url.AbsoluteUri).SelectMany(w => w.BlockedCookies)
            .Where(b => b.StartsWith(name + "=", StringComparison.Ordinal)).ToList();
        return reasons.Count == 0 ? "Chromium did not store it" : "Chromium refused it: " + string.Join("; ", reasons.Select(r => r[(r.LastIndexOf(" — ", StringComparison.Ordinal) + 3)..]));
    }

    private static async Task CookieStoredAsync(BrowserProbe probe)
    {
        if (await LoadSetterAsync(probe).ConfigureAwait(false) is not var (url, lines, at)) return;
        var jar = await probe.Page.CookiesAsync(url.AbsoluteUri).ConfigureAwait(false);
        foreach (var line in lines)
        {
            var expiry = line.Expiry(at);
            var path = line.StoredPath(url);
            var stored = jar.FirstOrDefault(c => c.Name == line.Name && c.Path == path) ?? jar.FirstOrDefault(c => c.Name == line.Name);
            var what = $"cookie {line.Name}";
            if (expiry is { } e && e <= at)
            {
                // A cookie sent already expired deletes itself (§5.3 step 11); the browser must not keep it.
                probe.Check(stored is null, what + " expired", $"{line.Name} is not kept (it was sent already expired: {line.Line})", $"the jar holds {line.Name}={stored?.Value}");
                continue;
            }
            if (!probe.Check(stored is not null, what + " stored", $"the jar holds {line.Name} as sent: {line.Line}", RefusalReason(probe, url, line.Name)))
                continue;
            probe.Check(stored!.Value == line.Value, what + " value", $"value {line.Value}", $"value {stored.Value}");
            probe.Check(stored.Path == path, what + " Path", $"Path={path}", $"Path={stored.Path}");
            probe.Check(stored.HttpOnly == line.Has("HttpOnly"), what + " HttpOnly", line.Has("HttpOnly") ? "HttpOnly" : "not HttpOnly", stored.HttpOnly ? "HttpOnly" : "not HttpOnly");
            probe.Check(stored.Secure == line.Has("Secure"), what + " Secure", line.Has("Secure") ? "Secure" : "not Secure", stored.Secure ? "Secure" : "not Secure");
            if (line.Attribute("SameSite") is { Length: > 0 } sameSite)
            {
                var actual = stored.SameSite;
                probe.Check(string.Equals(actual, sameSite, StringComparison.OrdinalIgnoreCase), what + " SameSite", $"SameSite={sameSite}", $"SameSite={actual}");
            }
            var storedExpiry = stored.Expires < 0 ? (DateTimeOffset?)null : DateTimeOffset.FromUnixTimeMilliseconds((long)(stored.Expires * 1000));
            var tolerance = ExpiryTolerance((expiry ?? at) - at);
            var expectedText = expiry is { } x ? $"a persistent cookie expiring at {x:yyyy-MM-dd HH:mm:ss} UTC (±{tolerance.TotalMinutes:0} min)" : "a session cookie (no Max-Age or Expires)";
            var actualText = storedExpiry is { } y ? $"a persistent cookie expiring at {y:yyyy-MM-dd HH:mm:ss} UTC" : "a session cookie";
            var sameExpiry = (expiry, storedExpiry) switch
            {
                (null, null) => true,
                ({ } a, { } b) => (a - b).Duration() <= tolerance,
                _ => false,
            };
            probe.Check(sameExpiry, what + " expiry", expectedText, actualText);
        }
    }

    private static async Task CookieRoundTripAsync(BrowserProbe probe)
    {
        var checkerRole = probe.Target.Profile.Roles.CookieChecker!;
        if (await LoadSetterAsync(probe).ConfigureAwait(false) is not var (setterUrl, lines, _)) return;
        var checker = probe.Url(checkerRole.Path);
        var jar = await probe.Page.CookiesAsync(checker.AbsoluteUri).ConfigureAwait(false);
        probe.Check(jar.Count > 0, "cookies stored", $"the jar holds cookies for {checker.AbsolutePath} after the setter ran",
            "none: " + string.Join("; ", lines.Select(l => $"{l.Name}: {RefusalReason(probe, setterUrl, l.Name)}")));

        if (checkerRole.Cookie is { } expected)
        {
            probe.Check(jar.Any(c => c.Name == expected), $"cookie {expected} stored", $"the jar holds {expected}, the cookie the checker looks for",
                lines.Any(l => l.Name == expected) ? RefusalReason(probe, setterUrl, expected) : $"the setter sent no {expected} cookie");
        }
        var response = await probe.GotoAsync(checker, "the cookie checker").ConfigureAwait(false);
        if (response is null) return;
        var sent = response.Request.Values("cookie");
        var pairs = sent.SelectMany(v => v.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToHashSet(StringComparer.Ordinal);
        foreach (var c in jar)
        {
            probe.Check(pairs.Contains($"{c.Name}={c.Value}"), $"cookie {c.Name} sent", $"the checker's request carries {c.Name}={c.Value} in its Cookie header",
                sent.Count == 0 ? "no Cookie header" : "Cookie: " + string.Join(" / ", sent));
        }

        probe.Check(response.Status == checkerRole.SeenStatus, "checker status", $"{checkerRole.SeenStatus} (the checker recognises the cookie)",
            $"{response.Status} {response.StatusText}");
        if (checkerRole.SeenBodyContains is { } seen)
        {
            var body = System.Text.Encoding.UTF8.GetString(await probe.Page.BodyAsync(response).ConfigureAwait(false));
            // {cookie.name}/{cookie.value} name the cookie the checker looks for: the profile's cookieChecker.cookie,
            // or, when the profile does not say, any cookie the setter issued.
            var named = checkerRole.Cookie is { } cookie ? lines.Where(l => l.Name == cookie).ToList() : lines;
            var candidates = named.Select(l => seen.Replace("{cookie.name}", l.Name, StringComparison.Ordinal).Replace("{cookie.value}", l.Value, StringComparison.Ordinal))
                .DefaultIfEmpty(seen).Distinct(StringComparer.Ordinal).ToList();
            probe.Check(candidates.Any(c => body.Contains(c, StringComparison.Ordinal)), "checker body",
                "a body containing " + string.Join(" or ", candidates.Select(c => $"\"{c}\"")), $"\"{Shorten(body)}\"");
        }
    }

    private static async Task RedirectAsync(BrowserProbe probe)
    {
        var role = probe.Target.Profile.Roles.Redirect!;
        var source = probe.Url(role.Path);
        var expected = probe.Url(role.Location);
        var final = await probe.GotoAsync(source, "the redirect source").ConfigureAwait(false);
        if (final is null) return;

        var hops = new List<BrowserRequest>();
        for (var r = (BrowserRequest?)final.Request; r is not null; r = r.RedirectedFrom) hops.Insert(0, r);
        // GotoAsync records only the final status; the chain's earlier statuses come first.
        probe.Observed.Clear();
        foreach (var hop in hops) probe.Observed.Add(hop.Response?.Status.ToString(CultureInfo.InvariantCulture) ?? "no-response");
        var chain = string.Join(" -> ", hops.Select((h, i) => $"{h.Url} ({probe.Observed[i]})"));

        var first = hops[0].Response;
        probe.Check(first?.Status == role.Status, "redirect status", $"{role.Status} from {source.AbsolutePath} (the profile's redirect)", $"{first?.Status} — chain: {chain}");
        var location = first?.Header("location");
        if (probe.Check(location is not null, "Location", "a Location field in the redirect", "no Location field", RequirementLevel.Should))
        {
            var resolved = new Uri(source, location!);
            probe.Check(resolved == expected, "Location resolves", $"Location resolving to {expected.AbsoluteUri}", $"Location: {location} (resolves to {resolved.AbsoluteUri})");
        }
        probe.Check(hops.Count == 2, "one hop", $"one redirect, then {expected.AbsoluteUri}", $"{hops.Count - 1} redirect(s): {chain}", RequirementLevel.Should);
        var at = await probe.Page.UrlAsync().ConfigureAwait(false);
        probe.Check(at == expected.AbsoluteUri, "final URL", $"the browser ends at {expected.AbsoluteUri}", $"it ends at {at} — chain: {chain}");
        probe.Check(final.Status == 200, "final status", $"200 at {expected.AbsolutePath}", $"{final.Status} {final.StatusText}");
    }

    private static async Task RevalidationAsync(BrowserProbe probe)
    {
        var url = probe.Url(probe.Target.Profile.Roles.Validators!.Path);
        var first = await probe.GotoAsync(url, "the validators resource").ConfigureAwait(false);
        if (first is null) return;
        if (!probe.Check(first.Status == 200, "first load", "200 for the validators resource", $"{first.Status} {first.StatusText}")) return;
        var etag = first.Header("etag");
        var lastModified = first.Header("last-modified");
        if (etag is null && lastModified is null)
        {
            probe.SkipReason = "the validators resource sent neither ETag nor Last-Modified, so there is nothing to revalidate (the raw conditional cases judge the missing validators)";
            return;
        }
        var firstText = await probe.Page.BodyTextAsync().ConfigureAwait(false);

        // A reload makes Chromium revalidate (max-age=0) instead of reusing its fresh copy silently.
        var second = await probe.Page.ReloadAsync().ConfigureAwait(false);
        if (second is null)
        {
            probe.Observed.Add("no-response");
            probe.Check(false, "reload", "the reload gets a response", "no response");
            return;
        }
        string? Sent(string name) => second.Request.Values(name).FirstOrDefault();
        var inm = Sent("if-none-match");
        var ims = Sent("if-modified-since");
        if (inm is null && ims is null)
        {
            var cacheControl = first.Header("cache-control");
            probe.SkipReason = $"Chromium's reload carried neither If-None-Match nor If-Modified-Since (the first response's Cache-Control: {cacheControl ?? "(none)"}), so the server's 304 was not exercised";
            return;
        }

        // The page gets a revalidated response as the cached 200: the network status comes from the ExtraInfo record.
        var network = probe.Log.WireFor(url.AbsoluteUri);
        var networkStatus = network.Count >= 2 ? network[^1].Status : second.Status;
        probe.Observed.Add(networkStatus.ToString(CultureInfo.InvariantCulture));
        if (network.Count >= 2 && networkStatus != second.Status)
            probe.Note("cached-status", $"the page got the reload as {second.Status}; on the network it was {networkStatus} (Chromium served the stored content)");
        var conditions = string.Join(", ", new[] { inm is null ? null : $"If-None-Match: {inm}", ims is null ? null : $"If-Modified-Since: {ims}" }.OfType<string>());
        if (inm is not null)
            probe.Check(networkStatus == 304, "304 on revalidation", $"304 Not Modified to a reload with {conditions} (ETag {etag})", networkStatus.ToString(CultureInfo.InvariantCulture));
        else
            CheckAgainst(probe, ImsRevalidation, networkStatus == 304, "304 on revalidation", $"304 Not Modified to a reload with {conditions} (Last-Modified {lastModified})",
                networkStatus.ToString(CultureInfo.InvariantCulture));

        var secondText = await probe.Page.BodyTextAsync().ConfigureAwait(false);
        probe.Check(secondText.Length > 0 && secondText == firstText, "content after revalidation", $"the page still shows the content of the first load ({firstText.Length} characters)",
            secondText == firstText ? "an empty page" : $"{secondText.Length} characters: \"{Shorten(secondText)}\"");
    }

    private static async Task MissingAsync(BrowserProbe probe)
    {
        var path = probe.Values.Resolve("path.missing");
        var url = probe.Url(path);
        var response = await probe.GotoAsync(url, "a missing path", errorPageIsAnAnswer: true).ConfigureAwait(false);
        if (response is null && probe.ErrorPageStatus is not { } errorStatus) return;
        var status = response?.Status ?? probe.ErrorPageStatus!.Value;
        probe.Check(status == 404, "status", $"404 for {path}", $"{status} {response?.StatusText}".TrimEnd() + (status is >= 200 and < 300 ? " (a soft 404)" : ""));
        // With no content Chromium shows its own "HTTP ERROR 404" page: the rendered text alone would hide that.
        var body = response is null ? [] : await probe.Page.BodyAsync(response).ConfigureAwait(false);
        CheckAgainst(probe, ErrorRepresentation, body.Length > 0, "404 page", "a representation explaining the error, from the server", "no content: Chromium shows its own error page");
        if (body.Length > 0)
        {
            var rendered = (await probe.Page.BodyTextAsync().ConfigureAwait(false)).Trim();
            CheckAgainst(probe, ErrorRepresentation, rendered.Length > 0, "404 page rendered", "the page shows text", $"an empty page ({body.Length} bytes of content that render as nothing)");
        }
    }


    /// <summary>Why the Secure cookie case cannot run against this target, or null when it can.</summary>
    internal static string? SecureCookieUnavailable(Engine.Target target) =>
        !target.IsHttps
            ? $"the target {target.BaseUri.AbsoluteUri} is plain http, where a Secure cookie is neither set nor sent; run over TLS (--tls, or an https:// target) to judge it"
            : target.PlainBaseUri is null
                ? "no plain-http address of the same server is known (only --server reference --tls listens on both), so whether the cookie stays off http cannot be seen"
                : target.BaseUri.Host != target.PlainBaseUri.Host
                    ? $"the plain-http address {target.PlainBaseUri.AbsoluteUri} is on another host than {target.BaseUri.AbsoluteUri}, where a host-only cookie is never sent anyway"
                    : IsTrustworthyHost(target.BaseUri) && target.BaseUri.Host != "127.0.0.1"
                        ? $"Chromium treats http://{target.BaseUri.Host} as secure and sends Secure cookies to it; only a target at 127.0.0.1 (reached as {ChromiumLaunch.LoopbackAlias}) or a non-local host can show the cookie kept off http"
                        : null;

    /// <summary>Hosts Chromium counts as potentially trustworthy even over http: loopback addresses and localhost names.</summary>
    private static bool IsTrustworthyHost(Uri uri) =>
        uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6 && System.Net.IPAddress.TryParse(uri.DnsSafeHost, out var ip)
            ? System.Net.IPAddress.IsLoopback(ip)
            : uri.Host == "localhost" || uri.Host.EndsWith(".localhost", StringComparison.Ordinal);

    /// <summary>
    /// The URL Chromium should load: a 127.0.0.1 target is reached as <see cref="ChromiumLaunch.LoopbackAlias"/>
    /// (same address and port), so that its plain http is judged as an ordinary host's.
    /// </summary>
    private static Uri AsOrdinaryHost(Uri url) =>
        url.Host == "127.0.0.1" ? new UriBuilder(url) { Host = ChromiumLaunch.LoopbackAlias }.Uri : url;

    private static async Task SecureCookieAsync(BrowserProbe probe)
    {
        if (SecureCookieUnavailable(probe.Target) is { } why)
        {
            probe.SkipReason = why;
            return;
        }
        var setter = AsOrdinaryHost(probe.Url(probe.Target.Profile.Roles.SecureCookieSetter!.Path));
        var response = await probe.GotoAsync(setter, "the Secure cookie setter").ConfigureAwait(false);
        if (response is null) return;
        var lines = response.Headers
            .Where(h => h.Key.Equals("set-cookie", StringComparison.OrdinalIgnoreCase))
            .Select(h => SetCookieLine.Parse(h.Value)).OfType<SetCookieLine>().ToList();
        if (!probe.Check(lines.Count > 0, "set-cookie received", $"a Set-Cookie line with a name=value pair from {setter.AbsolutePath}", "no Set-Cookie line"))
            return;
        // Every cookie this role sets is one the profile declares secure-only: one sent without Secure is the
        // fault this case exists to catch, since the browser will then send it over http as well.
        foreach (var line in lines)
            CheckAgainst(probe, SecureAttribute, line.Has("Secure"), $"cookie {line.Name} Secure", $"{line.Name} set with the Secure attribute", line.Line);

        var jar = await probe.Page.CookiesAsync(setter.AbsoluteUri).ConfigureAwait(false);
        foreach (var line in lines)
        {
            var kept = jar.FirstOrDefault(c => c.Name == line.Name);
            if (probe.Check(kept is not null, $"cookie {line.Name} stored", $"the jar holds {line.Name} as sent over https: {line.Line}", RefusalReason(probe, setter, line.Name)))
                probe.Check(kept!.Secure == line.Has("Secure"), $"cookie {line.Name} secure-only", line.Has("Secure") ? "stored secure-only" : "stored for any scheme",
                    kept.Secure ? "stored secure-only" : "stored for any scheme");
        }
        var stored = jar.Where(c => lines.Any(l => l.Name == c.Name)).ToList();
        if (stored.Count == 0) return;

        var existing = probe.Target.Profile.Roles.Existing!.Path;
        var overHttps = await CookiesSentAsync(probe, AsOrdinaryHost(probe.Url(existing)), "the existing resource over https").ConfigureAwait(false);
        if (overHttps is null) return;
        foreach (var c in stored)
            probe.Check(overHttps.Pairs.Contains($"{c.Name}={c.Value}"), $"cookie {c.Name} sent over https", $"the https request for {existing} carries {c.Name}={c.Value}", overHttps.Shown);

        var plain = AsOrdinaryHost(new Uri(probe.Target.PlainBaseUri!, existing));
        var overHttp = await CookiesSentAsync(probe, plain, "the existing resource over plain http").ConfigureAwait(false);
        if (overHttp is null) return;
        foreach (var c in stored)
            probe.Check(!overHttp.Names.Contains(c.Name), $"cookie {c.Name} not sent over http", $"the http request for {plain.AbsoluteUri} carries no {c.Name}", overHttp.Shown);
    }

    private sealed record SentCookies(IReadOnlySet<string> Pairs, IReadOnlySet<string> Names, string Shown);

    /// <summary>Navigates to <paramref name="url"/> and reads the Cookie header Chromium sent with that request.</summary>
    private static async Task<SentCookies?> CookiesSentAsync(BrowserProbe probe, Uri url, string what)
    {
        var response = await probe.GotoAsync(url, what).ConfigureAwait(false);
        if (response is null) return null;
        var sent = response.Request.Values("cookie");
        var pairs = sent.SelectMany(v => v.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToHashSet(StringComparer.Ordinal);
        var names = pairs.Select(p => p.Split('=', 2)[0]).ToHashSet(StringComparer.Ordinal);
        return new(pairs, names, sent.Count == 0 ? "no Cookie header" : "Cookie: " + string.Join(" / ", sent));
    }

    private static string Shorten(string text) => text.Length <= 120 ? text.ReplaceLineEndings(" ") : text[..120].ReplaceLineEndings(" ") + "…";
}
