using Conformance.Harness.Engine;
using Conformance.Harness.Fixtures;
using Conformance.Harness.Reports;
using Conformance.Harness.Snapshots;
using Conformance.Harness.Targets;
using Conformance.ReferenceServer;

namespace Conformance.Harness.Tests.Snapshots;

/// <summary>
/// The baseline gate must not depend on the seed or on the port the reference target got. A seeded value is
/// scrubbed wherever the server reflects it, so a draw that can match protocol text made the gate flaky.
/// These tests run every seed-dependent case of the catalog against the embedded reference target under
/// 200 seeds and compare each scrubbed snapshot with its approved baseline, without writing anything.
/// </summary>
[NonParallelizable]
public sealed class SeedSweepTests
{
    private const int Seeds = 200;

    [Test]
    public void Seeded_cookie_names_and_values_are_never_short_enough_to_collide()
    {
        for (var seed = 1; seed <= 5000; seed++)
        {
            var faker = new Bogus.Faker { Random = new Bogus.Randomizer(seed) };
            Assert.That(CookieValues.Name(faker), Has.Length.GreaterThanOrEqualTo(SnapshotScrubber.MinSeededValueLength));
            Assert.That(CookieValues.Value(faker), Has.Length.GreaterThanOrEqualTo(SnapshotScrubber.MinSeededValueLength));
        }
    }

    [Test]
    public void A_short_known_value_is_not_scrubbed_inside_protocol_text()
    {
        var scrubber = new SnapshotScrubber(new ScrubContext { HostPort = "127.0.0.1:44941", KnownRandomValues = ["0", "E", "1"] });
        var scrubbed = string.Concat(scrubber.Scrub(EscapedText.SplitLines(@"GET / HTTP/1.1\r\nHost: 127.0.0.1:44941\r\n\r\n")));
        Assert.That(scrubbed, Is.EqualTo(@"GET / HTTP/1.1\r\nHost: {host}\r\n\r\n"));
    }

    [Test]
    public void The_host_is_scrubbed_only_where_it_stands_whole()
    {
        var scrubber = new SnapshotScrubber(new ScrubContext { HostPort = "127.0.0.1:2000" });
        var lines = EscapedText.SplitLines(@"HTTP/1.1 200 OK\r\nLocation: http://127.0.0.1:2000/x\r\nX-Other: 127.0.0.1:20001 and 10.127.0.0.1:2000\r\n\r\nport 2000, 20000 bytes, 127.0.0.1:2000\n");
        Assert.That(string.Concat(scrubber.Scrub(lines)), Is.EqualTo(
            @"HTTP/1.1 200 OK\r\nLocation: http://{host}/x\r\nX-Other: 127.0.0.1:20001 and 10.127.0.0.1:2000\r\n\r\nport 2000, 20000 bytes, {host}\n"));
    }

    /// <summary>
    /// Every seed-dependent case, under 200 seeds, each seed against a freshly started reference target on
    /// whatever port it gets (so the port's digits vary too), compared with the approved baselines.
    /// </summary>
    [Test]
    public async Task Seed_dependent_cases_match_their_reference_baselines_under_200_seeds_on_fresh_ports()
    {
        var (fixtures, profile, folder) = Catalog();
        var seeded = fixtures.Cases.Where(DrawsSeededValues).ToList();
        Assert.That(seeded, Has.Count.GreaterThan(5), "the catalog's seed-dependent cases were not found");

        var changed = new List<string>();
        var ports = new HashSet<int>();
        for (var seed = 1; seed <= Seeds && changed.Count <= 10; seed++)
        {
            await using var server = await ReferenceServerApp.StartAsync(0, CancellationToken.None);
            ports.Add(server.BaseUri.Port);
            changed.AddRange(await CompareAsync(server.BaseUri, profile, folder, seeded, seed));
        }
        Assert.That(changed, Is.Empty, $"{seeded.Count} seed-dependent cases were run under {Seeds} seeds on {ports.Count} ports");
    }

