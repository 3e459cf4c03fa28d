using Conformance.Harness.Browser;
using Conformance.Harness.Engine;
using Conformance.Harness.Fixtures;
using Conformance.Harness.Model;
using Conformance.Harness.Reports;
using Conformance.Harness.Targets;
using Conformance.ReferenceServer;

namespace Conformance.Harness.Tests.Browser;

/// <summary>The reference target passes every browser case in real Chromium, and each leaves its evidence.</summary>
[NonParallelizable]
public sealed class BrowserReferenceTests : BrowserTestBase
{
    private ReferenceServerHandle? server;
    private BrowserRunner? runner;

    [OneTimeSetUp]
    public async Task StartReference()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        server = await ReferenceServerApp.StartAsync(0, cts.Token);
        var profile = TargetProfileLoader.Load(Path.Combine(RepoPaths.Targets(RepoPaths.Root()), "reference.json"));
        runner = Runner(server.Port, profile);
    }

    [OneTimeTearDown]
    public async Task StopReference()
    {
        if (runner is not null) await runner.DisposeAsync();
        if (server is not null) await server.DisposeAsync();
    }

    /// <summary>The cases a plain-http target can judge: the Secure cookie case needs https (BrowserSecureCookieTests).</summary>
    public static IEnumerable<string> Ids() => BrowserCatalog.All.Select(c => c.Id).Where(id => id != SecureCookieCase);

    private const string SecureCookieCase = "browser-cookie-secure-only-over-https";

    [Test]
    public async Task The_secure_cookie_case_skips_on_a_plain_http_target_and_says_why()
    {
        var result = await RunAsync(runner!, SecureCookieCase);
        Assert.Multiple(() =>
        {
            Assert.That(result.Verdict, Is.EqualTo(Verdict.Skip), Explain(result));
            Assert.That(result.Reason, Does.Contain("is plain http").And.Contain("--tls"));
            Assert.That(result.Findings, Is.Empty);
        });
    }

    [TestCaseSource(nameof(Ids))]
    public async Task Reference_passes(string id)
    {
        var result = await RunAsync(runner!, id);
        Assert.Multiple(() =>
        {
            Assert.That(result.Verdict, Is.EqualTo(Verdict.Pass), Explain(result));
            Assert.That(result.Screenshot, Is.EqualTo($"browser/{id}.png"));
            Assert.That(File.ReadAllBytes(Path.Combine(RunDirectory, result.Screenshot!))[1..4], Is.EqualTo("PNG"u8.ToArray()));
            Assert.That(result.Connections.Single().Entries, Is.Not.Empty, "the network events are recorded");
        });
    }

    /// <summary>
    /// Several cases at once in one Chromium, each in its own context: the verdicts are those of cases run
    /// alone, and the bound holds (at most N pages at a time; 1 means strictly one after another).
    /// </summary>
    [TestCase(1)]
    [TestCase(3)]
    public async Task Cases_run_in_parallel_up_to_the_bound_with_the_same_verdicts(int parallelism)
    {
        var parallel = Runner(server!.Port, TargetProfileLoader.Load(Path.Combine(RepoPaths.Targets(RepoPaths.Root()), "reference.json")), parallelism: parallelism);
        var results = await Task.WhenAll(Ids().Select(id => RunAsync(parallel, id)));
        Assert.That(results.Select(r => r.Verdict), Has.All.EqualTo(Verdict.Pass), string.Join("\n", results.Select(Explain)));
        // The most cases whose [start, end) intervals overlap at one moment.
        var events = results.SelectMany(r => new[] { (At: r.StartedAt, Delta: 1), (At: r.StartedAt + r.Duration, Delta: -1) }).OrderBy(e => e.At).ThenBy(e => e.Delta).ToList();
        int now = 0, most = 0;
        foreach (var e in events) most = Math.Max(most, now += e.Delta);
        Assert.That(most, Is.LessThanOrEqualTo(parallelism + 0), "never more pages at once than the bound");
        if (parallelism > 1) Assert.That(most, Is.GreaterThan(1), "cases overlap when the bound allows it");
    }

    /// <summary>
    /// The headless shell (the default when installed) and the full browser judge the reference target alike:
    /// same verdicts, same statuses observed, same findings. Choosing the cheaper build changes no verdict.
    /// </summary>
    [Test]
    public async Task Headless_shell_and_full_browser_give_the_same_verdicts()
    {
        foreach (var build in new[] { HtmlScreenshot.HeadlessShellPath, HtmlScreenshot.FullBrowserPath })
        {
            if (!File.Exists(build)) Assert.Ignore($"{build} is not installed: the comparison needs both Chromium builds");
        }
        var profile = TargetProfileLoader.Load(Path.Combine(RepoPaths.Targets(RepoPaths.Root()), "reference.json"));
        var shell = Runner(server!.Port, profile, chromium: HtmlScreenshot.HeadlessShellPath);
        var full = Runner(server.Port, profile, chromium: HtmlScreenshot.FullBrowserPath);
        var inShell = await Task.WhenAll(Ids().Select(id => RunAsync(shell, id)));
        var inFull = await Task.WhenAll(Ids().Select(id => RunAsync(full, id)));
        static string Outcome(CaseResult r) => $"{r.Case.Id}: {r.Verdict.ToLabel()} observed [{string.Join(" ", r.Observed)}] findings [{string.Join("; ", r.Findings.Where(f => f.Kind != FindingKind.Note).Select(f => f.Rule))}]";
        Assert.That(inShell.Select(Outcome), Is.EqualTo(inFull.Select(Outcome)), string.Join("\n", inShell.Concat(inFull).Select(Explain)));
    }

    [Test]
    public async Task Revalidation_records_the_304_on_the_network_and_the_conditional_request()
    {
        var result = await RunAsync(runner!, "browser-reload-revalidates-304");
        var text = string.Join("\n", result.Connections.Single().Entries.Select(e => System.Text.Encoding.UTF8.GetString(e.Bytes)));
        Assert.Multiple(() =>
        {
            Assert.That(result.Observed, Is.EqualTo(new[] { "200", "304" }), Explain(result));
            Assert.That(text, Does.Contain("If-None-Match: \"").And.Contain("\n304"));
        });
    }

    [Test]
    public async Task Cookie_round_trip_shows_the_cookie_header_sent_to_the_checker()
    {
        var result = await RunAsync(runner!, "browser-cookie-round-trip");
        var sent = result.Connections.Single().Entries.Where(e => e.Direction == Conformance.Harness.Wire.Direction.Sent).Select(e => System.Text.Encoding.UTF8.GetString(e.Bytes)).ToList();
        Assert.That(sent.Last(), Does.StartWith("GET http://127.0.0.1:").And.Contain("/cookies/check").And.Contain("Cookie: sid="), Explain(result));
    }

    [Test]
    public async Task Redirect_observes_the_chain()
    {
        var result = await RunAsync(runner!, "browser-redirect-301-followed");
        Assert.That(result.Observed, Is.EqualTo(new[] { "301", "200" }), Explain(result));
    }
}
