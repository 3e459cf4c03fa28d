using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Conformance.Harness.Fixtures;
using Conformance.Harness.Wire;

namespace Conformance.Harness.Targets;

/// <summary>Paths the user knows about and the wizard cannot guess: each is probed and, if it behaves as its role says, kept.</summary>
public sealed record WizardHints
{
    public string Name { get; init; } = "mine";
    public string? Existing { get; init; }
    public string? Validators { get; init; }
    public string? Redirect { get; init; }
    public string? CookieSetter { get; init; }
    public string? CookieChecker { get; init; }
    public string? CookieEcho { get; init; }
    public string? Echo { get; init; }
    public string? SecureCookieSetter { get; init; }
    public string? Ranges { get; init; }
    public string? Negotiated { get; init; }

    /// <summary>Two values of the negotiated resource's Vary field that select different representations (default en, fr for Accept-Language).</summary>
    public IReadOnlyList<string>? NegotiatedValues { get; init; }

    /// <summary>A folder (ending in '/') where PUT creates resources.</summary>
    public string? Writable { get; init; }
}

/// <summary>What the wizard found: the profile, and one line per role saying how it was found or why not.</summary>
public sealed record WizardResult(TargetProfile Profile, string Json, IReadOnlyList<string> Found, IReadOnlyList<(string Role, string Why)> NotFound);

/// <summary>
/// `conformance profile`: probes a server and writes a starting profile (fixtures/targets/README.md). It finds
/// an existing resource ("/" or an index page), validators (ETag / Last-Modified) on the resources it finds
/// (the existing one and the same-origin links it serves), a missing path (a seeded random path must answer
/// 404 or 410), and checks each path the user names (a redirect, cookie setter and checker, an echo). Every
/// role it writes was seen to behave as the role says; what it could not find is listed with what it adds.
/// </summary>
public sealed partial class ProfileWizard(Uri baseUri, WireOptions wire)
{
    private readonly string _authority = baseUri.IsDefaultPort ? baseUri.Host : $"{baseUri.Host}:{baseUri.Port}";

    private sealed record Answer(int Status, RawResponse Response)
    {
        public string Body => Encoding.Latin1.GetString(Response.Body);
    }

    /// <summary>One request on its own connection; null when nothing that parses as HTTP came back.</summary>
    private async Task<Answer?> RequestAsync(string method, string path, CancellationToken ct, string? extraFields = null, string? content = null)
    {
        // An https target is probed over TLS without judging its certificate: the wizard only finds where the
        // roles live, and the run that uses the profile judges the certificate (system store, --ca or --insecure).
        var tls = baseUri.Scheme == Uri.UriSchemeHttps ? TlsClientOptions.Insecure : null;
        await using var connection = await WireConnection.ConnectAsync(baseUri.Host, baseUri.Port, wire, ct, tls).ConfigureAwait(false);
        var head = $"{method} {path} HTTP/1.1\r\nHost: {_authority}\r\nConnection: close\r\n{extraFields}"
            + (content is null ? "" : $"Content-Length: {Encoding.ASCII.GetByteCount(content)}\r\n") + "\r\n" + content;
        await connection.SendAsync(Encoding.ASCII.GetBytes(head), ct).ConfigureAwait(false);
        var outcome = await connection.ReadResponseAsync(method == "HEAD", ct).ConfigureAwait(false);
        return outcome is { Kind: ReadOutcomeKind.Response, Response: { StatusCode: int status } r } ? new Answer(status, r) : null;
    }

