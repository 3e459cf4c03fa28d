using Conformance.Harness.Engine;
using Conformance.Harness.Fixtures;
using Conformance.Harness.Model;
using Conformance.Harness.Servers;
using Conformance.Harness.Targets;
using Conformance.Harness.Tests.Reports;
using Conformance.ReferenceServer;

namespace Conformance.Harness.Tests.Browser;

/// <summary>
/// The Secure cookie case both ways, in real Chromium against the reference server serving https with a run
/// certificate and plain http on a second port: its Secure setter PASSes; a setter that omits Secure (the
/// reference's ordinary /cookies/set, declared as the secure one) FAILs because the cookie goes over http too;
/// and with no plain-http twin the case SKIPs rather than judge half of it.
/// </summary>
[NonParallelizable]
public sealed class BrowserSecureCookieTests : BrowserTestBase
{
    private const string Id = "browser-cookie-secure-only-over-https";

    private RunCertificate? certificate;
    private ReferenceServerHandle? server;
    private TargetProfile profile = null!;

    [OneTimeSetUp]
    public async Task StartReferenceOverTls()
    {
        certificate = RunCertificate.Create(Path.Combine(TestReports.TempDir(), "tls"));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        server = await ReferenceServerApp.StartAsync(0, cts.Token, certificate: certificate.Certificate);
        profile = TargetProfileLoader.Load(Path.Combine(RepoPaths.Targets(RepoPaths.Root()), "reference.json"));
    }

    [OneTimeTearDown]
    public async Task StopReference()
    {
        if (server is not null) await server.DisposeAsync();
        certificate?.Dispose();
    }

    private Target Https(TargetProfile p, bool withPlainTwin = true) => new(server!.BaseUri, p) { PlainBaseUri = withPlainTwin ? server.PlainBaseUri : null };

