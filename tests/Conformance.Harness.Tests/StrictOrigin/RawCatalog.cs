using System.Globalization;
using System.Text;
using Conformance.Harness.Browser;
using Conformance.Harness.Engine;
using Conformance.Harness.Fixtures;
using Conformance.Harness.Model;
using Conformance.Harness.Targets;

namespace Conformance.Harness.Tests.StrictOrigin;

/// <summary>Runs the raw catalog (every area but browser) against a port with the reference profile, as the suite does.</summary>
internal static class RawCatalog
{
    public const int Seed = 20261121;

    public static IReadOnlyList<ConformanceCase> RawCases(Func<ConformanceCase, bool>? only = null)
    {
        var root = RepoPaths.Root();
        return FixtureSet.Load(RepoPaths.Cases(root), root, NamedCheckRegistry.Default).Cases
            .Where(c => !BrowserCatalog.IsBrowserArea(c.Area))
            .Where(c => only is null || only(c)).ToList();
    }

    /// <summary>
    /// The reference target's profile: the strict origin serves the same application, so every role lives where
    /// fixtures/targets/reference.json says.
    /// </summary>
    public static TargetProfile Profile() => TargetProfileLoader.Load(Path.Combine(RepoPaths.Targets(RepoPaths.Root()), "reference.json"));

    public static async Task<(IReadOnlyList<CaseResult> Results, TimeSpan Took)> RunAsync(int port, IReadOnlyList<ConformanceCase> cases, int parallelism, int seed = Seed)
    {
        var target = new Target(new Uri($"http://127.0.0.1:{port}/"), Profile());
        using var bound = new CancellationTokenSource(TimeSpan.FromMinutes(30));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var outcome = await new SuiteRunner(target, new RunSettings { Seed = seed, Parallelism = parallelism }, NamedCheckRegistry.Default)
            .RunAsync(cases, null, bound.Token).ConfigureAwait(false);
        return (outcome.Results, clock.Elapsed);
    }

    /// <summary>Each FAIL or ERROR with its findings, for an assertion message that needs no second run to read.</summary>
    public static string Offenders(IEnumerable<CaseResult> results)
    {
        var text = new StringBuilder();
        foreach (var r in results.Where(r => r.Verdict is Verdict.Fail or Verdict.Error))
        {
            text.Append(CultureInfo.InvariantCulture, $"{r.Case.Id}: {r.Verdict} (observed {string.Join(", ", r.Observed)}){(r.Reason is null ? "" : " " + r.Reason)}\n");
            foreach (var f in r.Findings.Where(f => f.Verdict >= Verdict.Warn)) text.Append("    ").Append(f.ToString().Replace("\n", "\n    ", StringComparison.Ordinal)).Append('\n');
        }
        return text.ToString();
    }

    public static string Counts(IEnumerable<CaseResult> results) =>
        string.Join(", ", Enum.GetValues<Verdict>().Select(v => $"{v} {results.Count(r => r.Verdict == v)}"));
}
