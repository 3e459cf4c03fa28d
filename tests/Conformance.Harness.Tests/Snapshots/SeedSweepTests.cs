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
    public async Task Seed_dependent_cases_match_their_reference_baselines_under_200_seeds()
    {
        var root = RepoPaths.Root();
        var fixtures = FixtureSet.Load(RepoPaths.Cases(root), root, NamedCheckRegistry.Default);
        var seeded = fixtures.Cases.Where(DrawsSeededValues).ToList();
        Assert.That(seeded, Has.Count.GreaterThan(5), "the catalog's seed-dependent cases were not found");

        await using var server = await ReferenceServerApp.StartAsync(0, CancellationToken.None);
        var profile = TargetProfileLoader.Load(Path.Combine(RepoPaths.Targets(root), "reference.json"));
        var target = new Target(server.BaseUri, profile);
        var scrubber = new SnapshotScrubber(Baselines.ContextFor(server.BaseUri, profile));
        var folder = Baselines.Folder(root, profile.Name);

        var changed = new List<string>();
        for (var seed = 1; seed <= Seeds; seed++)
        {
            var settings = new RunSettings { Seed = seed, Parallelism = 8 };
            var outcome = await new SuiteRunner(target, settings, NamedCheckRegistry.Default).RunAsync(seeded, null, CancellationToken.None);
            foreach (var result in outcome.Results)
            {
                var verified = File.ReadAllText(Path.Combine(folder, result.Case.Id + FileSnapshotStore.VerifiedSuffix)).ReplaceLineEndings("\n");
                if (CaseSnapshot.Render(ReportBuilder.ToReport(result), scrubber) != verified) changed.Add($"seed {seed}: {result.Case.Id}");
            }
            if (changed.Count > 10) break;
        }
        Assert.That(changed, Is.Empty, $"{seeded.Count} seed-dependent cases were run under {Seeds} seeds");
    }

    /// <summary>A case whose bytes hold a seeded draw: a random token, a random missing path or a tampered value.</summary>
    private static bool DrawsSeededValues(ConformanceCase c) => c.Steps.OfType<SendStep>()
        .SelectMany(s => s.Segments).OfType<PlaceholderRef>()
        .Any(p => p.Name.StartsWith("random.", StringComparison.Ordinal) || p.Name.StartsWith("path.missing", StringComparison.Ordinal) || p.Name.Contains("|tamper", StringComparison.Ordinal));
}
