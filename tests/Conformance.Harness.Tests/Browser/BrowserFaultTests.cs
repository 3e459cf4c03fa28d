using Conformance.Harness.Browser;
using Conformance.Harness.Model;
using Conformance.Harness.Targets;
using Conformance.Harness.Tests.FaultServer;

namespace Conformance.Harness.Tests.Browser;

/// <summary>
/// Each browser case can fail: the fault server answers the way a broken server would, over a real socket,
/// and Chromium's view of it earns the verdict. Handlers are added per test with Map (the shared fault enum
/// stays untouched).
/// </summary>
[NonParallelizable]
public sealed class BrowserFaultTests : BrowserTestBase
{
    private static TargetProfile Profile() => new()
    {
        Name = "fault",
        Roles = new ProfileRoles
        {
            Existing = new PathRole { Path = "/" },
            CookieSetter = new PathRole { Path = "/set" },
            CookieChecker = new CookieCheckerRole { Path = "/check", SeenStatus = 200, SeenBodyContains = "recognised {cookie.name}", NotSeenStatus = 401 },
            Redirect = new RedirectRole { Path = "/old", Location = "/new", Status = 301 },
            Validators = new PathRole { Path = "/v" },
            // A declared, non-random missing path, so the test can decide what it answers.
            Missing = new MissingRole { Paths = ["/gone"], Random = false },
        },
    };

    private static FaultResponse SetsCookie(string setCookie) => new()
    {
        Headers = [new("Content-Type", "text/plain"), new("Set-Cookie", setCookie)],
        Body = "cookies set"u8.ToArray(),
    };

    /// <summary>A checker that recognises sid=abc, as a validating checker would.</summary>
    private static FaultResponse Checks(FaultRequest r) => r.Header("Cookie") is { } c && c.Contains("sid=abc", StringComparison.Ordinal)
        ? FaultResponse.Text(200, "OK", "recognised sid")
        : FaultResponse.Text(401, "Unauthorized", "cookie not recognised");

    [Test]
    public async Task A_well_behaved_fault_server_passes_the_cookie_cases()
    {
        // The control: without it, a failure below could be the test setup's.
        await using var server = new FaultServer.FaultServer();
        server.Map("/set", _ => SetsCookie("sid=abc; Path=/; HttpOnly; SameSite=Lax"));
        server.Map("/check", Checks);
        var runner = Runner(server.Port, Profile());
        var stored = await RunAsync(runner, "browser-cookie-stored-as-sent");
        var roundTrip = await RunAsync(runner, "browser-cookie-round-trip");
        Assert.Multiple(() =>
        {
            Assert.That(stored.Verdict, Is.EqualTo(Verdict.Pass), Explain(stored));
            Assert.That(roundTrip.Verdict, Is.EqualTo(Verdict.Pass), Explain(roundTrip));
        });
    }

    [Test]
    public async Task A_cookie_for_another_domain_is_refused_by_the_browser_and_fails_both_cookie_cases()
    {
        await using var server = new FaultServer.FaultServer();
        // Valid Set-Cookie grammar, but RFC 6265 §5.3 step 6: the domain does not domain-match 127.0.0.1.
        server.Map("/set", _ => SetsCookie("sid=abc; Path=/; Domain=other.example"));
        server.Map("/check", Checks);
        var runner = Runner(server.Port, Profile());
        var stored = await RunAsync(runner, "browser-cookie-stored-as-sent");
        var roundTrip = await RunAsync(runner, "browser-cookie-round-trip");
        Assert.Multiple(() =>
        {
            Assert.That(stored.Verdict, Is.EqualTo(Verdict.Fail), Explain(stored));
            Assert.That(Failing(stored), Is.EqualTo(new[] { "cookie sid stored" }), Explain(stored));
            Assert.That(stored.Findings.Single(f => f.Rule == "cookie sid stored").Actual, Does.Contain("Chromium"), Explain(stored));
            Assert.That(roundTrip.Verdict, Is.EqualTo(Verdict.Fail), Explain(roundTrip));
            Assert.That(Failing(roundTrip), Does.Contain("cookies stored").And.Contain("checker status").And.Contain("checker body"), Explain(roundTrip));
        });
    }

    [Test]
    public async Task A_path_attribute_without_a_slash_is_expected_at_the_default_path()
    {
        await using var server = new FaultServer.FaultServer();
        // Path without a leading '/' is ignored (§5.2.4): the cookie gets the default-path, not what the server meant.
        server.Map("/set", _ => SetsCookie("sid=abc; Path=admin; Max-Age=120"));
        var runner = Runner(server.Port, Profile());
        var stored = await RunAsync(runner, "browser-cookie-stored-as-sent");
        // The expectation follows §5.1.4 (default-path "/"), so this passes: the browser did what the RFC says.
        Assert.That(stored.Verdict, Is.EqualTo(Verdict.Pass), Explain(stored));
    }

    [Test]
    public async Task A_checker_that_does_not_recognise_the_cookie_fails_the_round_trip()
    {
        await using var server = new FaultServer.FaultServer();
        server.Map("/set", _ => SetsCookie("sid=abc; Path=/"));
        server.Map("/check", _ => FaultResponse.Text(401, "Unauthorized", "cookie not recognised"));
        var result = await RunAsync(Runner(server.Port, Profile()), "browser-cookie-round-trip");
        Assert.Multiple(() =>
        {
            Assert.That(result.Verdict, Is.EqualTo(Verdict.Fail), Explain(result));
            Assert.That(Failing(result), Is.EquivalentTo(new[] { "checker status", "checker body" }), Explain(result));
        });
    }

