using Conformance.Harness.Fixtures;
using Conformance.Harness.Snapshots;

namespace Conformance.Harness.Engine;

/// <summary>
/// The snapshot half of the gate: verifies (or, accepting, approves) every case against
/// reports/baselines/&lt;profile&gt;/ when that folder exists or --accept was given.
/// </summary>
public static class SnapshotStep
{
    public static RunResult Apply(RunSession session, RunResult result, bool accepting, GateMode mode, Action<string> log)
    {
        if (result.Report is not { } report || result.ExitCode == ExitCodes.TargetOrHarness) return result;
        var folder = Baselines.Folder(RepoPaths.Root(), session.Target.Profile.Name);
        if (mode == GateMode.Baseline && !accepting && !Directory.Exists(folder))
        {
            log($"conformance: --gate baseline needs approved baselines in {folder}; review a run and approve it with --accept first");
            return result with { ExitCode = ExitCodes.BadUsage };
        }
        if (!accepting && !Directory.Exists(folder)) return result;
        // A partial run would approve or flag a partial baseline: only whole, unfiltered runs count.
        if (!report.Run.Complete || report.Run.Filter is not null)
        {
            log($"snapshots: not verified against {folder}: only complete, unfiltered runs are compared with baselines");
            return mode == GateMode.Baseline ? result with { ExitCode = ExitCodes.ConformanceFailures } : result;
        }
        var store = new FileSnapshotStore(folder, accepting);
        var gate = Baselines.VerifyRun(report, store, new SnapshotScrubber(Baselines.ContextFor(session.Target.BaseUri, session.Target.Profile)));
        // A shard holds part of the catalog: the other shards' baselines are not orphans. Each of its own
        // snapshots is still verified, as the NUnit suite verifies each case it runs.
        foreach (var orphan in report.Run.Shard is null ? gate.Orphans : []) log($"snapshots: {orphan}{FileSnapshotStore.VerifiedSuffix} has no case any more; delete it if the case was removed");
        if (accepting)
        {
            log($"snapshots: {gate.Results.Count(r => r.Status == SnapshotStatus.Accepted)} accepted, {gate.Results.Count(r => r.Status == SnapshotStatus.Matched)} unchanged in {folder}");
            return result;
        }
        if (gate.Ok)
        {
            log($"snapshots: all {gate.Results.Count} match {folder}");
            // Under the baseline gate, approved verdicts (an approved FAIL included) are what was expected.
            // --require-all-must still holds: an approved SKIP of a MUST case is coverage a lab did not get.
            var unjudged = session.Settings.RequireAllMust && RunSession.UnjudgedMust(report) > 0;
            return mode == GateMode.Baseline ? result with { ExitCode = unjudged ? ExitCodes.ConformanceFailures : ExitCodes.Ok } : result;
        }
        foreach (var m in gate.Mismatches) log(m.Describe());
        log($"snapshots: {gate.Mismatches.Count} unapproved change(s) against {folder}; review the diffs above, then approve with --accept or {RunOptions.Env.Accept}=true");
        return result with { ExitCode = Math.Max(result.ExitCode, ExitCodes.ConformanceFailures) };
    }
}
