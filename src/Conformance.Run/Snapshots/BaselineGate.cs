using System.Globalization;
using Conformance.Harness.Engine;
using Conformance.Harness.Fixtures;
using Conformance.Harness.Reports;

namespace Conformance.Harness.Snapshots;

/// <summary>The gate's decision after the snapshots: the exit code, the counts, and the lines to print.</summary>
public sealed record BaselineGateOutcome(int ExitCode, SnapshotGateResult? Snapshots, IReadOnlyList<string> Messages, BaselineReport? Report);

/// <summary>
/// The snapshot half of the gate (docs/baselines.md, "Exit codes"): verifies, or accepting approves, every case of
/// a whole run against its baseline folder, and decides the exit code from the run's own code and what changed.
/// <list type="bullet">
/// <item>--gate baseline: 0 when every snapshot matches or was just accepted (an approved FAIL included); 1 on any
/// change, or for a partial run (it cannot prove the rest unchanged); 2 when there is no baseline folder to gate on.</item>
/// <item>--gate conformance: the run's own code, raised to 1 by an unapproved change when the folder exists.</item>
/// <item>3 (target unreachable, server gone) is never changed: nothing was judged.</item>
/// </list>
/// </summary>
public static class BaselineGate
{
    public static BaselineGateOutcome Apply(RunReport report, int runExitCode, GateMode mode, bool accepting, string folder,
        SnapshotScrubber scrubber, IReadOnlyDictionary<string, ConformanceCase> fixtures)
    {
        var messages = new List<string>();
        if (runExitCode == ExitCodes.TargetOrHarness) return new BaselineGateOutcome(runExitCode, null, messages, null);
        if (mode == GateMode.Baseline && !accepting && !Directory.Exists(folder))
        {
            messages.Add($"conformance: --gate baseline needs approved baselines in {folder}; review a run and approve it with --accept first");
            return new BaselineGateOutcome(ExitCodes.BadUsage, null, messages, null);
        }
        if (!accepting && !Directory.Exists(folder)) return new BaselineGateOutcome(runExitCode, null, messages, null);
        // A partial run would approve or flag a partial baseline: only whole, unfiltered runs (or whole shards) count.
        if (!report.Run.Complete || report.Run.Filter is not null)
        {
            messages.Add($"snapshots: not verified against {folder}: only complete, unfiltered runs are compared with baselines");
            return new BaselineGateOutcome(mode == GateMode.Baseline ? ExitCodes.ConformanceFailures : runExitCode, null, messages, null);
        }

        var gate = Baselines.VerifyRun(report, new FileSnapshotStore(folder, accepting), scrubber, fixtures);
        var summary = gate.ToReport(folder, accepting);
        if (accepting)
        {
            var changes = gate.Results.Where(r => r.Status == SnapshotStatus.Accepted).ToList();
            messages.Add(string.Create(CultureInfo.InvariantCulture,
                $"snapshots: accepted into {folder}: {changes.Count(r => r.Change is SnapshotChange.Verdict or SnapshotChange.New)} verdict change(s), {changes.Count(r => r.Change == SnapshotChange.Findings)} findings change(s), {changes.Count(r => r.Change == SnapshotChange.Transcript)} transcript-only change(s), {gate.Orphans.Count} removed case(s); {gate.Matched} unchanged"));
            foreach (var orphan in gate.Orphans) messages.Add($"snapshots: removed the baseline of {orphan}: the case no longer exists");
            // What was just approved is the baseline now: the baseline gate passes, as the next run without --accept will.
            return new BaselineGateOutcome(mode == GateMode.Baseline ? ExitCodes.Ok : runExitCode, gate, messages, summary);
        }
        foreach (var orphan in gate.Orphans) messages.Add($"snapshots: {orphan} is approved in {folder} but no longer ran: a removed case is lost coverage; accept the run to drop it");
        if (gate.Ok)
        {
            messages.Add(string.Create(CultureInfo.InvariantCulture, $"snapshots: all {gate.Results.Count} match {folder}"));
            // Under the baseline gate, approved verdicts (an approved FAIL included) are what was expected.
            return new BaselineGateOutcome(mode == GateMode.Baseline ? ExitCodes.Ok : runExitCode, gate, messages, summary);
        }
        foreach (var m in gate.Mismatches) messages.Add(m.Describe());
        messages.Add(Headline(gate, folder));
        return new BaselineGateOutcome(Math.Max(runExitCode, ExitCodes.ConformanceFailures), gate, messages, summary);
    }

    /// <summary>The gate line: each kind of change counted apart, then how to approve them.</summary>
    public static string Headline(SnapshotGateResult gate, string folder) => string.Create(CultureInfo.InvariantCulture,
        $"snapshots: {gate.VerdictChanges} verdict change(s), {gate.FindingChanges} findings change(s), {gate.TranscriptChanges} transcript-only change(s) against {folder}; review the diffs above, then approve with --accept or {RunOptions.Env.Accept}=true");
}
