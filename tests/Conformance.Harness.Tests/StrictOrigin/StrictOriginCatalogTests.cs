using Conformance.Harness.Engine;
using Conformance.Harness.Model;

namespace Conformance.Harness.Tests.StrictOrigin;

/// <summary>
/// Issue 11's proof on a server nobody tuned the fixtures to: the whole raw catalog against the strict origin
/// (RFC 9112 / RFC 9110 as written, the reference roles behind it) gives no FAIL and no ERROR. A FAIL here is either
/// a fault of the strict origin (fix the server) or a false FAIL of a fixture (fix the fixture, with the RFC quote).
/// </summary>
public sealed class StrictOriginCatalogTests
{
    [Test]
    public async Task The_whole_raw_catalog_gives_a_strict_correct_origin_no_FAIL_and_no_ERROR()
    {
        var cases = RawCatalog.RawCases();
        await using var origin = await StrictOriginHost.StartAsync();
        var (results, took) = await RawCatalog.RunAsync(origin.Port, cases, RunSettings.DefaultParallelism);

        await TestContext.Out.WriteLineAsync($"strict origin: {cases.Count} raw cases in {took.TotalSeconds:0.0} s: {RawCatalog.Counts(results)}");
        foreach (var r in results.Where(r => r.Verdict is Verdict.Warn or Verdict.Info))
            await TestContext.Out.WriteLineAsync($"  {r.Verdict} {r.Case.Id}: {r.DecidedBy?.Rule} (observed {string.Join(", ", r.Observed)})");
        Assert.That(results, Has.Count.EqualTo(cases.Count));
        Assert.That(origin.Faults, Is.Empty, "the strict origin itself failed: " + string.Join("\n", origin.Faults));
        Assert.That(results.Where(r => r.Verdict is Verdict.Fail or Verdict.Error).Select(r => r.Case.Id), Is.Empty, RawCatalog.Offenders(results));
    }
}
