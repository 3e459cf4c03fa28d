using Conformance.Harness.Engine;
using Conformance.Harness.Model;

namespace Conformance.Harness.Tests.StrictOrigin;

/// <summary>
/// The strict origin gets no FAIL because it is correct, not because the suite passes everything: each of its
/// deviation switches (Kestrel 10's four parser deviations) turns exactly the case that tests that rule into a FAIL,
/// and the same case PASSes with the switch off.
/// </summary>
public sealed class StrictOriginDeviationTests
{
    /// <summary>Each switch, and the case that must FAIL when it is on.</summary>
    private static readonly Dictionary<string, (StrictOriginOptions Options, string CaseId)> Deviations = new(StringComparer.Ordinal)
    {
        ["host-disagreeing-with-absolute-form-refused"] = (new StrictOriginOptions { RejectHostDisagreeingWithAbsoluteForm = true }, "absolute-form-overrides-disagreeing-host"),
        ["scheme-case-sensitive"] = (new StrictOriginOptions { SchemeIsCaseSensitive = true }, "absolute-form-scheme-is-case-insensitive"),
        ["signed-content-length-accepted"] = (new StrictOriginOptions { AcceptSignedContentLength = true }, "content-length-invalid-plus-sign"),
        ["bws-in-chunk-extension-refused"] = (new StrictOriginOptions { RejectBwsInChunkExtension = true }, "chunked-extension-bws-is-accepted"),
    };

    public static IEnumerable<string> DeviationNames => Deviations.Keys;

    [TestCaseSource(nameof(DeviationNames))]
    public async Task The_case_for_a_deviation_FAILs_with_the_switch_on_and_PASSes_with_it_off(string deviation)
    {
        var (options, caseId) = Deviations[deviation];
        var cases = RawCatalog.RawCases(c => c.Id == caseId);
        Assert.That(cases, Has.Count.EqualTo(1), $"the catalog has no case {caseId}");

        await using var deviant = await StrictOriginHost.StartAsync(options);
        var on = (await RawCatalog.RunAsync(deviant.Port, cases, 1)).Results.Single();
        await using var strict = await StrictOriginHost.StartAsync();
        var off = (await RawCatalog.RunAsync(strict.Port, cases, 1)).Results.Single();

        Assert.Multiple(() =>
        {
            Assert.That(on.Verdict, Is.EqualTo(Verdict.Fail), $"{caseId} with {deviation} on:\n{RawCatalog.Offenders([on])}");
            Assert.That(off.Verdict, Is.EqualTo(Verdict.Pass), $"{caseId} with {deviation} off:\n{RawCatalog.Offenders([off])}");
        });
    }

    /// <summary>
    /// All four switches on make the strict origin deviate where Kestrel does: the whole raw catalog then FAILs
    /// exactly those four cases, no more (each switch touches its rule only) and no fewer.
    /// </summary>
    [Test]
    public async Task With_every_switch_on_the_catalog_FAILs_exactly_the_four_deviation_cases()
    {
        var all = new StrictOriginOptions
        {
            RejectHostDisagreeingWithAbsoluteForm = true,
            SchemeIsCaseSensitive = true,
            AcceptSignedContentLength = true,
            RejectBwsInChunkExtension = true,
        };
        await using var deviant = await StrictOriginHost.StartAsync(all);
        var (results, _) = await RawCatalog.RunAsync(deviant.Port, RawCatalog.RawCases(), RunSettings.DefaultParallelism);

        var failed = results.Where(r => r.Verdict is Verdict.Fail or Verdict.Error).Select(r => r.Case.Id);
        Assert.That(failed, Is.EquivalentTo(Deviations.Values.Select(d => d.CaseId)), RawCatalog.Offenders(results));
        Assert.That(deviant.Faults, Is.Empty);
    }
}