    [Test]
    public async Task A_redirect_without_location_is_not_followed_and_fails()
    {
        await using var server = new FaultServer.FaultServer();
        server.Map("/old", _ => FaultResponse.Text(301, "Moved Permanently", "moved"));
        server.Map("/new", _ => FaultResponse.Text(200, "OK", "new place"));
        var result = await RunAsync(Runner(server.Port, Profile()), "browser-redirect-301-followed");
        Assert.Multiple(() =>
        {
            Assert.That(result.Verdict, Is.EqualTo(Verdict.Fail), Explain(result));
            Assert.That(Failing(result, Verdict.Warn), Does.Contain("Location"), Explain(result));
            Assert.That(Failing(result), Does.Contain("final URL").And.Contain("final status"), Explain(result));
            Assert.That(result.Observed, Is.EqualTo(new[] { "301" }));
        });
    }

    [Test]
    public async Task A_redirect_to_the_wrong_place_fails()
    {
        await using var server = new FaultServer.FaultServer();
        server.Map("/old", _ => new FaultResponse { Status = 301, Reason = "Moved Permanently", Headers = [new("Location", "/elsewhere")] });
        server.Map("/elsewhere", _ => FaultResponse.Text(200, "OK", "elsewhere"));
        var result = await RunAsync(Runner(server.Port, Profile()), "browser-redirect-301-followed");
        Assert.Multiple(() =>
        {
            Assert.That(result.Verdict, Is.EqualTo(Verdict.Fail), Explain(result));
            Assert.That(Failing(result), Is.EquivalentTo(new[] { "Location resolves", "final URL" }), Explain(result));
        });
    }

    [Test]
    public async Task A_validator_that_never_answers_304_fails_the_revalidation()
    {
        await using var server = new FaultServer.FaultServer();
        // ETag and freshness like a cacheable resource, but every request gets the full 200.
        server.Map("/v", _ => new FaultResponse
        {
            Headers = [new("Content-Type", "text/plain"), new("ETag", "\"v1\""), new("Cache-Control", "max-age=60")],
            Body = "validated content"u8.ToArray(),
        });
        var result = await RunAsync(Runner(server.Port, Profile()), "browser-reload-revalidates-304");
        Assert.Multiple(() =>
        {
            Assert.That(result.Verdict, Is.EqualTo(Verdict.Fail), Explain(result));
            Assert.That(Failing(result), Is.EqualTo(new[] { "304 on revalidation" }), Explain(result));
            Assert.That(result.Observed, Is.EqualTo(new[] { "200", "200" }));
        });
    }

    [Test]
    public async Task A_validator_resource_without_validators_skips()
    {
        await using var server = new FaultServer.FaultServer();
        server.Map("/v", _ => FaultResponse.Text(200, "OK", "no validators here"));
        var result = await RunAsync(Runner(server.Port, Profile()), "browser-reload-revalidates-304");
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Skip), Explain(result));
        Assert.That(result.Reason, Does.Contain("neither ETag nor Last-Modified"));
    }

    [Test]
    public async Task A_soft_404_fails()
    {
        await using var server = new FaultServer.FaultServer();
        server.Map("/gone", _ => FaultResponse.Text(200, "OK", "Sorry, that page is not here."));
        var result = await RunAsync(Runner(server.Port, Profile()), "browser-missing-shows-404-page");
        Assert.Multiple(() =>
        {
            Assert.That(result.Verdict, Is.EqualTo(Verdict.Fail), Explain(result));
            Assert.That(Failing(result), Is.EqualTo(new[] { "status" }), Explain(result));
            Assert.That(result.Findings.Single(f => f.Rule == "status").Actual, Does.Contain("soft 404"));
        });
    }

    [Test]
    public async Task A_404_without_content_shows_chromiums_error_page_and_warns()
    {
        await using var server = new FaultServer.FaultServer();
        server.Map("/gone", _ => new FaultResponse { Status = 404, Reason = "Not Found" });
        var result = await RunAsync(Runner(server.Port, Profile()), "browser-missing-shows-404-page");
        Assert.Multiple(() =>
        {
            Assert.That(result.Verdict, Is.EqualTo(Verdict.Warn), Explain(result));
            Assert.That(Failing(result, Verdict.Warn), Is.EqualTo(new[] { "404 page" }), Explain(result));
        });
    }

    [Test]
    public async Task A_missing_chromium_skips_with_how_to_install_it()
    {
        await using var server = new FaultServer.FaultServer();
        await using var runner = new BrowserRunner(new Conformance.Harness.Engine.Target(new Uri($"http://127.0.0.1:{server.Port}/"), Profile()), new Conformance.Harness.Engine.RunSettings { Seed = 1 },
            new BrowserOptions { ChromiumPath = "/nonexistent/chromium" });
        var result = await RunAsync(runner, "browser-missing-shows-404-page");
        Assert.Multiple(() =>
        {
            Assert.That(result.Verdict, Is.EqualTo(Verdict.Skip));
            Assert.That(result.Reason, Does.Contain("/nonexistent/chromium").And.Contain("apt-get install chromium").And.Contain("CONFORMANCE_CHROMIUM"));
            Assert.That(server.RequestCount, Is.Zero);
        });
    }

    [Test]
    public async Task A_profile_without_the_role_skips_and_names_it()
    {
        await using var server = new FaultServer.FaultServer();
        var result = await RunAsync(Runner(server.Port, Profile() with { Roles = new ProfileRoles { Existing = new PathRole { Path = "/" } } }), "browser-cookie-round-trip");
        Assert.That(result.Verdict, Is.EqualTo(Verdict.Skip));
        Assert.That(result.Reason, Does.Contain("\"cookieSetter\"").Or.Contain("\"cookieChecker\""));
    }
}