    public async Task<WizardResult> RunAsync(WizardHints hints, int seed, CancellationToken ct)
    {
        var found = new List<string>();
        var notFound = new List<(string, string)>();
        var roles = new JsonObject();

        // existing: the path given, "/", or an index page "/" redirects to.
        string? existing = null;
        Answer? existingAnswer = null;
        foreach (var candidate in new[] { hints.Existing, "/", "/index.html", "/index.htm" }.OfType<string>().Distinct(StringComparer.Ordinal))
        {
            var a = await RequestAsync("GET", candidate, ct).ConfigureAwait(false);
            if (a is { Status: >= 200 and < 300 })
            {
                (existing, existingAnswer) = (candidate, a);
                break;
            }
            if (a is { Status: >= 300 and < 400 } && SameOriginPath(a.Response.Header("Location")) is { } target
                && await RequestAsync("GET", target, ct).ConfigureAwait(false) is { Status: >= 200 and < 300 } followed)
            {
                (existing, existingAnswer) = (target, followed);
                break;
            }
        }
        if (existing is not null)
        {
            roles["existing"] = new JsonObject { ["path"] = existing };
            found.Add($"existing: GET {existing} answered {existingAnswer!.Status}");
        }
        else notFound.Add((Roles.Existing, "neither \"/\" nor an index page answered 2xx; name one with --existing PATH"));

        // validators: the path given, else the existing resource, else the links it serves.
        var validatorCandidates = new List<string>();
        if (hints.Validators is { } v) validatorCandidates.Add(v);
        if (existing is not null) validatorCandidates.Add(existing);
        if (existingAnswer is not null) validatorCandidates.AddRange(Links(existingAnswer.Body).Take(10));
        // Static files usually carry validators where generated pages do not.
        validatorCandidates.AddRange(["/index.html", "/robots.txt", "/favicon.ico"]);
        string? validators = null;
        foreach (var path in validatorCandidates.Distinct(StringComparer.Ordinal))
        {
            var a = existingAnswer is not null && path == existing ? existingAnswer : await RequestAsync("GET", path, ct).ConfigureAwait(false);
            if (a is { Status: 200 } && (a.Response.Header("ETag") is not null || a.Response.Header("Last-Modified") is not null))
            {
                validators = path;
                roles["validators"] = new JsonObject { ["path"] = path };
                found.Add($"validators: GET {path} carries {(a.Response.Header("ETag") is not null ? "ETag" : "")}{(a.Response.Header("ETag") is not null && a.Response.Header("Last-Modified") is not null ? " and " : "")}{(a.Response.Header("Last-Modified") is not null ? "Last-Modified" : "")}");
                break;
            }
        }
        if (validators is null) notFound.Add((Roles.Validators, $"none of {validatorCandidates.Distinct(StringComparer.Ordinal).Count()} resources probed carried ETag or Last-Modified; name one with --validators PATH"));

        // redirect: only the path the user names (a server has no redirect to find).
        if (hints.Redirect is { } redirectPath)
        {
            var a = await RequestAsync("GET", redirectPath, ct).ConfigureAwait(false);
            if (a is { Status: >= 300 and < 400 } && a.Response.Header("Location") is { Length: > 0 } location)
            {
                roles["redirect"] = new JsonObject { ["path"] = redirectPath, ["location"] = SameOriginPath(location) ?? location, ["status"] = a.Status };
                found.Add($"redirect: GET {redirectPath} answered {a.Status} to {location}");
            }
            else notFound.Add((Roles.Redirect, $"GET {redirectPath} answered {Describe(a)}, not a 3xx with Location"));
        }
        else notFound.Add((Roles.Redirect, "no redirect named; give one with --redirect PATH"));

        // missing: a seeded random path must answer 404 or 410 (a 2xx there is a soft 404).
        var random = new Random(seed);
        var probe = "/conformance-missing-" + string.Concat(Enumerable.Range(0, 12).Select(_ => (char)('a' + random.Next(26))));
        var missing = await RequestAsync("GET", probe, ct).ConfigureAwait(false);
        if (missing is { Status: 404 or 410 })
        {
            roles["missing"] = new JsonObject { ["paths"] = new JsonArray(), ["random"] = true, ["randomPrefix"] = "/" };
            found.Add($"missing: GET {probe} answered {missing.Status}, so random paths are missing");
        }
        else notFound.Add((Roles.Missing, $"GET {probe} answered {Describe(missing)}, not 404 or 410 (a soft 404?); declare missing paths by hand"));

        // cookies: the setter's first Set-Cookie names the cookie the checker looks for.
        string? cookiePair = null;
        if (hints.CookieSetter is { } setter)
        {
            var a = await RequestAsync("GET", setter, ct).ConfigureAwait(false);
            var setCookie = a?.Response.FieldsNamed("Set-Cookie").Select(f => f.Value).FirstOrDefault();
            if (setCookie is not null)
            {
                roles["cookieSetter"] = new JsonObject { ["path"] = setter };
                cookiePair = setCookie.Split(';')[0].Trim();
                found.Add($"cookieSetter: GET {setter} sets {cookiePair.Split('=')[0]}");
            }
            else notFound.Add((Roles.CookieSetter, $"GET {setter} answered {Describe(a)} without Set-Cookie"));
        }
        else notFound.Add((Roles.CookieSetter, "no cookie setter named; give one with --cookie-setter PATH"));

        if (hints.CookieChecker is { } checker)
        {
            if (cookiePair is null || !cookiePair.Contains('=', StringComparison.Ordinal))
                notFound.Add((Roles.CookieChecker, "a checker needs the cookie the setter issues; give --cookie-setter too"));
            else
            {
                var name = cookiePair[..cookiePair.IndexOf('=', StringComparison.Ordinal)];
                var value = cookiePair[(name.Length + 1)..];
                var without = await RequestAsync("GET", checker, ct).ConfigureAwait(false);
                var with = await RequestAsync("GET", checker, ct, $"Cookie: {cookiePair}\r\n").ConfigureAwait(false);
                if (with is not null && without is not null && with.Status != without.Status)
                {
                    roles["cookieChecker"] = new JsonObject { ["path"] = checker, ["mode"] = "validates", ["cookie"] = name, ["seenStatus"] = with.Status, ["notSeenStatus"] = without.Status };
                    found.Add($"cookieChecker: GET {checker} answers {with.Status} with the cookie, {without.Status} without");
                }
                else if (with is { Status: >= 200 and < 300 } && value.Length > 0 && with.Body.Contains(value, StringComparison.Ordinal))
                {
                    roles["cookieChecker"] = new JsonObject { ["path"] = checker, ["mode"] = "echoes", ["cookie"] = name, ["seenStatus"] = with.Status, ["seenBodyContains"] = "{cookie.value}" };
                    found.Add($"cookieChecker: GET {checker} shows the cookie's value it was sent");
                }
                else notFound.Add((Roles.CookieChecker, $"GET {checker} answered {Describe(with)} with the cookie and {Describe(without)} without, and did not show its value"));
            }
        }
        else notFound.Add((Roles.CookieChecker, "no cookie checker named; give one with --cookie-checker PATH"));

        if (hints.CookieEcho is { } cookieEcho)
        {
            var pair = "conformance" + random.Next(100000, 999999).ToString(System.Globalization.CultureInfo.InvariantCulture) + "=probe";
            var a = await RequestAsync("GET", cookieEcho, ct, $"Cookie: {pair}\r\n").ConfigureAwait(false);
            if (a is { Status: 200 } && a.Body.Contains(pair, StringComparison.Ordinal))
            {
                roles["cookieEcho"] = new JsonObject { ["path"] = cookieEcho };
                found.Add($"cookieEcho: GET {cookieEcho} lists the cookie it was sent");
            }
            else notFound.Add((Roles.CookieEcho, $"GET {cookieEcho} answered {Describe(a)} without a \"{pair}\" line"));
        }
        else notFound.Add((Roles.CookieEcho, "no cookie echo named; give one with --cookie-echo PATH"));

        if (hints.Echo is { } echo)
        {
            var content = "conformance-" + random.Next(100000, 999999).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var a = await RequestAsync("POST", echo, ct, null, content).ConfigureAwait(false);
            if (a is { Status: >= 200 and < 300 } && a.Body.Contains(content, StringComparison.Ordinal))
            {
                roles["echo"] = new JsonObject { ["path"] = echo, ["method"] = "POST" };
                found.Add($"echo: POST {echo} returned the content it was sent");
            }
            else notFound.Add((Roles.Echo, $"POST {echo} answered {Describe(a)} without the content it was sent"));
        }
        else notFound.Add((Roles.Echo, "no echo named; give one with --echo PATH (a resource that returns a POST's content)"));

        // secureCookieSetter: only the path the user names; its Set-Cookie must carry the Secure attribute.
        if (hints.SecureCookieSetter is { } secureSetter)
        {
            var a = await RequestAsync("GET", secureSetter, ct).ConfigureAwait(false);
            var secure = a?.Response.FieldsNamed("Set-Cookie").Select(f => f.Value)
                .FirstOrDefault(v => v.Split(';').Skip(1).Any(attribute => attribute.Trim().Equals("Secure", StringComparison.OrdinalIgnoreCase)));
            if (secure is not null)
            {
                roles["secureCookieSetter"] = new JsonObject { ["path"] = secureSetter };
                found.Add($"secureCookieSetter: GET {secureSetter} sets {secure.Split(';')[0].Split('=')[0].Trim()} with Secure");
            }
            else notFound.Add((Roles.SecureCookieSetter, $"GET {secureSetter} answered {Describe(a)} without a Set-Cookie carrying Secure"));
        }
        else notFound.Add((Roles.SecureCookieSetter, "no Secure-cookie setter named; give one with --secure-cookie-setter PATH (it matters over https)"));

        // ranges: the path given, else the validators or existing resource, if a one-byte range gets a 206.
        string? ranges = null;
        foreach (var path in new[] { hints.Ranges, validators, existing }.OfType<string>().Distinct(StringComparer.Ordinal))
        {
            var a = await RequestAsync("GET", path, ct, "Range: bytes=0-0\r\n").ConfigureAwait(false);
            if (a is { Status: 206 } && a.Response.Header("Content-Range") is { } contentRange && contentRange.StartsWith("bytes 0-0/", StringComparison.Ordinal))
            {
                ranges = path;
                roles["ranges"] = new JsonObject { ["path"] = path };
                found.Add($"ranges: GET {path} with Range: bytes=0-0 answered 206 ({contentRange})");
                break;
            }
            if (path == hints.Ranges) notFound.Add((Roles.Ranges, $"GET {path} with Range: bytes=0-0 answered {Describe(a)}, not a 206 with Content-Range: bytes 0-0/LENGTH"));
        }
        if (ranges is null && hints.Ranges is null) notFound.Add((Roles.Ranges, "no resource probed answered a byte range; name one with --ranges PATH"));

        // negotiated: only the path the user names; Vary names the field, and its two values must select two
        // different representations (different content, Content-Language or ETag).
        if (hints.Negotiated is { } negotiated)
        {
            var plain = await RequestAsync("GET", negotiated, ct).ConfigureAwait(false);
            var field = plain?.Response.Header("Vary")?.Split(',').Select(f => f.Trim()).FirstOrDefault(f => f.Length > 0 && f != "*" && !f.Equals("Accept-Encoding", StringComparison.OrdinalIgnoreCase));
            var values = hints.NegotiatedValues ?? (field is not null && field.Equals("Accept-Language", StringComparison.OrdinalIgnoreCase) ? ["en", "fr"] : null);
            if (plain is not { Status: 200 } || field is null)
                notFound.Add((Roles.Negotiated, $"GET {negotiated} answered {Describe(plain)} without a Vary field naming what it varies on"));
            else if (values is not { Count: 2 })
                notFound.Add((Roles.Negotiated, $"GET {negotiated} varies on {field}; name two values that select different representations with --negotiated-values A,B"));
            else
            {
                var first = await RequestAsync("GET", negotiated, ct, $"{field}: {values[0]}\r\n").ConfigureAwait(false);
                var second = await RequestAsync("GET", negotiated, ct, $"{field}: {values[1]}\r\n").ConfigureAwait(false);
                static string Identity(Answer a) => $"{a.Body}\n{a.Response.Header("Content-Language")}\n{a.Response.Header("ETag")}";
                if (first is { Status: 200 } && second is { Status: 200 } && Identity(first) != Identity(second))
                {
                    roles["negotiated"] = new JsonObject { ["path"] = negotiated, ["field"] = field, ["values"] = new JsonArray(values[0], values[1]) };
                    found.Add($"negotiated: GET {negotiated} answers {field}: {values[0]} and {values[1]} with different representations");
                }
                else notFound.Add((Roles.Negotiated, $"GET {negotiated} with {field}: {values[0]} and {values[1]} answered {Describe(first)} and {Describe(second)} with the same representation"));
            }
        }
        else notFound.Add((Roles.Negotiated, "no negotiated resource named; give one with --negotiated PATH"));

        // writable: only the folder the user names; a PUT to a fresh seeded name must create it (2xx) and a GET
        // must read back what was put.
        if (hints.Writable is { } writable)
        {
            // The same shape of name the cases PUT to (lower-case letters, digits, hyphens): no extension a server may map.
            var name = writable + "conformance-probe-" + random.Next(100000, 999999).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var content = "conformance-" + random.Next(100000, 999999).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var put = await RequestAsync("PUT", name, ct, "Content-Type: text/plain\r\n", content).ConfigureAwait(false);
            var back = put is { Status: >= 200 and < 300 } ? await RequestAsync("GET", name, ct).ConfigureAwait(false) : null;
            if (back is { Status: 200 } && back.Body == content)
            {
                roles["writable"] = new JsonObject { ["path"] = writable };
                found.Add($"writable: PUT {name} answered {put!.Status} and GET read it back");
            }
            else notFound.Add((Roles.Writable, put is not { Status: >= 200 and < 300 }
                ? $"PUT {name} answered {Describe(put)}, not 2xx"
                : $"PUT {name} answered {put.Status}, but GET answered {Describe(back)} without the content put"));
        }
        else notFound.Add((Roles.Writable, "no writable folder named; give one with --writable PATH/ (PUT creates resources under it)"));

        var json = new JsonObject
        {
            ["name"] = hints.Name,
            ["description"] = $"Written by conformance profile for {baseUri}; check each role before certifying.",
            ["roles"] = roles,
        }.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
        // Whatever the wizard writes must load under the same strict rules as a hand-written profile.
        var profile = TargetProfileLoader.Parse(json, "the generated profile");
        return new WizardResult(profile, json, found, notFound);
    }