    [Test]
    public async Task A_secure_cookie_set_over_https_comes_back_over_https_only()
    {
        var result = await RunAsync(Runner(Https(profile)), Id);
        var sent = result.Connections.Single().Entries.Where(e => e.Direction == Conformance.Harness.Wire.Direction.Sent)
            .Select(e => System.Text.Encoding.UTF8.GetString(e.Bytes)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(result.Verdict, Is.EqualTo(Verdict.Pass), Explain(result));
            Assert.That(result.Observed, Is.EqualTo(new[] { "200", "200", "200" }), Explain(result));
            // Chromium sends Secure cookies to http://127.0.0.1 (a trustworthy origin): the case loads the same
            // server under a .test name mapped to 127.0.0.1, where http is insecure as on a deployed host.
            Assert.That(sent, Has.Count.EqualTo(3), Explain(result));
            Assert.That(sent[0], Does.StartWith("GET https://loopback.conformance.test:").And.Contain("/cookies/set-secure"));
            Assert.That(sent[1], Does.StartWith("GET https://loopback.conformance.test:").And.Contain("cookie: ssid="));
            Assert.That(sent[2], Does.StartWith($"GET http://loopback.conformance.test:{server!.PlainBaseUri!.Port}/").And.Not.Contain("ssid"));
        });
    }

    [Test]
    public async Task A_warm_page_accepts_the_run_certificate_only_when_its_case_is_over_tls()
    {
        // Warm pages are opened before the target is known; the one taken for an https case is told then.
        await using var launch = new Conformance.Harness.Browser.ChromiumLaunch(Conformance.Harness.Reports.HtmlScreenshot.ChromiumPath, warmPages: 2);
        launch.Start();
        var timeout = TimeSpan.FromSeconds(10);
        await using (var plain = await launch.OpenPageAsync(ignoreCertificateErrors: false, timeout, CancellationToken.None))
        {
            var refused = Assert.ThrowsAsync<Conformance.Harness.Browser.Devtools.NavigationFailedException>(() => plain.GotoAsync(server!.BaseUri.AbsoluteUri));
            Assert.That(refused!.ErrorText, Does.StartWith("net::ERR_CERT_"), "the run certificate is not trusted by Chromium itself");
        }
        await using var tls = await launch.OpenPageAsync(ignoreCertificateErrors: true, timeout, CancellationToken.None);
        var response = await tls.GotoAsync(server!.BaseUri.AbsoluteUri);
        Assert.That(response?.Status, Is.EqualTo(200));
    }

    [Test]
    public async Task A_setter_that_omits_secure_fails_because_the_cookie_also_goes_over_http()
    {
        // /cookies/set sends sid and theme without Secure: declared as the Secure setter, it is the fault.
        // Chromium stores them as sent (for any scheme), so only the attribute and the http request fail.
        var faulty = profile with { Roles = profile.Roles with { SecureCookieSetter = new PathRole { Path = "/cookies/set" } } };
        var result = await RunAsync(Runner(Https(faulty)), Id);
        Assert.Multiple(() =>
        {
            Assert.That(result.Verdict, Is.EqualTo(Verdict.Fail), Explain(result));
            Assert.That(Failing(result), Is.EquivalentTo(new[]
            {
                "cookie sid Secure", "cookie theme Secure",
                "cookie sid not sent over http", "cookie theme not sent over http",
            }), Explain(result));
            var overHttp = result.Findings.Single(f => f.Rule == "cookie sid not sent over http");
            Assert.That(overHttp.Actual, Does.StartWith("Cookie: ").And.Contain("sid="), Explain(result));
            Assert.That(overHttp.Rfc, Is.EqualTo(new RfcReference(6265, "5.4")));
            Assert.That(result.Findings.Single(f => f.Rule == "cookie sid Secure").Rfc, Is.EqualTo(new RfcReference(6265, "4.1.2.5")));
        });
    }

    /// <summary>
    /// A whole run against a launched https server (as --server reference --tls starts it): the run hands the
    /// server's plain-http twin to the browser case, which PASSes. No progress callback is given on purpose: the
    /// browser cases once ran only when one was (a null-conditional call skipped evaluating its argument).
    /// </summary>
    [Test]
    public async Task A_run_over_tls_passes_the_twin_to_the_case()
    {
        var dir = TestReports.TempDir();
        var log = new List<string>();
        var result = await ConformanceRun.ExecuteAsync(new RunOptions { Seed = 20261121, Filter = Id, OutputDirectory = dir, NoScreenshot = true },
            async ct =>
            {
                var run = RunCertificate.Create(Path.Combine(dir, "tls"));
                var handle = await ReferenceServerApp.StartAsync(0, ct, certificate: run.Certificate);
                return new LaunchedTarget(handle.BaseUri, handle.ServerIdentity, Path.Combine(RepoPaths.Targets(RepoPaths.Root()), "reference.json"), async () =>
                {
                    await handle.DisposeAsync();
                    run.Dispose();
                })
                { TrustAnchorFile = run.CertificateFile, PlainBaseUri = handle.PlainBaseUri };
            },
            Conformance.Harness.Reports.ReportWriters.All(), line => { lock (log) log.Add(line); }, null, CancellationToken.None);
        var report = result.Report!;
        Assert.That(report.Cases, Has.Count.EqualTo(1), $"exit {result.ExitCode}: {result.Message}\n" + string.Join("\n", log));
        var only = report.Cases.Single();
        Assert.Multiple(() =>
        {
            Assert.That(only.Id, Is.EqualTo(Id));
            Assert.That(only.Verdict, Is.EqualTo("PASS"), result.Message + " " + string.Join("; ", only.Findings.Select(f => f.Actual)));
            Assert.That(report.Target.Tls, Is.Not.Null);
        });
    }

    [Test]
    public async Task Without_a_plain_http_twin_the_case_skips_and_says_why()
    {
        var result = await RunAsync(Runner(Https(profile, withPlainTwin: false)), Id);
        Assert.Multiple(() =>
        {
            Assert.That(result.Verdict, Is.EqualTo(Verdict.Skip), Explain(result));
            Assert.That(result.Reason, Does.Contain("no plain-http address of the same server"));
            Assert.That(result.Findings, Is.Empty);
        });
    }

    /// <summary>
    /// A case that can only SKIP on this target is decided before it gets a context and a page: in a run, such a
    /// page costs a renderer and a screenshot while the raw cases compete for the same cores. The runner is given
    /// an executable that is not a browser, so any attempt to open a page would end the case in ERROR (as the
    /// redirect case, run on the same runner, shows).
    /// </summary>
    [Test]
    public async Task A_case_that_cannot_run_here_skips_without_opening_a_page()
    {
        var notABrowser = Runner(Https(profile, withPlainTwin: false), chromium: "/bin/true");
        var skipped = await RunAsync(notABrowser, Id);
        var opened = await RunAsync(notABrowser, "browser-redirect-301-followed");
        Assert.Multiple(() =>
        {
            Assert.That(skipped.Verdict, Is.EqualTo(Verdict.Skip), Explain(skipped));
            Assert.That(skipped.Reason, Does.Contain("no plain-http address of the same server"));
            Assert.That(skipped.Screenshot, Is.Null, "no page, so no screenshot");
            Assert.That(skipped.Connections, Is.Empty, "no page, so no network log");
            Assert.That(opened.Verdict, Is.EqualTo(Verdict.Error), "a case that needs the browser does try to start it: " + Explain(opened));
        });
    }

    [Test]
    public async Task A_profile_without_the_role_skips_naming_it()
    {
        var without = profile with { Roles = profile.Roles with { SecureCookieSetter = null } };
        var result = await RunAsync(Runner(Https(without)), Id);
        Assert.Multiple(() =>
        {
            Assert.That(result.Verdict, Is.EqualTo(Verdict.Skip), Explain(result));
            Assert.That(result.MissingRole, Is.EqualTo("secureCookieSetter"));
        });
    }
}
