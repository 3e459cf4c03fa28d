using Conformance.Harness.Browser;
using Conformance.Harness.Engine;
using Conformance.Harness.Fixtures;

namespace Conformance.Harness.Tests.Browser;

/// <summary>The browser catalog obeys the fixture rules: unique slugs, area "browser", lines that point at the declaration.</summary>
public sealed class BrowserCatalogTests
{
    private static FixtureSet Fixtures() => FixtureSet.Load(RepoPaths.Cases(RepoPaths.Root()), RepoPaths.Root(), NamedCheckRegistry.Default);

    [Test]
    public void Ids_are_unique_slugs_in_the_browser_area_and_distinct_from_fixture_ids()
    {
        var ids = BrowserCatalog.All.Select(c => c.Id).ToList();
        var fixtureIds = Fixtures().Cases.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        Assert.Multiple(() =>
        {
            Assert.That(ids, Is.Unique);
            Assert.That(ids, Has.All.Matches("^browser-[a-z0-9]+(-[a-z0-9]+)*$"));
            Assert.That(ids.Where(fixtureIds.Contains), Is.Empty);
            Assert.That(BrowserCatalog.Cases.Select(c => c.Area), Has.All.EqualTo(BrowserCatalog.Area));
            // Only the Secure cookie case has none: what Chromium sends back over http is not in any server's bytes.
            Assert.That(BrowserCatalog.All.Where(c => c.RawCounterparts.Count == 0).Select(c => c.Id), Is.EqualTo(new[] { "browser-cookie-secure-only-over-https" }));
        });
    }

    [Test]
    public void Every_raw_counterpart_is_a_fixture_case_of_the_same_behaviour()
    {
        var fixtures = Fixtures().Cases.ToDictionary(c => c.Id, StringComparer.Ordinal);
        foreach (var b in BrowserCatalog.All)
        {
            foreach (var raw in b.RawCounterparts)
            {
                Assert.That(fixtures.ContainsKey(raw), Is.True, $"{b.Id}: raw counterpart {raw} is not a fixture case");
                Assert.That(fixtures[raw].Area, Is.AnyOf("cookies", "redirect", "conditional", "missing"), $"{b.Id}: {raw}");
            }
        }
    }

    [Test]
    public void Each_case_points_at_its_declaration()
    {
        var lines = File.ReadAllLines(Path.Combine(RepoPaths.Root(), BrowserCatalog.SourceFile));
        foreach (var c in BrowserCatalog.Cases)
        {
            // CallerLineNumber gives the line of "Declare(", the next line names the id.
            Assert.That(lines[c.Line - 1], Does.Contain("Declare("), c.Location);
            Assert.That(lines[c.Line], Does.Contain($"\"{c.Id}\""), c.Location);
        }
    }

    [Test]
    public void Filters_select_browser_cases_like_fixture_cases()
    {
        Assert.Multiple(() =>
        {
            Assert.That(CaseFilter.Select(BrowserCatalog.Cases, "browser"), Has.Count.EqualTo(BrowserCatalog.All.Count));
            Assert.That(CaseFilter.Select(BrowserCatalog.Cases, "browser-cookie-*").Select(c => c.Id),
                Is.EqualTo(new[] { "browser-cookie-stored-as-sent", "browser-cookie-round-trip", "browser-cookie-secure-only-over-https" }));
            Assert.That(CaseFilter.Select(BrowserCatalog.Cases, "status-line"), Is.Empty);
            // "browser" selects no fixture case, and that is not an error: the run has browser cases to run.
            Assert.That(CaseFilter.Apply(Fixtures().Cases, "browser"), Is.Empty);
            Assert.That(() => CaseFilter.Apply(Fixtures().Cases, "no-such-area"), Throws.TypeOf<UsageException>().With.Message.Contains("browser"));
        });
    }

    [Test]
    public void Only_the_secure_cookie_case_needs_a_target_that_may_be_https()
    {
        var secure = BrowserCatalog.Find("browser-cookie-secure-only-over-https")!;
        Assert.Multiple(() =>
        {
            Assert.That(BrowserProbes.MayRun(secure, targetMayBeHttps: false), Is.False);
            Assert.That(BrowserProbes.MayRun(secure, targetMayBeHttps: true), Is.True);
            Assert.That(BrowserCatalog.All.Where(c => c != secure).Select(c => BrowserProbes.MayRun(c, targetMayBeHttps: false)), Has.All.True);
        });
    }
}
