using Conformance.Harness.Engine;
using Conformance.Harness.Model;

namespace Conformance.Harness.Tests.StrictOrigin;

/// <summary>
/// Where the RFC lets a server choose, the strict origin makes one choice; a server that makes another is just as
/// correct, so the catalog must give it no FAIL and no ERROR either. Each switch here is one such RFC-allowed
/// alternative (its sentence is quoted on <see cref="StrictOriginOptions"/>). A FAIL in this test is a fixture whose
/// outcome set misses an answer the RFC allows: the false FAIL issue 11 is about.
/// </summary>
public sealed class StrictOriginAlternativesTests
{
    private static readonly Dictionary<string, StrictOriginOptions> Alternatives = new(StringComparer.Ordinal)
    {
        ["bare-lf-accepted"] = new() { AcceptBareLf = true },
        ["obs-fold-replaced"] = new() { ReplaceObsFold = true },
        ["cr-and-nul-replaced"] = new() { ReplaceCrAndNulWithSp = true },
        ["identical-content-lengths-merged"] = new() { MergeIdenticalContentLengths = true },
        ["transfer-encoding-over-content-length"] = new() { ProcessTransferEncodingOverContentLength = true },
        ["unknown-expectation-ignored"] = new() { IgnoreUnknownExpectations = true },
        ["lenient-request-line-whitespace"] = new() { LenientRequestLineWhitespace = true },
        ["close-after-every-response"] = new() { CloseAfterEveryResponse = true },
        ["content-length-required"] = new() { RequireContentLength = true },
    };

    public static IEnumerable<string> AlternativeNames => Alternatives.Keys;

    /// <summary>The catalog against the strict origin with no switch on, once for all the cases of this fixture.</summary>
    private static readonly Lazy<Task<IReadOnlyList<CaseResult>>> StrictRun = new(async () =>
    {
        await using var origin = await StrictOriginHost.StartAsync();
        return (await StrictCatalog.RunAsync(origin.Port, StrictCatalog.RawCases(), RunSettings.DefaultParallelism)).Results;
    });

    [TestCaseSource(nameof(AlternativeNames))]
    public async Task An_RFC_allowed_alternative_gets_no_FAIL_and_no_ERROR(string alternative)
    {
        var cases = StrictCatalog.RawCases();
        await using var origin = await StrictOriginHost.StartAsync(Alternatives[alternative]);
        var (results, took) = await StrictCatalog.RunAsync(origin.Port, cases, RunSettings.DefaultParallelism);

        await TestContext.Out.WriteLineAsync($"strict origin, {alternative}: {cases.Count} raw cases in {took.TotalSeconds:0.0} s: {StrictCatalog.Counts(results)}");
        foreach (var r in results.Where(r => r.Verdict is Verdict.Warn or Verdict.Info))
            await TestContext.Out.WriteLineAsync($"  {r.Verdict} {r.Case.Id}: {r.DecidedBy?.Rule} (observed {string.Join(", ", r.Observed)})");
        // The switch must be reached by the catalog, or this test proves nothing about it: some case observes
        // another answer than from the strict origin with no switch on.
        var strict = (await StrictRun.Value).ToDictionary(r => r.Case.Id, r => string.Join(", ", r.Observed), StringComparer.Ordinal);
        var moved = results.Where(r => strict[r.Case.Id] != string.Join(", ", r.Observed)).ToList();
        foreach (var r in moved) await TestContext.Out.WriteLineAsync($"  answered otherwise: {r.Case.Id}: {strict[r.Case.Id]} -> {string.Join(", ", r.Observed)} ({r.Verdict})");
        Assert.That(moved, Is.Not.Empty, $"no case of the catalog answered otherwise with {alternative} on");
        Assert.That(origin.Faults, Is.Empty, "the strict origin itself failed: " + string.Join("\n", origin.Faults));
        Assert.That(results.Where(r => r.Verdict is Verdict.Fail or Verdict.Error).Select(r => r.Case.Id), Is.Empty, StrictCatalog.Offenders(results));
    }
}