    /// <summary>
    /// The rest of the catalog does not depend on the seed: no such case draws a seeded value, and the whole catalog
    /// (every case) matches its baselines under two seeds far apart, each on its own port.
    /// </summary>
    [Test]
    public async Task The_whole_catalog_matches_its_reference_baselines_and_the_rest_draws_nothing_seeded()
    {
        var (fixtures, profile, folder) = Catalog();
        var changed = new List<string>();
        foreach (var seed in new[] { 7, 2_000_000_011 })
        {
            await using var server = await ReferenceServerApp.StartAsync(0, CancellationToken.None);
            var target = new Target(server.BaseUri, profile);
            var outcome = await new SuiteRunner(target, Settings(seed), NamedCheckRegistry.Default).RunAsync(fixtures.Cases, null, CancellationToken.None);
            var drew = outcome.Results.Where(r => !DrawsSeededValues(r.Case) && r.RandomValues.Count > 0).Select(r => r.Case.Id).ToList();
            Assert.That(drew, Is.Empty, "a case outside the seeded set drew a seeded value, so the 200-seed sweep must include it");
            changed.AddRange(Compare(server.BaseUri, profile, folder, outcome.Results, seed));
        }
        Assert.That(changed, Is.Empty);
    }

    /// <summary>
    /// The sweep asks whether the scrubbed snapshot depends on the seed or the port, not how fast a loaded machine
    /// answers: generous bounds keep a slow CI host from turning into a timeout what is a prompt answer elsewhere.
    /// A fixture's own "within" bounds still apply, so the cases that wait for a timeout are unchanged.
    /// </summary>
    private static RunSettings Settings(int seed) => new()
    {
        Seed = seed,
        Parallelism = 8,
        Wire = new Conformance.Harness.Wire.WireOptions { ConnectTimeout = TimeSpan.FromSeconds(10), ReadTimeout = TimeSpan.FromSeconds(10), ResponseDeadline = TimeSpan.FromSeconds(20) },
    };

    private static (FixtureSet Fixtures, TargetProfile Profile, string Folder) Catalog()
    {
        var root = RepoPaths.Root();
        var fixtures = FixtureSet.Load(RepoPaths.Cases(root), root, NamedCheckRegistry.Default);
        var profile = TargetProfileLoader.Load(Path.Combine(RepoPaths.Targets(root), "reference.json"));
        return (fixtures, profile, Baselines.Folder(root, profile.Name));
    }

    private static async Task<IReadOnlyList<string>> CompareAsync(Uri baseUri, TargetProfile profile, string folder, IReadOnlyList<ConformanceCase> cases, int seed)
    {
        var outcome = await new SuiteRunner(new Target(baseUri, profile), Settings(seed), NamedCheckRegistry.Default).RunAsync(cases, null, CancellationToken.None);
        return Compare(baseUri, profile, folder, outcome.Results, seed);
    }

    /// <summary>Each result against its approved snapshot, read-only: a sweep writes no .received file.</summary>
    private static IReadOnlyList<string> Compare(Uri baseUri, TargetProfile profile, string folder, IEnumerable<CaseResult> results, int seed)
    {
        var scrubber = new SnapshotScrubber(Baselines.ContextFor(baseUri, profile));
        var store = new FileSnapshotStore(folder, accept: false, writeReceived: false);
        return results.Select(r => store.Verify(SnapshotRenderer.Render(ReportBuilder.ToReport(r), r.Case, scrubber)))
            .Where(v => !v.Ok).Select(v => $"seed {seed}, port {baseUri.Port}: {v.Describe()}").ToList();
    }

    /// <summary>
    /// A case whose bytes hold a seeded draw: a random token, a random missing path, a tampered value, or a new
    /// name under the writable folder (seeded, plus a unique part: a PUT changes the server's state).
    /// </summary>
    private static bool DrawsSeededValues(ConformanceCase c) => c.Steps.OfType<SendStep>()
        .SelectMany(s => s.Segments).OfType<PlaceholderRef>()
        .Any(p => p.Name.StartsWith("random.", StringComparison.Ordinal) || p.Name.StartsWith("path.missing", StringComparison.Ordinal)
            || p.Name.StartsWith("path.writable", StringComparison.Ordinal) || p.Name.Contains("|tamper", StringComparison.Ordinal));
}
