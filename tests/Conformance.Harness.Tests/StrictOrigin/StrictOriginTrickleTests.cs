using System.Globalization;
using System.Text;
using Conformance.Harness.Engine;
using Conformance.Harness.Model;
using Conformance.Harness.Tests.Survival;

namespace Conformance.Harness.Tests.StrictOrigin;

/// <summary>
/// Issue 11's "Done when": a strict, correct origin server gets 0 FAIL and 0 ERROR, including when it sends every
/// response slowly. The whole raw catalog against the strict origin, first directly, then through a
/// <see cref="TrickleRelay"/> that spreads every burst of its bytes over about 3 s. Explicit: the trickled run takes
/// minutes (tools/bench/trickle.sh --strict runs it and prints the table; TRICKLE_CASES=id,id runs only those
/// cases, TRICKLE_SEED another seed, TRICKLE_REPORT=file writes the table there).
/// </summary>
[Explicit("minutes of wall time: run with tools/bench/trickle.sh --strict")]
public sealed class StrictOriginTrickleTests
{
    private static readonly TimeSpan Spread = TimeSpan.FromSeconds(3);

    [Test]
    public async Task A_strict_correct_origin_gets_no_FAIL_and_no_ERROR_directly_and_when_every_response_is_slow()
    {
        var only = Environment.GetEnvironmentVariable("TRICKLE_CASES") is { Length: > 0 } list ? list.Split(',') : null;
        var cases = RawCatalog.RawCases(c => only is null || only.Contains(c.Id));
        var seed = int.TryParse(Environment.GetEnvironmentVariable("TRICKLE_SEED"), CultureInfo.InvariantCulture, out var s) ? s : RawCatalog.Seed;
        await using var origin = await StrictOriginHost.StartAsync();
        await using var relay = new TrickleRelay(origin.Port, Spread);

        var direct = await RawCatalog.RunAsync(origin.Port, cases, RunSettings.DefaultParallelism, seed);
        // A slow server mostly makes the harness wait: more cases at once keep the wall time in minutes.
        var slow = await RawCatalog.RunAsync(relay.Port, cases, RunSettings.MaxParallelism, seed);

        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"strict origin: {cases.Count} raw cases, seed {seed}, spread {Spread.TotalSeconds:0} s; direct {direct.Took.TotalSeconds:0.0} s (parallel {RunSettings.DefaultParallelism}), trickled {slow.Took.TotalSeconds:0.0} s (parallel {RunSettings.MaxParallelism})\n");
        text.Append("  verdict   direct  trickled\n");
        foreach (var v in Enum.GetValues<Verdict>())
            text.Append(CultureInfo.InvariantCulture, $"  {v,-8} {direct.Results.Count(r => r.Verdict == v),7} {slow.Results.Count(r => r.Verdict == v),9}\n");
        var directById = direct.Results.ToDictionary(r => r.Case.Id, StringComparer.Ordinal);
        var changed = slow.Results.Where(r => directById[r.Case.Id].Verdict != r.Verdict).ToList();
        text.Append(CultureInfo.InvariantCulture, $"  verdict changes: {changed.Count}\n");
        foreach (var r in changed) text.Append(CultureInfo.InvariantCulture, $"    {r.Case.Id}: {directById[r.Case.Id].Verdict} -> {r.Verdict} (observed {string.Join(", ", r.Observed)})\n");
        foreach (var r in direct.Results.Concat(slow.Results).Where(r => r.Verdict is Verdict.Warn or Verdict.Info))
            text.Append(CultureInfo.InvariantCulture, $"  {r.Verdict} {r.Case.Id}: {r.DecidedBy?.Rule}\n");
        var offenders = "direct:\n" + RawCatalog.Offenders(direct.Results) + "trickled:\n" + RawCatalog.Offenders(slow.Results);
        await TestContext.Out.WriteLineAsync(text.ToString());
        if (Environment.GetEnvironmentVariable("TRICKLE_REPORT") is { Length: > 0 } file) await File.WriteAllTextAsync(file, text + offenders);

        Assert.Multiple(() =>
        {
            Assert.That(slow.Results, Has.Count.EqualTo(cases.Count));
            Assert.That(origin.Faults, Is.Empty, "the strict origin itself failed: " + string.Join("\n", origin.Faults));
            Assert.That(direct.Results.Where(r => r.Verdict is Verdict.Fail or Verdict.Error).Select(r => r.Case.Id), Is.Empty, offenders);
            Assert.That(slow.Results.Where(r => r.Verdict is Verdict.Fail or Verdict.Error).Select(r => r.Case.Id), Is.Empty, offenders);
        });
    }
}