    /// <summary>
    /// For each role the profile lacks: how many cases it would bring in (they SKIP without it) and how many it
    /// would judge in full (they run on weaker evidence without it), given the evidence fallback.
    /// </summary>
    public static IReadOnlyDictionary<string, (int BringsIn, int JudgesInFull)> RoleReach(IEnumerable<ConformanceCase> cases, TargetProfile profile)
    {
        var reach = Roles.All.Where(r => !profile.HasRole(r)).ToDictionary(r => r, _ => (BringsIn: 0, JudgesInFull: 0), StringComparer.Ordinal);
        foreach (var c in cases)
        {
            var plan = Engine.EvidenceFallback.Plan(c, profile);
            foreach (var role in plan.Case.NeededRoles.Where(reach.ContainsKey)) reach[role] = (reach[role].BringsIn + 1, reach[role].JudgesInFull);
            if (plan.Evidence?.FullEvidenceRole is { } full && reach.TryGetValue(full, out var r) && plan.Case.NeededRoles.All(profile.HasRole))
                reach[full] = (r.BringsIn, r.JudgesInFull + 1);
        }
        return reach;
    }

    private static string Describe(Answer? a) => a is null ? "nothing that parses as HTTP" : a.Status.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The origin-form path of a same-origin URI-reference (absolute path, or absolute URI on this origin); null otherwise.</summary>
    private string? SameOriginPath(string? reference)
    {
        if (reference is null || !Uri.TryCreate(baseUri, reference, out var resolved)) return null;
        if (!string.Equals(resolved.Authority, baseUri.Authority, StringComparison.OrdinalIgnoreCase) || resolved.Scheme != baseUri.Scheme) return null;
        var path = resolved.PathAndQuery;
        return path.StartsWith('/') && !path.Any(c => c <= ' ' || c >= 0x7f) ? path : null;
    }

    /// <summary>Same-origin paths named by href or src attributes in a page.</summary>
    private IEnumerable<string> Links(string html)
        => LinkPattern().Matches(html).Select(m => SameOriginPath(m.Groups[1].Value)).OfType<string>().Distinct(StringComparer.Ordinal);

    [GeneratedRegex("(?:href|src)\\s*=\\s*[\"']([^\"'#]+)[\"']", RegexOptions.IgnoreCase)]
    private static partial Regex LinkPattern();
}
