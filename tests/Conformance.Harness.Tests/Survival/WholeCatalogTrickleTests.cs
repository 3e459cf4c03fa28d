using System.Globalization;
using System.Text;
using Conformance.Harness.Engine;
using Conformance.Harness.Model;
using Conformance.Harness.Tests.StrictOrigin;
using Conformance.ReferenceServer;

namespace Conformance.Harness.Tests.Survival;

/// <summary>
/// The whole raw catalog against the reference target, first directly, then through a <see cref="TrickleRelay"/>
/// that spreads every burst of the server's bytes over about 3 s: a strict, correct server that is merely slow
/// must get the verdicts of the fast one. Only the cases listed in <see cref="TimingDependent"/> may differ, each
/// for a reason the RFC gives. Explicit: it takes minutes (tools/bench/trickle.sh runs it and prints the table;
/// TRICKLE_CASES=id,id runs only those cases, TRICKLE_SEED another seed).
/// </summary>
[Explicit("minutes of wall time: run with tools/bench/trickle.sh")]
public sealed class WholeCatalogTrickleTests
{
    /// <summary>How long each burst of the server's bytes takes to reach the client.</summary>
    private static readonly TimeSpan Spread = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Cases whose verdict may honestly differ when every answer takes seconds, and why. Empty means: every raw
    /// case of the catalog gets the same verdict from a slow server as from a fast one.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> TimingDependent = new Dictionary<string, string>(StringComparer.Ordinal);

    [Test]
    public async Task Every_raw_case_gets_the_same_verdict_from_a_slow_correct_server()
    {
        var cases = RawCatalog.RawCases(c => Environment.GetEnvironmentVariable("TRICKLE_CASES") is not { Length: > 0 } only || only.Split(',').Contains(c.Id));
        using var start = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var reference = await ReferenceServerApp.StartAsync(0, start.Token);
        await using var relay = new TrickleRelay(reference.Port, Spread);
        var seed = int.TryParse(Environment.GetEnvironmentVariable("TRICKLE_SEED"), CultureInfo.InvariantCulture, out var s) ? s : RawCatalog.Seed;

        async Task<(Dictionary<string, CaseResult> Results, TimeSpan Took)> RunAll(int port, int parallelism)
        {
            var (results, took) = await RawCatalog.RunAsync(port, cases, parallelism, seed);
            return (results.ToDictionary(r => r.Case.Id, StringComparer.Ordinal), took);
        }

        var direct = await RunAll(reference.Port, RunSettings.DefaultParallelism);
        // A slow server mostly makes the harness wait: more cases at once keep the wall time in minutes.
        var slow = await RunAll(relay.Port, RunSettings.MaxParallelism);

        Assert.That(slow.Results.Keys, Is.EquivalentTo(direct.Results.Keys));
        var changed = cases.Where(c => direct.Results[c.Id].Verdict != slow.Results[c.Id].Verdict).Select(c => c.Id).ToList();
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"trickle sweep: {cases.Count} raw cases, seed {seed}, spread {Spread.TotalSeconds:0} s; direct {direct.Took.TotalSeconds:0.0} s (parallel {RunSettings.DefaultParallelism}), trickled {slow.Took.TotalSeconds:0.0} s (parallel {RunSettings.MaxParallelism}); {changed.Count} verdict change(s)\n");
        foreach (var v in Enum.GetValues<Verdict>())
            text.Append(CultureInfo.InvariantCulture, $"  {v}: direct {direct.Results.Values.Count(r => r.Verdict == v)}, trickled {slow.Results.Values.Count(r => r.Verdict == v)}\n");
        // Same verdict, other non-PASS rules: not a false verdict, but worth seeing (a finding a slow answer adds or loses).
        var otherFindings = cases.Where(c => !changed.Contains(c.Id) && Rules(direct.Results[c.Id]) != Rules(slow.Results[c.Id])).Select(c => c.Id).ToList();
        text.Append(CultureInfo.InvariantCulture, $"  same verdict, other findings: {otherFindings.Count}\n");
        foreach (var id in otherFindings)
            text.Append(CultureInfo.InvariantCulture, $"  {id}: {direct.Results[id].Verdict}\n    direct:   {Rules(direct.Results[id])}\n    trickled: {Rules(slow.Results[id])}\n");
        foreach (var id in changed)
        {
            var (d, t) = (direct.Results[id], slow.Results[id]);
            var allowed = TimingDependent.TryGetValue(id, out var why) ? $" [timing-dependent: {why}]" : "";
            text.Append(CultureInfo.InvariantCulture, $"  {id}: {d.Verdict} -> {t.Verdict}{allowed}\n    direct:   {Rules(d)} (observed {string.Join(", ", d.Observed)})\n    trickled: {Rules(t)} (observed {string.Join(", ", t.Observed)})\n");
            foreach (var f in t.Findings.Where(f => f.Verdict >= Verdict.Warn)) text.Append("      ").Append(f.ToString().Replace("\n", "\n      ", StringComparison.Ordinal)).Append('\n');
        }
        await TestContext.Out.WriteLineAsync(text.ToString());
        if (Environment.GetEnvironmentVariable("TRICKLE_REPORT") is { Length: > 0 } file) await File.WriteAllTextAsync(file, text.ToString());

        Assert.That(changed.Where(id => !TimingDependent.ContainsKey(id)), Is.Empty, text.ToString());
        var timeoutsAsGrammar = slow.Results.Values.SelectMany(r => r.Findings).Where(f => f.Verdict >= Verdict.Fail && f.Rule is "head.empty-line" or "framing.incomplete");
        Assert.That(timeoutsAsGrammar, Is.Empty, text.ToString());
    }

    private static string Rules(CaseResult r) => string.Join("; ", r.Findings.Where(f => f.Verdict != Verdict.Pass)
        .Select(f => $"{f.Verdict} {f.Rule}").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
}
